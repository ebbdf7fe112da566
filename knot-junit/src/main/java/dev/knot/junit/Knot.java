package dev.knot.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Watches the annotated test class or method with Knot: a test that runs out of time fails with Knot's
 * explanation of its threads, and a test that leaves threads, executors, unobserved exceptions or cancelled tasks
 * behind fails after it ends. Same as {@code @ExtendWith(KnotExtension.class)}; for a whole suite, enable JUnit's
 * extension auto-detection instead ({@code junit.jupiter.extensions.autodetection.enabled=true}). Configuration:
 * {@link KnotConfig}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KnotExtension.class)
public @interface Knot {
}
