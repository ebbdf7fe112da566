package dev.knot.input;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.ThreadState;
import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.InTwo;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads HotSpot thread dump text: {@code jstack [-l] [-e]}, {@code jcmd Thread.print}, kill -3 output
 * (JDK 8 to 25, and older/other JVMs using the same layout). A text may hold several dumps
 * (a log with repeated kill -3 output); each {@code Full thread dump} line starts a new one.
 *
 * <p>Hand-written line scanner rather than regular expressions per line: a 10,000-thread dump is
 * ~20 MB and ~400k lines, and the analyser must finish well before jstack itself does.
 */
final class JstackTextParser {

    private JstackTextParser() {
    }

    /**
     * True if the text contains at least one HotSpot thread header line, anywhere: a dump can follow megabytes of
     * application log. Only lines that start with a quote are looked at closely.
     */
    static boolean looksLike(String text) {
        int from = 0;
        int n = text.length();
        while (from < n) {
            int eol = text.indexOf('\n', from);
            if (eol < 0) eol = n;
            if (text.charAt(from) == '"' && isThreadHeader(stripCr(text.substring(from, Math.min(eol, from + 400))))) return true;
            from = eol + 1;
        }
        return false;
    }

    static List<ThreadDump> parse(String source, String text) {
        return new Scan(source, text, 0, text.length()).run();
    }

    /** Inputs of at least this many bytes holding one big dump are parsed in two halves on two cores. */
    static final int PARALLEL_THRESHOLD_BYTES = 4 << 20;

    /** Decodes {@code bytes[from, to)}; null when the bytes are not valid in the input's encoding. */
    @FunctionalInterface
    interface Decoder {
        String decode(byte[] bytes, int from, int to);
    }

    /**
     * Parses a big input in two halves, each decoded and scanned on its own thread: decoding, scanning and
     * building frames are most of the time, and a cold JVM has a second core to spare. Returns null when the
     * input has no place to cut (the caller then decodes it whole and parses it in one go).
     */
    static List<ThreadDump> parseInTwo(String source, byte[] bytes, Decoder decoder) {
        int split = splitPoint(bytes);
        if (split < 0) return null;
        Scan[] scans = new Scan[2];
        InTwo.run(() -> scans[0] = decodeAndScan(source, bytes, 0, split, decoder),
                () -> scans[1] = decodeAndScan(source, bytes, split, bytes.length, decoder));
        if (scans[0] == null || scans[1] == null) return null; // not valid in this encoding: the caller decides
        return Scan.joined(scans[0], scans[1]);
    }

    private static Scan decodeAndScan(String source, byte[] bytes, int from, int to, Decoder decoder) {
        String text = decoder.decode(bytes, from, to);
        if (text == null) return null;
        // Valid UTF-8 decodes to as many characters as bytes only when every byte is ASCII.
        boolean ascii = text.length() == to - from;
        Scan scan = new Scan(source, text, 0, text.length(), ascii ? bytes : null, from);
        scan.scan();
        return scan;
    }

    /**
     * Where a big input can be cut in two: the start of a thread header line near the middle that continues
     * the dump before it (the line above belongs to a thread's stack), so the second half's first threads
     * belong to the first half's last dump. -1 when there is no such line.
     */
    static int splitPoint(byte[] b) {
        int from = b.length / 2;
        while (true) {
            int nl = indexOf(b, from, (byte) '\n', (byte) '"');
            if (nl < 0) return -1;
            int start = nl + 1;
            int eol = indexOf(b, start, (byte) '\n');
            String line = stripCr(latin1(b, start, eol < 0 ? b.length : Math.min(eol, start + 400)));
            if (isThreadHeader(line) && previousLineIsStackContent(b, nl)) return start;
            from = start;
        }
    }

    private static boolean previousLineIsStackContent(byte[] b, int nl) {
        int i = nl - 1;
        while (i >= 0 && (b[i] == '\n' || b[i] == '\r')) i--;      // skip blank lines
        int lineStart = i;
        while (lineStart > 0 && b[lineStart - 1] != '\n') lineStart--;
        return i >= 0 && (b[lineStart] == '\t' || b[lineStart] == ' ');
    }

    private static int indexOf(byte[] b, int from, byte c) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, byte c, byte next) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == c && b[i + 1] == next) return i;
        }
        return -1;
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * {@code "name" #12 daemon prio=5 ...} or a VM thread {@code "VM Thread" os_prio=0 ... nid=...}: a quoted name
     * followed by at least two of the HotSpot header's own tokens, each well formed ({@code #12}, {@code prio=5},
     * {@code os_prio=0}, {@code tid=0x…}, {@code nid=0x…} or {@code nid=7459}). Every HotSpot layout from JDK 5 to 25
     * prints three or more of them; a line of prose or random text that happens to start with a quote does not.
     */
    static boolean isThreadHeader(String line) {
        if (line.isEmpty() || line.charAt(0) != '"') return false;
        int close = line.lastIndexOf('"');
        if (close <= 0 || close + 1 >= line.length() || line.charAt(close + 1) != ' ') return false;
        return headerTokens(line, close + 1) >= 2;
    }

    /** How many distinct well-formed HotSpot header tokens {@code line} has from {@code from} on. */
    static int headerTokens(String line, int from) {
        int seen = 0; // bits: 1 #id, 2 prio, 4 os_prio, 8 tid, 16 nid
        int n = line.length();
        int p = from;
        boolean first = true;
        while (p < n) {
            while (p < n && line.charAt(p) == ' ') p++;
            int q = p;
            while (q < n && line.charAt(q) != ' ') q++;
            if (q == p) break;
            if (first && line.charAt(p) == '#' && digits(line, p + 1, q)) seen |= 1;
            else if (line.startsWith("prio=", p) && digits(line, p + 5, q)) seen |= 2;
            else if (line.startsWith("os_prio=", p) && digits(line, p + 8 + (p + 8 < q && line.charAt(p + 8) == '-' ? 1 : 0), q)) seen |= 4;
            else if (line.startsWith("tid=", p) && hexNumber(line, p + 4, q)) seen |= 8;
            else if (line.startsWith("nid=", p) && (hexNumber(line, p + 4, q))) seen |= 16;
            first = false;
            p = q;
        }
        return Integer.bitCount(seen);
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** {@code 0x7f1c}, {@code 7f1c} or {@code 7459}. */
    private static boolean hexNumber(String s, int from, int to) {
        if (to - from > 2 && s.charAt(from) == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X')) from += 2;
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) return false;
        }
        return true;
    }

    private static String stripCr(String s) {
        return !s.isEmpty() && s.charAt(s.length() - 1) == '\r' ? s.substring(0, s.length() - 1) : s;
    }

    private static final class Scan {
        private final String source;
        private final String text;

        private final List<ThreadDump> dumps = new ArrayList<>();
        // current dump
        private List<DumpedThread> threads = new ArrayList<>();
        private List<String> warnings = new ArrayList<>();
        private Instant time;
        private String jvmVersion = "";
        private Instant pendingTimestamp;
        // current thread
        private DumpedThread.Builder thread;
        private List<StackFrame> frames;          // frames of the thread being read (carrier or mounted vthread)
        private List<LockLine> frameLocks;       // locks under the last frame, null until the first one
        private StackFrame frame;                // the last frame, without its locks (shared through the cache)
        private final FrameCache cache = new FrameCache();
        private final Stacks stacks = new Stacks();
        private final Map<LockedFrame, StackFrame> lockedFrames = new HashMap<>();
        private boolean inOwnable;
        private DumpedThread.Builder mounted;     // virtual thread mounted on the current carrier
        private int skippedLines;
        private int firstSkippedLine = -1;
        // the JVM's deadlock report of the current dump
        private DeadlockSection section = new DeadlockSection();
        /** Per dump in {@link #dumps}: its deadlock report, whose threads are added once the whole dump is read. */
        private final List<DeadlockSection> sections = new ArrayList<>();
        // signs of a cut-off dump: the thread count of "Threads class SMR info", the "JNI global refs" trailer
        private int smrLength = -1;
        private boolean jniTrailer;
        /** Per dump in {@link #dumps}: how it ended, to tell whether it was cut off. */
        private final List<Ends> ends = new ArrayList<>();

        private final int start;
        private final int end;
        private int linesRead;
        /** Per dump in {@link #dumps}: lines skipped inside stacks, and the first of them (or -1). */
        private final List<int[]> skipped = new ArrayList<>();

        /** The text's characters as bytes ({@code text.charAt(k) == ascii[asciiBase + k]}) when it is ASCII, else null. */
        private final byte[] ascii;
        private final int asciiBase;

        /** Reads {@code text[start, end)}. */
        Scan(String source, String text, int start, int end) {
            this(source, text, start, end, null, 0);
        }

        /** The same, with the bytes {@code text} was decoded from when every one of them is ASCII. */
        Scan(String source, String text, int start, int end, byte[] ascii, int asciiBase) {
            this.source = source;
            this.text = text;
            this.start = start;
            this.end = end;
            this.ascii = ascii;
            this.asciiBase = asciiBase;
        }

        List<ThreadDump> run() {
            scan();
            List<ThreadDump> out = new ArrayList<>(dumps.size());
            for (int i = 0; i < dumps.size(); i++) {
                ThreadDump d = withSkipped(dumps.get(i), skipped.get(i)[0], skipped.get(i)[1]);
                out.add(withReported(checkedForCut(d, ends.get(i)), sections.get(i), 0));
            }
            return out;
        }

        /**
         * How a dump ended: the Java thread count its "Threads class SMR info" header gives (-1 without one, before
         * JDK 10), whether its "JNI global refs" trailer came, whether it ended inside a thread and in the middle of
         * a line of it.
         */
        record Ends(int smrLength, boolean jniTrailer, boolean inThread, boolean midLine, boolean cutHeader) {
            /** The first half of a dump followed by its second half. */
            Ends then(Ends second) {
                return new Ends(smrLength >= 0 ? smrLength : second.smrLength, jniTrailer || second.jniTrailer,
                        second.inThread, second.midLine, second.cutHeader);
            }
        }

        /**
         * The dump, marked as cut off if it shows it: fewer Java threads than its SMR header counts, a last thread
         * that stops short (mid-line, before its state line, or before the "Locked ownable synchronizers" every
         * other thread of a {@code -l} dump has), no "JNI global refs" trailer where the JDK prints one (those with
         * the SMR header, JDK 10+). Dumps of older JDKs, and hand-made fragments without a JDK 9+ header, are
         * checked for the SMR count only (they have none).
         */
        static ThreadDump checkedForCut(ThreadDump d, Ends e) {
            List<DumpedThread> ts = d.threads();
            if (ts.isEmpty()) return d;
            int java = 0;
            boolean ownablesListed = false;
            DumpedThread lastJava = null;
            for (DumpedThread t : ts) {
                if (t.virtual() || t.id().isEmpty()) continue;
                java++;
                lastJava = t;
                if (t.ownableSynchronizers() != null) ownablesListed = true;
            }
            boolean modern = e.smrLength() >= 0 || java > 0;
            List<String> why = new ArrayList<>();
            if (e.smrLength() > java) {
                why.add("the thread list's header (\"Threads class SMR info\") counts " + e.smrLength() + " Java threads, "
                        + java + " are in the input");
            }
            DumpedThread last = ts.get(ts.size() - 1);
            if (e.cutHeader()) why.add("the input stops inside the header line of a thread after \"" + last.name() + "\"");
            if (e.inThread()) {
                if (e.midLine()) {
                    why.add("the input stops in the middle of a line of the last thread, \"" + last.name() + "\"");
                } else if (last.state() == ThreadState.UNKNOWN && (modern && last == lastJava
                        || last.headerLine().strip().endsWith("]"))) {
                    // a Java thread: "#12" (JDK 9+), or the stack address "[0x…]" that ends a Java thread's header in
                    // every layout (VM threads have neither, and the JVM prints them after the Java threads)
                    why.add("the last thread, \"" + last.name() + "\", stops before its java.lang.Thread.State line");
                } else if (modern && last == lastJava && ownablesListed && last.ownableSynchronizers() == null) {
                    why.add("the last thread, \"" + last.name() + "\", stops before its \"Locked ownable synchronizers\"");
                }
            }
            // Before JDK 9 (a "Full thread dump" version without "+": 1.6.0_03-b05, 25.91-b14) no header counts the
            // threads; the JVM prints its VM threads (no state, no stack) and a trailer after the Java threads, so an
            // input that ends inside a Java thread was cut. JDK 10+ dumps have the count (above) instead; hand-made
            // snippets of their layout end where their author stopped.
            boolean beforeJdk9 = !d.jvmVersion().isEmpty() && d.jvmVersion().indexOf('+') < 0;
            if (beforeJdk9 && e.inThread() && why.isEmpty() && (last.state() != ThreadState.UNKNOWN || !last.frames().isEmpty())) {
                why.add("the input ends inside the thread \"" + last.name() + "\", with nothing after the thread list");
            }
            if (e.smrLength() >= 0 && !e.jniTrailer()) why.add("no \"JNI global refs\" line ends the thread list");
            return why.isEmpty() ? d : d.withCutOff(String.join("; ", why));
        }

        private static ThreadDump withReported(ThreadDump d, DeadlockSection report, int lineBase) {
            return withReported(d, new DeadlockSection[] {report}, new int[] {lineBase});
        }

        /**
         * The dump with the threads its deadlock reports name and its thread list lacks (pasted fragments); the
         * reports' line numbers are shifted by {@code lineBases} (the second half of a big input).
         */
        private static ThreadDump withReported(ThreadDump d, DeadlockSection[] reports, int[] lineBases) {
            List<DumpedThread> threads = new ArrayList<>(d.threads());
            List<String> warnings = new ArrayList<>(d.warnings());
            List<List<String>> cycles = new ArrayList<>();
            int before = threads.size();
            String cut = null;
            for (int i = 0; i < reports.length; i++) {
                threads.addAll(reports[i].threadsNotIn(threads, warnings, lineBases[i]));
                cycles.addAll(reports[i].cycles());
                if (cut == null) cut = reports[i].cutEntry();
            }
            if (threads.size() == before && cycles.isEmpty()) return d;
            ThreadDump out = new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), threads, cycles,
                    warnings, d.facts(), d.cutOff());
            // a report cut inside an entry matters where its threads are the evidence
            if (cut != null && threads.size() > before) {
                out = out.withCutOff("the JVM's deadlock report stops inside the entry of \"" + cut + "\"");
            }
            return out;
        }

        void scan() {
            int n = end;
            int from = start;
            int lineNo = 0;
            while (from < n) {
                int eol = text.indexOf('\n', from);
                if (eol < 0 || eol > n) eol = n;
                lineNo++;
                if (!frameLine(from, eol)) line(stripCr(text.substring(from, eol)), lineNo);
                from = eol + 1;
            }
            finishDump(true);
            linesRead = lineNo;
        }

        /**
         * The dumps of two consecutive halves: the second half starts inside the first half's last dump
         * (see {@link #splitPoint}), so those two are one; its line numbers continue from the first half's.
         */
        static List<ThreadDump> joined(Scan first, Scan second) {
            int base = first.linesRead;
            List<ThreadDump> out = new ArrayList<>(first.dumps.size() + second.dumps.size());
            int na = first.dumps.size();
            for (int i = 0; i < na - 1; i++) {
                ThreadDump d = withSkipped(first.dumps.get(i), first.skipped.get(i)[0], first.skipped.get(i)[1]);
                out.add(withReported(checkedForCut(d, first.ends.get(i)), first.sections.get(i), 0));
            }
            for (int i = 0; i < second.dumps.size(); i++) {
                ThreadDump d = shifted(second.dumps.get(i), base);
                int count = second.skipped.get(i)[0];
                int firstSkipped = count > 0 ? second.skipped.get(i)[1] + base : -1;
                if (i == 0 && na > 0) {
                    ThreadDump a = first.dumps.get(na - 1);
                    int[] sa = first.skipped.get(na - 1);
                    List<DumpedThread> threads = new ArrayList<>(a.threads().size() + d.threads().size());
                    threads.addAll(a.threads());
                    threads.addAll(d.threads());
                    List<String> warnings = new ArrayList<>(a.warnings());
                    warnings.addAll(d.warnings());
                    d = new ThreadDump(a.source(), DumpFormat.JSTACK, a.time(), a.processId(), a.jvmVersion(), threads, List.of(), warnings);
                    if (sa[0] > 0) firstSkipped = sa[1];
                    count += sa[0];
                }
                boolean merged = i == 0 && na > 0;
                DeadlockSection[] reports = merged
                        ? new DeadlockSection[] {first.sections.get(na - 1), second.sections.get(0)}
                        : new DeadlockSection[] {second.sections.get(i)};
                int[] bases = merged ? new int[] {0, base} : new int[] {base};
                Ends e = second.ends.get(i);
                if (merged) e = first.ends.get(na - 1).then(e);
                out.add(withReported(checkedForCut(withSkipped(d, count, firstSkipped), e), reports, bases));
            }
            return out;
        }

        private static ThreadDump withSkipped(ThreadDump d, int count, int firstLine) {
            if (count == 0) return d;
            List<String> w = new ArrayList<>(d.warnings());
            w.add(count + " unrecognised line(s) inside thread stacks were skipped (first at line " + firstLine + ")");
            return new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), d.threads(),
                    d.jdkDeadlocks(), w);
        }

        private static ThreadDump shifted(ThreadDump d, int lines) {
            List<DumpedThread> threads = new ArrayList<>(d.threads().size());
            for (DumpedThread t : d.threads()) {
                threads.add(t.lineNumber() < 0 ? t : new DumpedThread(t.name(), t.id(), t.nativeId(), t.virtual(),
                        t.daemon(), t.state(), t.stateDetail(), t.cpuMillis(), t.elapsedSeconds(), t.container(),
                        t.carrierOf(), t.carrierId(), t.frames(), t.ownableSynchronizers(), t.headerLine(),
                        t.lineNumber() + lines));
            }
            return new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), threads,
                    d.jdkDeadlocks(), d.warnings());
        }

        private void line(String raw, int lineNo) {
            if (raw.isEmpty()) {
                // a blank line ends a frame list but not the thread (ownable synchronizers follow)
                closeFrame();
                return;
            }
            char c0 = raw.charAt(0);
            if (c0 == '"' && isThreadHeader(raw)) {
                section.end();
                header(raw, lineNo);
                return;
            }
            if (c0 == 'F' && raw.startsWith("Full thread dump")) {
                startDump(raw);
                return;
            }
            if (raw.indexOf('J') >= 0 && DeadlockSection.opens(raw)) {
                // also indented, or after a prefix: "<pre>Found one …", a log line's time stamp
                endThread();
                section.begin();
                return;
            }
            if (section.isOpen()) {
                section.line(raw, lineNo);   // what is not part of it (markdown, log lines) is passed over
                return;
            }
            if (c0 == 'J' && raw.startsWith("JNI global ref")) {
                endThread();
                jniTrailer = true;
                return;
            }
            if (c0 == '_' && raw.startsWith("_java_thread_list=")) {
                // "_java_thread_list=0x00007fafdc002970, length=25, elements={": the JVM's count of its Java threads
                int at = raw.indexOf("length=");
                if (at < 0) return;
                int to = at + 7;
                while (to < raw.length() && Character.isDigit(raw.charAt(to))) to++;
                if (to > at + 7 && to - at < 17) smrLength = Integer.parseInt(raw.substring(at + 7, to)); // < 10 digits
                return;
            }
            if (c0 >= '0' && c0 <= '9') {
                Instant t = TextGrammar.timestamp(raw, 0, raw.length());
                if (t != null) {
                    pendingTimestamp = t;
                    return;
                }
            }
            if (thread == null) return;       // text between threads: heap summaries, histograms, log lines
            threadLine(raw, lineNo);
        }

        private void startDump(String raw) {
            endThread();
            finishDump();
            // "Java HotSpot(TM) Client VM (1.5.0_06-b05 mixed mode)": the version is the first "(" followed by a digit
            int open = raw.indexOf('(');
            while (open >= 0 && (open + 1 >= raw.length() || !Character.isDigit(raw.charAt(open + 1)))) {
                open = raw.indexOf('(', open + 1);
            }
            if (open > 0) {
                int sp = raw.indexOf(' ', open);
                int close = raw.indexOf(')', open);
                int end = sp > 0 && (close < 0 || sp < close) ? sp : close;
                if (end > open) jvmVersion = raw.substring(open + 1, end);
            }
            if (pendingTimestamp != null) {
                time = pendingTimestamp;
                pendingTimestamp = null;
            }
        }

        private void finishDump() {
            finishDump(false);
        }

        /** @param atEnd the input ends here (else the next "Full thread dump" begins) */
        private void finishDump(boolean atEnd) {
            boolean inThread = thread != null;
            endThread();
            section.end();
            if (!threads.isEmpty() || !section.cycles().isEmpty()) {
                dumps.add(new ThreadDump(source, DumpFormat.JSTACK, time, "", jvmVersion, threads, List.of(), warnings));
                skipped.add(new int[] {skippedLines, firstSkippedLine});
                sections.add(section);
                char lastChar = end > start ? text.charAt(end - 1) : '\n';
                boolean unterminated = atEnd && lastChar != '\n' && lastChar != '\r';
                int lineStart = text.lastIndexOf('\n', end - 1) + 1;
                boolean cutHeader = unterminated && lineStart >= start && lineStart < end && text.charAt(lineStart) == '"'
                        && !isThreadHeader(text.substring(lineStart, end));
                ends.add(new Ends(smrLength, jniTrailer, inThread, inThread && unterminated, cutHeader));
            }
            smrLength = -1;
            jniTrailer = false;
            section = new DeadlockSection();
            threads = new ArrayList<>();
            warnings = new ArrayList<>();
            time = null;
            jvmVersion = "";
            skippedLines = 0;
            firstSkippedLine = -1;
        }

        // ---- thread header ----------------------------------------------------------------------

        private void header(String raw, int lineNo) {
            endThread();
            int close = raw.lastIndexOf('"');
            DumpedThread.Builder b = DumpedThread.builder(raw.substring(1, close));
            b.headerLine = raw;
            b.lineNumber = lineNo;
            String rest = raw.substring(close + 1);
            StringBuilder stateWords = new StringBuilder();
            boolean sawVmToken = false;
            int p = 0;
            int rn = rest.length();
            while (p < rn) {
                while (p < rn && Character.isWhitespace(rest.charAt(p))) p++;
                int q = p;
                while (q < rn && !Character.isWhitespace(rest.charAt(q))) q++;
                if (q == p) break;
                // tokens are looked at in place: 10,000 headers of a dozen tokens each are worth no substrings
                int t = p;
                p = q;
                char c = rest.charAt(t);
                if (c == '#' && b.id.isEmpty()) {
                    b.id = rest.substring(t + 1, q);
                } else if (isToken(rest, t, q, "daemon")) {
                    b.daemon = true;
                } else if (isToken(rest, t, q, "virtual")) {
                    b.virtual = true;
                } else if (rest.startsWith("nid=", t)) {
                    b.nativeId = rest.substring(t + 4, q);
                    sawVmToken = true;
                } else if (rest.startsWith("cpu=", t)) {
                    b.cpuMillis = parseDuration(rest.substring(t + 4, q));
                    sawVmToken = true;
                } else if (rest.startsWith("elapsed=", t)) {
                    b.elapsedSeconds = parseDuration(rest.substring(t + 8, q)) / 1000.0;
                    sawVmToken = true;
                } else if (hasEquals(rest, t + 1, q)) {
                    sawVmToken = true;   // prio=, os_prio=, tid=, lwp_id=, allocated=, defined_classes=
                } else if (c == '[') {
                    // [7459] os thread id (JDK 21+) or [0x…] stack address: ignore
                } else if (sawVmToken) {
                    if (stateWords.length() > 0) stateWords.append(' ');
                    stateWords.append(rest, t, q);
                }
            }
            // VM-internal threads (GC, compiler, "VM Thread") print no Java thread id.
            b.stateDetail = stateWords.toString();
            thread = b;
            frames = b.frames;
            frameLocks = null;
            frame = null;
            inOwnable = false;
            mounted = null;
        }

        private static boolean isToken(String s, int from, int to, String word) {
            return to - from == word.length() && s.startsWith(word, from);
        }

        private static boolean hasEquals(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                if (s.charAt(i) == '=') return true;
            }
            return false;
        }

        // ---- lines inside a thread --------------------------------------------------------------

        private void threadLine(String raw, int lineNo) {
            int i = 0;
            int n = raw.length();
            while (i < n && (raw.charAt(i) == ' ' || raw.charAt(i) == '\t')) i++;
            if (i == n) {
                closeFrame();
                return;
            }
            if (i == 0) {
                // unindented text inside a dump: a log line or another section; the thread is over
                endThread();
                return;
            }
            if (raw.charAt(i) == '-') {
                if (inOwnable) {
                    ownable(raw, i);
                } else {
                    lockLine(raw, i, lineNo);
                }
                return;
            }
            String s = raw.substring(i);
            if (s.startsWith("at ")) {
                closeFrame();
                StackFrame f = parseFrame(s, List.of());
                if (f == null) {
                    skippedLines++;
                    if (firstSkippedLine < 0) firstSkippedLine = lineNo;
                } else {
                    frame = f;
                }
                frameLocks = null;
                inOwnable = false;
                return;
            }
            if (s.startsWith("java.lang.Thread.State:")) {
                String st = s.substring("java.lang.Thread.State:".length()).trim();
                DumpedThread.Builder target = mounted != null ? mounted : thread;
                target.state = ThreadState.parse(st);
                int open = st.indexOf('(');
                if (open >= 0 && st.endsWith(")")) target.stateDetail = st.substring(open + 1, st.length() - 1);
                return;
            }
            if (s.startsWith("Locked ownable synchronizers:")) {
                closeFrame();
                inOwnable = true;
                DumpedThread.Builder target = mounted != null ? mounted : thread;
                if (target.ownableSynchronizers == null) target.ownableSynchronizers = new ArrayList<>();
                // the carrier and the mounted thread share one list in jstack; keep it on the carrier too
                if (target != thread && thread.ownableSynchronizers == null) thread.ownableSynchronizers = new ArrayList<>();
                return;
            }
            if (s.startsWith("Carrying virtual thread #")) {
                thread.carrierOf = s.substring("Carrying virtual thread #".length()).trim();
                return;
            }
            if (s.startsWith("Mounted virtual thread #")) {
                closeFrame();
                String vid = s.substring("Mounted virtual thread #".length()).trim();
                DumpedThread.Builder v = DumpedThread.builder("");
                v.id = vid;
                v.virtual = true;
                v.carrierId = thread.id;
                v.headerLine = s;
                v.lineNumber = lineNo;
                mounted = v;
                frames = v.frames;
                return;
            }
            if (s.startsWith("No compile task") || s.startsWith("Compiling:")) return;
            skippedLines++;
            if (firstSkippedLine < 0) firstSkippedLine = lineNo;
        }

        private void ownable(String raw, int from) {
            DumpedThread.Builder target = mounted != null ? mounted : thread;
            ObjectRef ref = TextGrammar.ownable(raw, from, raw.length());
            if (ref != null) target.ownableSynchronizers.add(ref);    // "- None" or unreadable: nothing held
        }

        private void lockLine(String raw, int from, int lineNo) {
            LockLine l = frame == null ? null : TextGrammar.lock(raw, from, raw.length());
            if (l == null) {
                // not a lock line, or one before any frame (malformed): remember it as skipped
                skippedLines++;
                if (firstSkippedLine < 0) firstSkippedLine = lineNo;
                return;
            }
            if (frameLocks == null) frameLocks = new ArrayList<>(2);
            frameLocks.add(l);
        }

        /**
         * The hot path: a frame line inside a thread ({@code \tat pkg.Cls.m(File.java:12)}), three lines in four.
         * Parsed frames are shared through a cache keyed by the line's characters: big dumps repeat the same
         * frames in thousands of threads, so most lines cost one hash and no allocation.
         *
         * @return false if the line is not a frame line of the current thread (the general path handles it)
         */
        private boolean frameLine(int from, int eol) {
            if (thread == null || section.isOpen() || from >= eol) return false;
            if (ascii != null) return frameLineAscii(from, eol);
            char c0 = text.charAt(from);
            if (c0 != '\t' && c0 != ' ') return false;
            int i = from;
            while (i < eol && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
            int end = eol > i && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            while (end > i && text.charAt(end - 1) == ' ') end--;
            if (end - i < 4 || !text.startsWith("at ", i)) return false;
            StackFrame f = cache.get(text, i, end);
            if (f == null) {
                f = parseFrame(text.substring(i, end), List.of());
                if (f == null) return false; // let the general path count it as skipped
                cache.put(text, i, end, f);
            }
            beginFrame(f);
            return true;
        }

        /**
         * {@link #frameLine} on the bytes: most of a big dump is frame lines, and reading bytes is several times
         * cheaper than {@code charAt} in the quick compiler's code that a short run executes.
         */
        private boolean frameLineAscii(int lineFrom, int lineEnd) {
            byte[] b = ascii;
            int from = asciiBase + lineFrom;
            int eol = asciiBase + lineEnd;
            byte c0 = b[from];
            if (c0 != '\t' && c0 != ' ') return false;
            int i = from;
            while (i < eol && (b[i] == ' ' || b[i] == '\t')) i++;
            int end = eol > i && b[eol - 1] == '\r' ? eol - 1 : eol;
            while (end > i && b[end - 1] == ' ') end--;
            if (end - i < 4 || b[i] != 'a' || b[i + 1] != 't' || b[i + 2] != ' ') return false;
            StackFrame f = cache.get(b, i, end);
            if (f == null) {
                f = parseFrame(text.substring(i - asciiBase, end - asciiBase), List.of());
                if (f == null) return false;
                cache.put(b, i, end, f);
            }
            beginFrame(f);
            return true;
        }

        /** The next frame of the current thread; its lock lines follow. */
        private void beginFrame(StackFrame f) {
            closeFrame();
            frame = f;
            frameLocks = null;
            inOwnable = false;
        }

        private void closeFrame() {
            if (frame == null) return;
            StackFrame f = frame;
            if (frameLocks != null && !frameLocks.isEmpty()) {
                // Shared too when the lock lines are the same: 10,000 threads queued on one lock then have one
                // stack, and the model walks it once (Stacks, dev.knot.model.StackMemo).
                LockedFrame k = new LockedFrame(f, frameLocks);
                StackFrame known = lockedFrames.get(k);
                if (known == null) {
                    known = new StackFrame(f.className(), f.method(), f.module(), f.file(), f.line(), f.nativeMethod(),
                            frameLocks, f.text());
                    if (lockedFrames.size() < Stacks.MAX) lockedFrames.put(k, known);
                }
                f = known;
            }
            frames.add(f);
            frame = null;
            frameLocks = null;
        }

        private void endThread() {
            closeFrame();
            if (thread == null) return;
            thread.shareFrames(stacks.shared(thread.frames));
            if (mounted != null) mounted.shareFrames(stacks.shared(mounted.frames));
            if (thread.id.isEmpty() && thread.state == ThreadState.UNKNOWN && thread.frames.isEmpty()) {
                // VM-internal thread (GC, JIT, VM Thread): a native thread without Java state
                thread.stateDetail = thread.stateDetail.isEmpty() ? "vm internal" : thread.stateDetail;
            }
            if (mounted != null) {
                mounted.state = mounted.state != ThreadState.UNKNOWN ? mounted.state : inferState(mounted.frames);
                if (thread.state == ThreadState.UNKNOWN) thread.state = ThreadState.RUNNABLE;
                if (mounted.ownableSynchronizers == null && thread.ownableSynchronizers != null) {
                    mounted.ownableSynchronizers = new ArrayList<>();
                }
                threads.add(thread.build());
                threads.add(mounted.build());
            } else {
                threads.add(thread.build());
            }
            thread = null;
            mounted = null;
            frames = null;
            inOwnable = false;
        }
    }

    /**
     * Threads whose frames are the very same objects (the frame cache shares unlocked frames) share one immutable
     * list: thousands of threads of a pool or a parked crowd then carry one stack, and the model recognises stacks
     * it has already read by identity instead of walking them again (see dev.knot.model.StackMemo).
     */
    /** A frame from the cache (by identity) with the lock lines printed under it (by value). */
    private record LockedFrame(StackFrame frame, List<LockLine> locks) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LockedFrame k && k.frame == frame && k.locks.equals(locks);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(frame) + locks.hashCode();
        }
    }

    static final class Stacks {
        private final Map<Key, List<StackFrame>> seen = new HashMap<>();

        List<StackFrame> shared(List<StackFrame> frames) {
            if (frames.isEmpty()) return List.of();
            Key k = new Key(frames);
            List<StackFrame> s = seen.get(k);
            if (s != null) return s;
            s = List.copyOf(frames);
            if (seen.size() < MAX) seen.put(new Key(s, k.hash), s);
            return s;
        }

        static final int MAX = 1 << 16;

        /** A stack by the identity of its frames. */
        private static final class Key {
            final List<StackFrame> frames;
            final int hash;

            Key(List<StackFrame> frames) {
                this(frames, hashOf(frames));
            }

            Key(List<StackFrame> frames, int hash) {
                this.frames = frames;
                this.hash = hash;
            }

            private static int hashOf(List<StackFrame> frames) {
                int h = frames.size();
                for (int i = 0; i < frames.size(); i++) h = 31 * h + System.identityHashCode(frames.get(i));
                return h;
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object o) {
                if (!(o instanceof Key k) || k.hash != hash || k.frames.size() != frames.size()) return false;
                for (int i = 0; i < frames.size(); i++) {
                    if (k.frames.get(i) != frames.get(i)) return false;
                }
                return true;
            }
        }
    }

    /** A mounted virtual thread has no state line; its top frames say what it does. */
    static ThreadState inferState(List<StackFrame> frames) {
        if (frames.isEmpty()) return ThreadState.UNKNOWN;
        for (StackFrame f : frames) {
            for (LockLine l : f.locks()) {
                if (l.action() == LockLine.Action.WAITING_TO_LOCK) return ThreadState.BLOCKED;
            }
        }
        StackFrame top = frames.get(0);
        if (top.method().equals("park") || top.method().equals("parkNanos") || top.method().equals("wait0")
                || top.method().equals("wait")) {
            for (StackFrame f : frames) {
                if (f.method().equals("parkNanos") || f.method().equals("parkUntil")) return ThreadState.TIMED_WAITING;
            }
            return ThreadState.WAITING;
        }
        return ThreadState.RUNNABLE;
    }

    /** {@code at pkg.Cls.method(java.base@25.0.3/File.java:12)}; null if it is not a frame. */
    static StackFrame parseFrame(String s, List<LockLine> locks) {
        return TextGrammar.frame(s, 3, s.length(), locks, s);
    }

    /** {@code 0.50ms}, {@code 2.10s}, {@code 1.5m}; result in milliseconds, -1 if unreadable. */
    private static double parseDuration(String s) {
        double quick = parseSimpleDuration(s);
        if (quick >= 0) return quick;
        double factor = 1;
        String num = s;
        if (s.endsWith("ms")) {
            num = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            num = s.substring(0, s.length() - 1);
            factor = 1000;
        } else if (s.endsWith("m")) {
            num = s.substring(0, s.length() - 1);
            factor = 60_000;
        }
        try {
            return Double.parseDouble(num) * factor;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * {@code digits[.digits](ms|s)}, as every JDK prints them, without Double.parseDouble (slow until compiled,
     * and called twice per thread); -1 for anything else.
     */
    private static double parseSimpleDuration(String s) {
        int n = s.length();
        double factor;
        if (n > 2 && s.endsWith("ms")) {
            factor = 1;
            n -= 2;
        } else if (n > 1 && s.charAt(n - 1) == 's') {
            factor = 1000;
            n -= 1;
        } else {
            return -1;
        }
        long whole = 0;
        long frac = 0;
        long scale = 1;
        boolean dot = false;
        if (n > 15) return -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.' && !dot && i > 0) {
                dot = true;
            } else if (c >= '0' && c <= '9') {
                if (dot) {
                    frac = frac * 10 + (c - '0');
                    scale *= 10;
                } else {
                    whole = whole * 10 + (c - '0');
                }
            } else {
                return -1;
            }
        }
        if (dot && scale == 1) return -1;
        // one division of two exact integers (< 2^53) rounds once, to the same double as Double.parseDouble
        return (double) (whole * scale + frac) / scale * factor;
    }

    /**
     * Frames without their lock lines, keyed by the characters of the frame line (no substring needed to look
     * one up). Open addressing; stops growing at {@link #MAX} entries so a dump of all-different frames cannot
     * make it the biggest object in the heap.
     */
    static final class FrameCache {
        static final int MAX = 1 << 20;
        private StackFrame[] frames = new StackFrame[1 << 12];
        private int[] hashes = new int[1 << 12];
        private byte[][] keys = new byte[1 << 12][];  // the lines' bytes, for the byte form
        private int size;

        StackFrame get(String text, int from, int to) {
            int h = hash(text, from, to);
            int mask = frames.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                StackFrame f = frames[i];
                if (f == null) return null;
                if (hashes[i] == h && f.text().length() == to - from && text.regionMatches(from, f.text(), 0, to - from)) return f;
            }
        }

        void put(String text, int from, int to, StackFrame f) {
            if (size >= MAX) return;
            if (2 * (size + 1) > frames.length) grow();
            insert(hash(text, from, to), f, null);
            size++;
        }

        /** {@link #get(String, int, int)} for a line given as ASCII bytes; use one form per cache. */
        StackFrame get(byte[] b, int from, int to) {
            int h = hash(b, from, to);
            int mask = frames.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                StackFrame f = frames[i];
                if (f == null) return null;
                if (hashes[i] == h && Arrays.equals(keys[i], 0, keys[i].length, b, from, to)) return f;
            }
        }

        void put(byte[] b, int from, int to, StackFrame f) {
            if (size >= MAX) return;
            if (2 * (size + 1) > frames.length) grow();
            insert(hash(b, from, to), f, Arrays.copyOfRange(b, from, to));
            size++;
        }

        private void insert(int h, StackFrame f, byte[] key) {
            int mask = frames.length - 1;
            int i = h & mask;
            while (frames[i] != null) i = (i + 1) & mask;
            frames[i] = f;
            hashes[i] = h;
            keys[i] = key;
        }

        private void grow() {
            StackFrame[] oldFrames = frames;
            int[] oldHashes = hashes;
            byte[][] oldKeys = keys;
            frames = new StackFrame[oldFrames.length * 2];
            hashes = new int[oldFrames.length * 2];
            keys = new byte[oldFrames.length * 2][];
            for (int i = 0; i < oldFrames.length; i++) {
                if (oldFrames[i] != null) insert(oldHashes[i], oldFrames[i], oldKeys[i]);
            }
        }

        /**
         * Every third character plus the whole tail (where line numbers differ): a third of the work of a full
         * hash; get() compares the full region anyway.
         */
        private static int hash(String text, int from, int to) {
            int h = to - from;
            int tail = Math.max(from, to - 12);
            for (int i = from; i < tail; i += 3) h = 31 * h + text.charAt(i);
            for (int i = tail; i < to; i++) h = 31 * h + text.charAt(i);
            return h ^ (h >>> 16);
        }

        /** The same hash over ASCII bytes (equal to the String form's for the same characters). */
        private static int hash(byte[] b, int from, int to) {
            int h = to - from;
            int tail = Math.max(from, to - 12);
            for (int i = from; i < tail; i += 3) h = 31 * h + b[i];
            for (int i = tail; i < to; i++) h = 31 * h + b[i];
            return h ^ (h >>> 16);
        }
    }
}
