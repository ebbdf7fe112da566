package dev.knot.input;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.ThreadState;
import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code jcmd PID Thread.dump_to_file FILE} plain text (JDK 21+). Layout: pid, time and version
 * lines, then one block per thread:
 * <pre>
 * #21 "A-mon-1" BLOCKED 2026-11-21T23:04:37.153424778Z      (JDK 25; JDK 21: #21 "A-mon-1" [virtual])
 *     at HangZoo.lambda$main$0(HangZoo.java:46)             (JDK 21: six spaces, no "at")
 *     - locked &lt;HangZoo$MonA1@1a6c5a9e&gt;
 * </pre>
 * Threads are listed container by container but containers are not named, and carriers are not shown.
 */
final class JcmdTextParser {

    private static final int MAX_WARNINGS = 50;

    private JcmdTextParser() {
    }

    /** {@code #21 "name"…}: the header of a thread block. */
    static boolean isHeader(String line) {
        if (line.length() < 4 || line.charAt(0) != '#') return false;
        int i = 1;
        while (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        if (!(i > 1 && i + 1 < line.length() && line.charAt(i) == ' ' && line.charAt(i + 1) == '"')) return false;
        // after the name only what ThreadDumper prints: "virtual" (JDK 21+), the state and a time stamp (JDK 25)
        int close = line.lastIndexOf('"');
        if (close <= i + 1) return false;
        String rest = line.substring(close + 1).strip();
        if (rest.isEmpty()) return true;
        String[] words = rest.split(" +");
        int w = 0;
        if (words[w].equals("virtual") && ++w == words.length) return true;
        if (ThreadState.parse(words[w]) == ThreadState.UNKNOWN || !words[w].equals(words[w].toUpperCase(java.util.Locale.ROOT))) {
            return false;
        }
        return ++w == words.length || w + 1 == words.length && Character.isDigit(words[w].charAt(0));
    }

    static List<ThreadDump> parse(String source, String text) {
        return new Scan(source).run(text);
    }

    private static final class Scan {
        private final String source;
        private final List<ThreadDump> dumps = new ArrayList<>();

        // current dump
        private String pid = "";
        private Instant time;
        private String version = "";
        private final List<DumpedThread> threads = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private int skipped;
        /** Something in this dump besides "#id "name"" lines is of the layout. */
        private boolean credible;

        // current thread
        private DumpedThread.Builder thread;
        private final List<String> frameTexts = new ArrayList<>();
        private final List<List<LockLine>> frameLocks = new ArrayList<>();

        Scan(String source) {
            this.source = source;
        }

        List<ThreadDump> run(String text) {
            ParseSupport.Lines lines = new ParseSupport.Lines(text);
            String line;
            // 0: expecting pid, 1: expecting time, 2: expecting version, 3: threads
            int preamble = 0;
            boolean lastBlank = false;
            while ((line = lines.next()) != null) {
                String s = line.strip();
                lastBlank = line.isEmpty(); // a cut can leave the spaces that indent a frame
                if (s.isEmpty()) {
                    endThread();
                    continue;
                }
                if (isHeader(line)) {
                    endThread();
                    preamble = 3;
                    startThread(line, lines.number());
                    continue;
                }
                if (thread == null && ParseSupport.isDigits(s) && (line.charAt(0) != ' ')) {
                    // a pid line opens a new dump (several dumps may be concatenated)
                    endDump();
                    pid = s;
                    preamble = 1;
                    continue;
                }
                if (thread == null && preamble <= 1) {
                    Instant t = TextGrammar.timestamp(s);
                    if (t != null) {
                        time = t;
                        preamble = 2;
                        continue;
                    }
                }
                if (thread == null && preamble == 2) {
                    version = s;
                    preamble = 3;
                    continue;
                }
                if (thread != null && s.charAt(0) == '-') {
                    lockLine(s, lines.number());
                    continue;
                }
                if (thread != null && s.startsWith("at ")) {
                    addFrame(s.substring(3).strip());
                    continue;
                }
                if (thread != null && Character.isWhitespace(line.charAt(0)) && s.indexOf('(') > 0) {
                    addFrame(s); // JDK 21: frames are indented, without "at"
                    continue;
                }
                skip(lines.number(), s);
            }
            // ThreadDumper ends every thread with a blank line: an input that does not end with one was cut
            String cutIn = thread != null ? thread.name : null;
            int before = dumps.size();
            endDump();
            if (!lastBlank && dumps.size() > before) {
                ThreadDump last = dumps.remove(dumps.size() - 1);
                dumps.add(last.withCutOff(cutIn != null
                        ? "the last thread, \"" + cutIn + "\", is not followed by the blank line that ends every thread of this format"
                        : "the input does not end with the blank line that ends every thread of this format"));
            }
            return dumps;
        }

        private void startThread(String line, int number) {
            int q1 = line.indexOf('"');
            int q2 = line.lastIndexOf('"');
            String id = line.substring(1, line.indexOf(' '));
            String name = q2 > q1 ? line.substring(q1 + 1, q2) : line.substring(q1 + 1);
            thread = DumpedThread.builder(name);
            thread.id = id;
            thread.headerLine = line;
            thread.lineNumber = number;
            String rest = q2 > q1 ? line.substring(q2 + 1).strip() : "";
            for (String tok : rest.split(" ")) {
                if (tok.isEmpty()) continue;
                if (tok.equals("virtual")) {
                    thread.virtual = true;
                } else if (thread.state == ThreadState.UNKNOWN && ThreadState.parse(tok) != ThreadState.UNKNOWN) {
                    thread.state = ThreadState.parse(tok);
                }
            }
        }

        private void addFrame(String text) {
            frameTexts.add(text);
            frameLocks.add(new ArrayList<>());
        }

        private void lockLine(String s, int number) {
            LockLine l = TextGrammar.lock(s, 0, s.length());
            if (l == null) {
                skip(number, s);
            } else if (frameLocks.isEmpty()) {
                warn("line " + number + ": lock line before any frame of \"" + thread.name + "\": "
                        + ParseSupport.oneLine(s, 80));
            } else {
                frameLocks.get(frameLocks.size() - 1).add(l);
            }
        }

        private void endThread() {
            if (thread == null) return;
            JcmdJsonParser.inferRelock(thread.state, frameTexts, frameLocks);
            for (int i = 0; i < frameTexts.size(); i++) {
                StackFrame f = TextGrammar.frame(frameTexts.get(i), frameLocks.get(i));
                if (f != null) credible = true;
                if (f == null) {
                    warn("unreadable frame of \"" + thread.name + "\": " + ParseSupport.oneLine(frameTexts.get(i), 80));
                    f = ParseSupport.unreadableFrame(frameTexts.get(i), frameLocks.get(i));
                }
                thread.frames.add(f);
            }
            if (thread.state != ThreadState.UNKNOWN) credible = true;
            threads.add(thread.build());
            thread = null;
            frameTexts.clear();
            frameLocks.clear();
        }

        private void endDump() {
            endThread();
            // A bare "#12 "name"" line is a header only among the rest of the layout: the preamble's time stamp, a
            // thread state (JDK 25), or a readable frame. Alone it is text that happens to look like one.
            if (!threads.isEmpty() && (credible || time != null)) {
                if (skipped > MAX_WARNINGS) warnings.add((skipped - MAX_WARNINGS) + " more lines skipped");
                dumps.add(new ThreadDump(source, DumpFormat.JCMD_TEXT, time, pid, version, threads, List.of(), warnings));
            }
            pid = "";
            time = null;
            version = "";
            threads.clear();
            warnings.clear();
            skipped = 0;
            credible = false;
        }

        private void skip(int number, String s) {
            skipped++;
            if (skipped <= MAX_WARNINGS) warnings.add("line " + number + ": skipped: " + ParseSupport.oneLine(s, 80));
        }

        private void warn(String w) {
            if (warnings.size() < 2 * MAX_WARNINGS) warnings.add(w);
        }
    }
}
