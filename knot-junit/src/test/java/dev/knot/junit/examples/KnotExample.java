package dev.knot.junit.examples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An example test class that fails on purpose (or, for the healthy ones, is checked to report nothing). It runs only
 * when the configuration parameter {@code knot.examples=run} is set, as ExampleSuiteTest sets it; a plain
 * {@code mvn test} or an IDE's "run all" skips it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("knot-example")
@ExtendWith(KnotExample.OnlyInExampleSuite.class)
public @interface KnotExample {

    String KEY = "knot.examples";

    final class OnlyInExampleSuite implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KEY).filter("run"::equals).isPresent()
                    ? ConditionEvaluationResult.enabled("run by ExampleSuiteTest")
                    : ConditionEvaluationResult.disabled("a Knot example that fails on purpose; ExampleSuiteTest runs it");
        }
    }
}
