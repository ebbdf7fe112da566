package dev.knot.junit;

import dev.knot.sites.PlatformCode;
import java.util.ArrayList;
import java.util.List;

/** Short, readable stack excerpts for failure messages. */
final class Stacks {
    private Stacks() {
    }

    /** Frames a user did not write: the JDK, JUnit, build tools (the analysis's list), and this package of Knot. */
    static boolean library(StackTraceElement e) {
        String c = e.getClassName();
        return PlatformCode.isPlatform(c) || knot(c);
    }

    /** Knot's own classes (the package dev.knot.junit itself, not packages below it). */
    static boolean knot(String className) {
        return className.startsWith("dev.knot.junit.") && className.indexOf('.', "dev.knot.junit.".length()) < 0;
    }

    static int firstApplication(StackTraceElement[] st) {
        for (int i = 0; i < st.length; i++) {
            if (!library(st[i])) return i;
        }
        return -1;
    }

    /**
     * "FooTest.bar(FooTest.java:12) via ThreadPoolExecutor.execute": the caller's line and the API it called. For a
     * pool worker, the code that submitted work, not the thread factory the pool called.
     */
    static String siteWithApi(StackTraceElement[] st) {
        int from = 0;
        for (int k = 0; k < st.length; k++) {
            String c = st[k].getClassName();
            if (c.startsWith("java.util.concurrent.") && (c.contains("Executor") || c.contains("ForkJoin"))) from = k + 1;
        }
        int i = -1;
        for (int k = from; k < st.length && i < 0; k++) {
            if (!library(st[k])) i = k;
        }
        if (i < 0) i = firstApplication(st);
        if (i < 0) return frame(st[0]);
        String s = frame(st[i]);
        if (i > 0) {
            StackTraceElement api = st[i - 1];
            s += " via " + simple(api.getClassName()) + "." + api.getMethodName();
        }
        return s;
    }

    /** "dev.acme.FooTest.bar(FooTest.java:12)" */
    static String frame(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName() + "(" + (e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "Unknown Source" : e.getFileName() + (e.getLineNumber() >= 0 ? ":" + e.getLineNumber() : "")) + ")";
    }

    static String simple(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    /**
     * What a thread is doing now: the top frame and the innermost application frame, e.g.
     * "TIMED_WAITING in java.lang.Thread.sleep(Native Method), at dev.acme.FooTest.lambda$bar$0(FooTest.java:31)".
     */
    static String doing(Thread.State state, StackTraceElement[] st) {
        if (st.length == 0) return state + " (no Java frames)";
        StringBuilder s = new StringBuilder().append(state).append(" in ").append(frame(st[0]));
        int app = firstApplication(st);
        if (app > 0) s.append(", at ").append(frame(st[app]));
        return s.toString();
    }

    /** Up to n frames from the top, for evidence lines. */
    static List<String> top(StackTraceElement[] st, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, st.length); i++) out.add("at " + frame(st[i]));
        return out;
    }

    static boolean contains(StackTraceElement[] st, String className, String method) {
        for (StackTraceElement e : st) {
            if (e.getClassName().equals(className) && (method == null || e.getMethodName().equals(method))) return true;
        }
        return false;
    }

    /** "java.lang.IllegalStateException: bad row 3" on one line. */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl).strip() + " …";
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
