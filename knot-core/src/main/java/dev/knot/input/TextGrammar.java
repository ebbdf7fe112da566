package dev.knot.input;

import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The line grammar all text formats share: a stack frame, a lock line under it, an object reference and a dump
 * timestamp. One copy, so that jstack, jcmd and ThreadInfo text read the same line the same way. Each method reads
 * a range of a string by hand (no regular expressions, no substrings but the fields it returns): jstack's scanner
 * calls them on dumps of 10,000 threads.
 */
final class TextGrammar {

    /** Id of an object a lock line names without an identity ({@code <no object reference available>}). */
    static final String UNNAMED = "?";

    private TextGrammar() {
    }

    // ---- frames ------------------------------------------------------------------------------------

    /** {@link #frame(String, int, int, List, String)} of a whole string (its own evidence, stripped). */
    static StackFrame frame(String text, List<LockLine> locks) {
        String t = text.strip();
        return frame(t, 0, t.length(), locks, t);
    }

    /**
     * A frame without its {@code at}, in {@code s[from, to)}: {@code [loader/][module[@version]/]pkg.Cls.method(loc)}
     * as {@code StackTraceElement.toString()} prints it, or {@code pkg.Cls.method([module[@version]/]loc)} as jstack
     * does; loc is {@code File.java:12}, {@code File.java}, {@code Native Method} or {@code Unknown Source}.
     * {@code text} is the evidence kept on the frame. Null if no class and method can be told apart.
     */
    static StackFrame frame(String s, int from, int to, List<LockLine> locks, String text) {
        from = skipSpace(s, from, to);
        to = trimEnd(s, from, to);
        int open = indexOf(s, '(', from, to);
        int headEnd = trimEnd(s, from, open < 0 ? to : open);
        int locFrom = to;
        int locTo = to;
        if (open >= 0) {
            int close = lastIndexOf(s, ')', open + 1, to);
            if (close >= 0) locTo = close;
            locFrom = skipSpace(s, open + 1, locTo);
            locTo = trimEnd(s, locFrom, locTo);
        }
        // A prefix ends at the last '/' not followed by a digit: "/0x…" (hidden classes) and "/123" (JDK 8
        // lambdas) belong to the class name, which cannot start with a digit.
        // (Searched forwards: String.indexOf is compiled early in a run, lastIndexOf is not.)
        int split = -1;
        for (int i = indexOf(s, '/', from, headEnd); i >= 0; i = indexOf(s, '/', i + 1, headEnd)) {
            if (i + 1 == headEnd || !isDigit(s.charAt(i + 1))) split = i;
        }
        String module = "";
        int clsFrom = from;
        if (split >= 0) {
            // "loader//Cls.m" has no module, "loader/module/Cls.m" keeps the module only
            int loader = lastIndexOf(s, '/', from, split);
            module = s.substring(loader < 0 ? from : loader + 1, split);
            clsFrom = split + 1;
        }
        int dot = lastIndexOf(s, '.', clsFrom, headEnd);
        // no check for spaces: Kotlin and Scala method names may hold them
        if (dot <= clsFrom || dot == headEnd - 1) return null;
        String cls = s.substring(clsFrom, dot);
        String method = s.substring(dot + 1, headEnd);

        int slash = indexOf(s, '/', locFrom, locTo);
        if (slash >= 0) {
            if (module.isEmpty()) module = s.substring(locFrom, slash);
            locFrom = slash + 1;
        }
        boolean nativeMethod = regionIs(s, locFrom, locTo, "Native Method");
        String file = "";
        int line = -1;
        if (!nativeMethod && locFrom < locTo && !regionIs(s, locFrom, locTo, "Unknown Source")) {
            int colon = lastIndexOf(s, ':', locFrom, locTo);
            if (colon > locFrom) {
                file = s.substring(locFrom, colon);
                line = parseInt(s, colon + 1, locTo, -1);
            } else {
                file = s.substring(locFrom, locTo);
            }
        }
        return new StackFrame(cls, method, module, file, line, nativeMethod, locks, text);
    }

    // ---- lock lines --------------------------------------------------------------------------------

    private static final String CLASS_INIT = "waiting on the Class initialization monitor for";

    /**
     * A lock line in {@code s[from, to)}: {@code - verb object}, as HotSpot ({@code - locked <0x…> (a Cls)}),
     * jcmd ({@code - locked <Cls@1a2b>}) and ThreadInfo printers ({@code -  blocked on Cls@1a2b}) write them.
     * An object the line names without identity ({@code <no object reference available>}) is {@link #UNNAMED}
     * (eliminated locks: empty), with its class when printed. Null if the line is not a lock line.
     */
    static LockLine lock(String s, int from, int to) {
        from = skipSpace(s, from, to);
        to = trimEnd(s, from, to);
        if (from >= to || s.charAt(from) != '-') return null;
        int p = skipSpace(s, from + 1, to);
        LockLine.Action action;
        int rest;
        if ((rest = word(s, p, to, "locked")) >= 0) {
            action = LockLine.Action.LOCKED;
        } else if ((rest = word(s, p, to, "waiting to lock")) >= 0) {
            action = LockLine.Action.WAITING_TO_LOCK;
        } else if ((rest = word(s, p, to, "parking to wait for")) >= 0) {
            action = LockLine.Action.PARKING;
        } else if ((rest = word(s, p, to, CLASS_INIT)) >= 0) {
            int c = skipSpace(s, rest, to);
            if (c == to) return null;
            String cls = s.substring(c, to);
            return new LockLine(LockLine.Action.CLASS_INIT, new ObjectRef(cls, cls), s.substring(from, to));
        } else if ((rest = word(s, p, to, "waiting on")) >= 0) {
            action = LockLine.Action.WAITING_ON;
        } else if ((rest = word(s, p, to, "waiting to re-lock in wait()")) >= 0) {
            action = LockLine.Action.WAITING_TO_RELOCK;
        } else if ((rest = word(s, p, to, "blocked on")) >= 0) {
            action = LockLine.Action.WAITING_TO_LOCK;   // ThreadInfo.toString
        } else if ((rest = word(s, p, to, "eliminated")) >= 0) {
            action = LockLine.Action.ELIMINATED;
        } else if (word(s, p, to, "lock is eliminated") >= 0) {
            return new LockLine(LockLine.Action.ELIMINATED, new ObjectRef("", ""), s.substring(from, to));  // jcmd
        } else {
            return null;
        }
        ObjectRef o = objectAt(s, skipSpace(s, rest, to), to);
        if (o == null) {
            int gt = indexOf(s, '>', rest, to);
            o = new ObjectRef(action == LockLine.Action.ELIMINATED ? "" : UNNAMED, classIn(s, gt < 0 ? rest : gt + 1, to));
        }
        return new LockLine(action, o, s.substring(from, to));
    }

    /** An entry under {@code Locked ownable synchronizers:}: {@code - [Locked ]object}; null for {@code - None}. */
    static ObjectRef ownable(String s, int from, int to) {
        from = skipSpace(s, from, to);
        if (from >= to || s.charAt(from) != '-') return null;
        int p = skipSpace(s, from + 1, to);
        if (word(s, p, to, "None") >= 0) return null;   // what most threads hold: no object parse
        int r = word(s, p, to, "Locked");
        if (r < 0) r = word(s, p, to, "locked");
        return object(s, r < 0 ? p : r, to);
    }

    /**
     * An object in {@code s[from, to)}: {@code <id>} with an optional {@code (a Cls)} after it (HotSpot), {@code <Cls@1a2b>}
     * (jcmd) or {@code Cls@1a2b} (ThreadInfo, VisualVM); text after it ({@code owned by …}) is ignored. The id is kept
     * as printed. Null if there is no identity: {@code <no object reference available>}, {@code <>}, anything else.
     */
    static ObjectRef object(String s, int from, int to) {
        from = skipSpace(s, from, to);
        return objectAt(s, from, trimEnd(s, from, to));
    }

    /** {@link #object} of a range already trimmed. */
    private static ObjectRef objectAt(String s, int from, int to) {
        if (from >= to) return null;
        if (s.charAt(from) == '<') {
            int gt = indexOf(s, '>', from + 1, to);
            // words, not an id: "<no object reference available>", "<owner is scalar replaced>"
            if (gt <= from + 1 || indexOf(s, ' ', from + 1, gt) >= 0 || indexOf(s, '\t', from + 1, gt) >= 0) return null;
            String id = s.substring(from + 1, gt);
            String cls = classIn(s, gt + 1, to);
            if (cls.isEmpty()) {
                int at = id.lastIndexOf('@');
                if (at > 0) cls = id.substring(0, at);
            }
            return new ObjectRef(id, cls);
        }
        int end = from;
        while (end < to && !isSpace(s.charAt(end))) end++;
        int at = lastIndexOf(s, '@', from, end);
        if (at <= from || !isHex(s, at + 1, end)) return null;
        return new ObjectRef(s.substring(from, end), s.substring(from, at));
    }

    /** The class of {@code (a Cls)} in {@code s[from, to)}, up to the first ')'; empty if there is none. */
    private static String classIn(String s, int from, int to) {
        int a = s.indexOf("(a ", from);
        if (a < 0 || a + 3 > to) return "";
        int close = indexOf(s, ')', a + 3, to);
        int c0 = skipSpace(s, a + 3, close < 0 ? to : close);
        return s.substring(c0, trimEnd(s, c0, close < 0 ? to : close));
    }

    /** The index after {@code w} at {@code s[p]} when a space or the end follows it, else -1. */
    private static int word(String s, int p, int to, String w) {
        int e = p + w.length();
        if (e > to || !s.startsWith(w, p)) return -1;
        return e == to || isSpace(s.charAt(e)) ? e : -1;
    }

    // ---- timestamps --------------------------------------------------------------------------------

    /** {@link #timestamp(String, int, int)} of a whole string; null for null. */
    static Instant timestamp(String s) {
        return s == null ? null : timestamp(s, 0, s.length());
    }

    /**
     * A dump's time in {@code s[from, to)}: {@code 2026-11-21 23:04:36} as jstack and ThreadInfo printers write it
     * before a dump (no zone printed: read as UTC; a fraction or log text may follow, not another digit), or an ISO
     * instant or offset date-time filling the range ({@code 2026-11-21T23:04:37.151500177Z}, jcmd). Null if neither.
     */
    static Instant timestamp(String s, int from, int to) {
        from = skipSpace(s, from, to);
        to = trimEnd(s, from, to);
        if (to - from < 16 || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-') return null;
        char sep = s.charAt(from + 10);
        if (sep == ' ') {
            if (to - from < 19 || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':') return null;
            if (to - from > 19 && isDigit(s.charAt(from + 19))) return null;
            int y = digits(s, from, 4);
            int mo = digits(s, from + 5, 2);
            int d = digits(s, from + 8, 2);
            int h = digits(s, from + 11, 2);
            int mi = digits(s, from + 14, 2);
            int sec = digits(s, from + 17, 2);
            if ((y | mo | d | h | mi | sec) < 0) return null;
            try {
                return LocalDateTime.of(y, mo, d, h, mi, sec).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                return null;
            }
        }
        if (sep != 'T') return null;
        String t = s.substring(from, to);
        try {
            return Instant.parse(t);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    /** The value of {@code n} ASCII digits at {@code s[at]}, or -1. */
    private static int digits(String s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // ---- characters --------------------------------------------------------------------------------

    /** An int in {@code s[from, to)} (spaces around it allowed, as Integer.parseInt after strip); else fallback. */
    static int parseInt(String s, int from, int to, int fallback) {
        from = skipSpace(s, from, to);
        to = trimEnd(s, from, to);
        boolean negative = false;
        if (from < to && (s.charAt(from) == '-' || s.charAt(from) == '+')) {
            negative = s.charAt(from) == '-';
            from++;
        }
        if (from >= to) return fallback;
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return fallback;
            v = v * 10 + (c - '0');
            if (v > (long) Integer.MAX_VALUE + 1) return fallback;
        }
        v = negative ? -v : v;
        return v > Integer.MAX_VALUE ? fallback : (int) v;
    }

    static boolean isSpace(char c) {
        return c <= ' ' || c >= 0x80 && Character.isWhitespace(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(String s, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F')) return false;
        }
        return true;
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && isSpace(s.charAt(from))) from++;
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && isSpace(s.charAt(to - 1))) to--;
        return to;
    }

    // String's own searches: compiled (and intrinsic) long before a hand loop would be in a short run
    private static int indexOf(String s, char c, int from, int to) {
        int i = s.indexOf(c, from);
        return i < to ? i : -1;
    }

    private static int lastIndexOf(String s, char c, int from, int to) {
        int i = s.lastIndexOf(c, to - 1);
        return i >= from ? i : -1;
    }

    private static boolean regionIs(String s, int from, int to, String w) {
        return to - from == w.length() && s.startsWith(w, from);
    }
}
