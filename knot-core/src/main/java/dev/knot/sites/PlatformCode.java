package dev.knot.sites;

/**
 * Code a user did not write: the JDK, classes the JVM generates, JUnit and the build tools that run tests. One list,
 * asked by class name, for the frames of a dump (the analysis) and the live stacks of knot-junit's messages.
 */
public final class PlatformCode {
    /** Most common first: every frame of a big dump may be asked about. */
    private static final String[] PACKAGES = {"java.", "jdk.", "sun.", "javax.", "com.sun.", "org.junit.",
            "org.apache.maven.surefire.", "org.gradle.", "worker.org.gradle."};

    private PlatformCode() {
    }

    /** True for a class (binary name, e.g. {@code java.util.concurrent.FutureTask}) a user did not write. */
    public static boolean isPlatform(String className) {
        for (String p : PACKAGES) {
            if (className.startsWith(p)) return true;
        }
        // the class the JVM spins for a lambda, named after the user's class that holds the lambda's body
        return className.contains("$$Lambda");
    }
}
