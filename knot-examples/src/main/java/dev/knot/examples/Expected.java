package dev.knot.examples;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What Knot should conclude from a thread dump of an example program: the machine-readable half of the
 * example's class comment. Tests in other modules read it to check the analysis against the truth.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Expected {

    /** The kinds an example can declare, in the spelling {@link #kind()} uses. */
    String[] KINDS = {"deadlock", "self-deadlock", "starvation", "orphaned-lock", "contention", "stall", "none"};

    /** One of {@link #KINDS}. */
    String kind();

    /**
     * Names of the threads Knot should name as involved in the hang (empty for kind "none").
     * A thread that no longer exists (the dead owner of an orphaned lock) is not listed: no dump shows it.
     */
    String[] threads() default {};

    /** Oldest JDK feature version the example runs on; on an older JDK it exits with code 4. */
    int minJava() default 17;

    /**
     * True when the listed threads are virtual threads. jstack and {@code jcmd Thread.print} leave out
     * unmounted virtual threads, so only the JSON dump (JDK 21+) shows them.
     */
    boolean virtualThreads() default false;

    /**
     * Besides {@link #threads()}, the finding names at least this many more threads (the crowd behind a root
     * blocker, too many to list).
     */
    int alsoBlocked() default 0;

    /**
     * Only a live snapshot ({@code knot attach}) can show it: the dumps lack what proves it (lock owners of
     * virtual threads), so a dump must yield no hang finding for it.
     */
    boolean liveOnly() default false;

    /**
     * How sure a live snapshot ({@code knot attach}, no tracking) can be: {@code "certain"} where reflection into
     * the JVM proves every edge, {@code "likely"} where only tracking could (who holds a Semaphore permit).
     */
    String liveCertainty() default "certain";

    /**
     * How sure a {@code jstack -l} text dump can be (see the README's "Certainty"): {@code "certain"} when the
     * dump prints every edge (monitor owners, -l lock owners, a class initialiser being run), {@code "likely"}
     * when a step is missing from every dump (permit and read-lock holders, executor queues, who will signal).
     */
    String dumpCertainty() default "likely";

    /**
     * The kind a dump can show, where it cannot tell as much as a live snapshot ("" for {@link #kind()}): borrowers of
     * a drained pool starve as far as a dump can tell, while a live snapshot may know which holds an object.
     */
    String dumpKind() default "";

    /**
     * The threads a dump's finding names, where the dump cannot tell which of them is the culprit (empty for
     * {@link #threads()}): every writer queued on a read-write lock, when only a live snapshot sees who holds a read lock.
     */
    String[] dumpThreads() default {};

    /** The same for the JSON dump (JDK 21+), which prints no j.u.c lock owners and no class-initialisation waits. */
    String jsonCertainty() default "likely";

    /**
     * Libraries the example hangs in, which Knot does not bundle (knot-examples has them as optional
     * dependencies). Without them on the class path the example exits with {@link ExampleSupport#EXIT_LIBRARY_MISSING}
     * and one line naming them; {@link ExampleRunner} adds them to the child JVM's class path when the JVM
     * running it has them.
     */
    Library[] libraries() default {};

    /** One library: its Maven coordinates and a class of it that tells whether it is on the class path. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Library {
        /** {@code groupId:artifactId}, as a user would add it. */
        String coordinates();

        /** A class of the library (loaded without initialising it) to find it and its jar. */
        String probeClass();
    }
}
