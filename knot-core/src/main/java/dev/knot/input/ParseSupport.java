package dev.knot.input;

import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadState;
import java.util.List;
import java.util.Locale;

/** Small helpers shared by the parsers; the line grammar itself is {@link TextGrammar}. */
final class ParseSupport {

    private ParseSupport() {
    }

    /**
     * Stand-in for a frame line that cannot be split into class and method: kept (with its lock lines) so
     * frame positions and lock evidence survive; the whole text is the class name.
     */
    static StackFrame unreadableFrame(String text, List<LockLine> locks) {
        String t = oneLine(text, 300);
        return new StackFrame(t, "", "", "", -1, false, locks, t);
    }

    /** {@code pkg.Cls@1a2b} (as {@code Objects.toIdentityString} prints it); the whole text is the id. */
    static ObjectRef identityRef(String text) {
        String s = text.strip();
        if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1);
        int at = s.lastIndexOf('@');
        return new ObjectRef(s, at > 0 ? s.substring(0, at) : "");
    }

    /** Object from a class name and identity hash, in the same {@code Cls@hex} form as JSON dumps. */
    static ObjectRef hashRef(String className, String hexHash) {
        String cls = className == null ? "" : className;
        String hex = normaliseHex(hexHash);
        return new ObjectRef(cls.isEmpty() ? hex : cls + "@" + hex, cls);
    }

    /** {@code 0x00c1a33} → {@code c1a33}: ThreadInfo-based tools print identity hashes both ways. */
    static String normaliseHex(String hex) {
        String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("0x")) h = h.substring(2);
        int i = 0;
        while (i < h.length() - 1 && h.charAt(i) == '0') i++;
        return h.substring(i);
    }

    /** Is this an {@code Object.wait} frame (JDK 21+ shows {@code wait0} on top)? */
    static boolean isObjectWait(StackFrame f) {
        return f != null && f.className().equals("java.lang.Object")
                && (f.method().equals("wait") || f.method().equals("wait0"));
    }

    /**
     * What a ThreadInfo's lock ({@code getLockInfo()}) means, from the state and the top frame. The text
     * printers guess from the top frame alone and get it wrong on JDK 21+ (top frame {@code wait0}), so the
     * state decides: BLOCKED in Object.wait is a re-lock after notify, BLOCKED elsewhere a monitor enter.
     */
    static LockLine.Action threadInfoAction(ThreadState state, StackFrame top) {
        boolean inWait = isObjectWait(top);
        if (state == ThreadState.BLOCKED) {
            return inWait ? LockLine.Action.WAITING_TO_RELOCK : LockLine.Action.WAITING_TO_LOCK;
        }
        return inWait ? LockLine.Action.WAITING_ON : LockLine.Action.PARKING;
    }

    static int parseInt(String s, int fallback) {
        if (s == null) return fallback;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    /** One printable line, at most {@code max} chars: for messages built from input text. */
    static String oneLine(String s, int max) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && b.length() <= max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? ' ' : c);
        }
        String r = b.toString().strip();
        return r.length() > max ? r.substring(0, max) + "…" : r;
    }

    /** Splits text into lines without regex; handles \n, \r\n and lone \r. */
    static final class Lines {
        private final String text;
        private int pos;
        private int number;

        Lines(String text) {
            this.text = text;
        }

        /** Next line without its terminator, or null at the end. */
        String next() {
            int n = text.length();
            if (pos >= n) return null;
            int i = pos;
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r') break;
                i++;
            }
            String line = text.substring(pos, i);
            if (i < n && text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
            pos = i + 1;
            number++;
            return line;
        }

        /** 1-based number of the line last returned. */
        int number() {
            return number;
        }
    }

    /** Text of a JSON scalar (numbers may come as strings or numbers); null for null, and containers are skipped. */
    static String scalar(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        com.fasterxml.jackson.core.JsonToken t = p.currentToken();
        if (t == null) return null;
        if (t.isScalarValue()) return t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? null : p.getText();
        p.skipChildren();
        return null;
    }
}
