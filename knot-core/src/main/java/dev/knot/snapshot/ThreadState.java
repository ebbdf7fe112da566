package dev.knot.snapshot;

/** java.lang.Thread.State as printed, plus UNKNOWN when a format omits it. */
public enum ThreadState {
    NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED, UNKNOWN;

    /** Lenient parse: {@code "WAITING (parking)"}, {@code "waiting"}, {@code "TIMED_WAITING"}. */
    public static ThreadState parse(String text) {
        if (text == null) return UNKNOWN;
        String s = text.trim();
        int sp = s.indexOf(' ');
        if (sp > 0) s = s.substring(0, sp);
        try {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
