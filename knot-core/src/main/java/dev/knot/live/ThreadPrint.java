package dev.knot.live;

import java.lang.reflect.Method;

/**
 * The JVM's own text thread dump, taken in-process: what {@code jcmd PID Thread.print} and jstack print, by the
 * same VM operation, without an attach connection and without the platform MBean server. The VM writes the
 * text itself, so no Java object is made per frame (ThreadMXBean makes a StackTraceElement for each, and on
 * JDK 17 its first dump of 10,000 threads holds a safepoint for seconds).
 *
 * <p>Needs package {@value #PACKAGE} of module {@value #MODULE} opened to this code (the agent does that).
 */
public final class ThreadPrint {
    public static final String MODULE = "jdk.management";
    public static final String PACKAGE = "com.sun.management.internal";

    private static volatile Method execute;
    private static volatile Object impl;
    private static volatile String failure;

    private ThreadPrint() {
    }

    /** Why the in-process text dump could not be taken, or null. */
    public static String failure() {
        return failure;
    }

    /** The text of {@code Thread.print}, or null if it cannot be taken in this JVM (no jdk.management, not opened). */
    static String take() {
        try {
            if (execute == null) {
                ClassLoader platform = ClassLoader.getPlatformClassLoader();
                // its static initialiser loads the native library (management_ext) that has executeDiagnosticCommand
                Class.forName(PACKAGE + ".PlatformMBeanProviderImpl", true, platform);
                Class<?> c = Class.forName(PACKAGE + ".DiagnosticCommandImpl", true, platform);
                Method get = c.getDeclaredMethod("getDiagnosticCommandMBean");
                get.setAccessible(true);
                Method m = c.getDeclaredMethod("executeDiagnosticCommand", String.class);
                m.setAccessible(true);
                impl = get.invoke(null);
                execute = m;
            }
            Object text = execute.invoke(impl, "Thread.print");
            return text instanceof String s && !s.isEmpty() ? s : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            failure = String.valueOf(e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e);
            return null;
        }
    }
}
