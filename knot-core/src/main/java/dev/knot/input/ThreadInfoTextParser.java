package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads text printed from {@code java.lang.management.ThreadInfo} objects rather than by the VM:
 * <ul>
 *   <li>Spring Boot actuator {@code /threaddump} as text/plain and VisualVM: {@code "name" - Thread t@12},
 *       then {@code    java.lang.Thread.State: WAITING[ on Cls@hash[ owned by: x]]};</li>
 *   <li>{@code ThreadInfo.toString()}: {@code "name" daemon prio=5 Id=12 WAITING on Cls@hash owned by "x" Id=13},
 *       {@code \t-  waiting on Cls@hash}, {@code \tNumber of locked synchronizers = 1}; at most 8 frames;</li>
 *   <li>the JConsole-plugin layout of old TDA logs: {@code "name" id=12 in WAITING}, lock lines before the frames,
 *       {@code Locked synchronizers: count = 1}.</li>
 * </ul>
 * Objects are identified as {@code Cls@hexIdentityHash} whichever way the text prints them, so blockers and
 * owned synchronizers of one dump can be matched. Virtual threads never appear (ThreadMXBean omits them).
 */
final class ThreadInfoTextParser {

    private static final int MAX_WARNINGS = 50;

    private ThreadInfoTextParser() {
    }

    /** Header kinds, see the class comment. */
    enum Kind { THREAD_AT, TO_STRING, JCONSOLE }

    /** The header kind of this line, or null. Cheap enough to run on every line of a large input. */
    static Kind headerKind(String line) {
        if (line.isEmpty() || line.charAt(0) != '"') return null;
        int at = line.indexOf("\" - Thread t@");
        if (at > 0) return digitsFollow(line, at + "\" - Thread t@".length()) ? Kind.THREAD_AT : null;
        if (nameEnd(line) < 0) return null;
        if (line.contains(" tid=") || line.contains(" nid=")) return null; // HotSpot header
        // a header only with its id and a thread state where ThreadInfo prints them: "x" [daemon] [prio=5] Id=12 WAITING
        int id = line.indexOf(" Id=");
        if (id > 0) return idThenState(line, id + 4, "") ? Kind.TO_STRING : null;
        int jc = line.indexOf(" id=");
        if (jc > 0) return idThenState(line, jc + 4, "in ") ? Kind.JCONSOLE : null;
        return null;
    }

    private static boolean digitsFollow(String line, int from) {
        int i = from;
        while (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        return i > from && (i == line.length() || line.charAt(i) == ' ');
    }

    /** {@code 12 WAITING…} (or {@code 12 in WAITING…} with {@code word} "in "): a thread id, then a Thread.State name. */
    private static boolean idThenState(String line, int from, String word) {
        int i = from;
        while (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        if (i == from || i >= line.length() || line.charAt(i) != ' ') return false;
        i++;
        if (!line.startsWith(word, i)) return false;
        i += word.length();
        int j = i;
        while (j < line.length() && (Character.isUpperCase(line.charAt(j)) || line.charAt(j) == '_')) j++;
        return ThreadState.parse(line.substring(i, j)) != ThreadState.UNKNOWN;
    }

    /** Index of the quote closing the thread name, found by what follows it. */
    private static int nameEnd(String line) {
        int best = -1;
        for (String follow : new String[] {"\" Id=", "\" daemon ", "\" prio=", "\" id=", "\" - Thread t@"}) {
            int i = line.indexOf(follow, 1);
            if (i > 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    /**
     * One id, {@code Cls@hexIdentityHash}, whichever way the text printed the object: ThreadInfo printers name
     * it by class and identity hash, as {@code <1a2b> (a Cls)}, {@code <0x001a2b> (a Cls)} or {@code Cls@1a2b}.
     */
    static ObjectRef byHash(ObjectRef o) {
        if (o == null || o.id().equals(TextGrammar.UNNAMED) || o.id().isEmpty()) return o;
        String id = o.id();
        int at = id.lastIndexOf('@');
        if (at > 0) return ParseSupport.hashRef(id.substring(0, at), id.substring(at + 1));
        return ParseSupport.hashRef(o.className(), id);
    }

    static List<ThreadDump> parse(String source, String text) {
        return new Scan(source).run(text);
    }

    private static final class Scan {
        private final String source;
        private final List<ThreadDump> dumps = new ArrayList<>();

        private Instant time;
        private Instant pendingTime;
        private String jvmVersion = "";
        private final List<DumpedThread.Builder> threads = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final List<String> warnings = new ArrayList<>();
        private int skipped;
        private int truncatedStacks;
        private boolean sawToStringSyncs;

        // current thread
        private DumpedThread.Builder thread;
        private final List<String> frameTexts = new ArrayList<>();
        private final List<List<LockLine>> frameLocks = new ArrayList<>();
        private final List<LockLine> beforeFrames = new ArrayList<>();
        private String waitText;
        private ObjectRef waitObject;
        private LockLine.Action waitVerb;
        private boolean inSyncs;

        Scan(String source) {
            this.source = source;
        }

        List<ThreadDump> run(String text) {
            ParseSupport.Lines lines = new ParseSupport.Lines(text);
            String line;
            boolean lastBlank = false;
            while ((line = lines.next()) != null) {
                String s = line.strip();
                lastBlank = line.isEmpty(); // a cut can leave the spaces that indent a frame
                Kind k = headerKind(line);
                if (k != null) {
                    startThread(line, k, lines.number());
                    continue;
                }
                if (s.isEmpty()) {
                    if (inSyncs) inSyncs = false;
                    continue;
                }
                if (s.startsWith("Full thread dump")) {
                    endDump();
                    jvmVersion = versionOf(s.substring("Full thread dump".length()));
                    continue;
                }
                if (s.equals("<EndOfDump>")) {
                    endDump();
                    continue;
                }
                Instant ts = TextGrammar.timestamp(s);
                if (ts != null) {
                    if (threads.isEmpty() && thread == null && time == null) time = ts;
                    else pendingTime = ts;
                    continue;
                }
                if (thread == null) continue; // log noise between dumps
                threadLine(s, lines.number());
            }
            // every layout ends a thread with a blank line: an input that stops inside one was cut there
            String cutIn = thread != null && !lastBlank ? thread.name : null;
            int before = dumps.size();
            endDump();
            if (cutIn != null && dumps.size() > before) {
                ThreadDump last = dumps.remove(dumps.size() - 1);
                dumps.add(last.withCutOff("the last thread, \"" + cutIn + "\", is not followed by the blank line that"
                        + " ends every thread"));
            }
            return dumps;
        }

        /**
         * {@code OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):} → {@code 25.0.3+9-LTS};
         * {@code Java HotSpot(TM) Client VM 1.6.0_03-b05} → {@code 1.6.0_03-b05}.
         */
        static String versionOf(String text) {
            String v = text.strip();
            if (v.endsWith(":")) v = v.substring(0, v.length() - 1).strip();
            for (int open = v.lastIndexOf('('); open >= 0; open = open == 0 ? -1 : v.lastIndexOf('(', open - 1)) {
                if (open + 1 < v.length() && Character.isDigit(v.charAt(open + 1))) {
                    String inner = v.substring(open + 1);
                    int end = 0;
                    while (end < inner.length() && inner.charAt(end) != ' ' && inner.charAt(end) != ')') end++;
                    return inner.substring(0, end);
                }
            }
            int sp = v.lastIndexOf(' ');
            String last = v.substring(sp + 1);
            return !last.isEmpty() && Character.isDigit(last.charAt(0)) ? last : v;
        }

        private void startThread(String line, Kind k, int number) {
            endThread();
            thread = DumpedThread.builder("");
            thread.headerLine = line;
            thread.lineNumber = number;
            if (k == Kind.THREAD_AT) {
                int end = line.lastIndexOf("\" - Thread t@");
                thread.name = line.substring(1, end);
                thread.id = digitsAt(line, end + "\" - Thread t@".length());
            } else {
                int end = nameEnd(line);
                thread.name = line.substring(1, end);
                String rest = line.substring(end + 1);
                if (k == Kind.TO_STRING) readToStringHeader(rest);
                else readJconsoleHeader(rest);
            }
            if (!thread.id.isEmpty() && !ids.add(thread.id)) {
                // the same thread again: a second dump printed without a separator
                DumpedThread.Builder t = thread;
                thread = null;
                endDump();
                thread = t;
                ids.add(t.id);
            }
        }

        /** {@code  daemon prio=5 Id=12 BLOCKED on Cls@hash owned by "x" Id=13 (in native)} */
        private void readToStringHeader(String rest) {
            String[] toks = rest.strip().split(" ");
            int i = 0;
            for (; i < toks.length; i++) {
                String t = toks[i];
                if (t.equals("daemon")) thread.daemon = true;
                else if (t.equals("virtual")) thread.virtual = true;
                else if (t.startsWith("Id=")) thread.id = digitsAt(t, 3);
                else if (ThreadState.parse(t) != ThreadState.UNKNOWN) {
                    thread.state = ThreadState.parse(t);
                    break;
                }
            }
            String tail = String.join(" ", java.util.Arrays.copyOfRange(toks, Math.min(i + 1, toks.length), toks.length));
            thread.stateDetail = detail(tail);
            if (tail.startsWith("on ")) {
                int sp = tail.indexOf(' ', 3);
                String obj = sp < 0 ? tail.substring(3) : tail.substring(3, sp);
                setWait(LockLine.Action.WAITING_ON, objectOf(obj), "header: " + tail);
            }
        }

        /** {@code  id=12 in TIMED_WAITING (running in native)} */
        private void readJconsoleHeader(String rest) {
            String r = rest.strip();
            if (r.startsWith("id=")) thread.id = digitsAt(r, 3);
            int in = r.indexOf(" in ");
            if (in >= 0) {
                String st = r.substring(in + 4).strip();
                thread.state = ThreadState.parse(st);
                thread.stateDetail = detail(st);
            }
        }

        /** Flags printed after the state; looked up by name since an owner's name may hold parentheses. */
        private static String detail(String s) {
            List<String> flags = new ArrayList<>();
            for (String f : new String[] {"running in native", "in native", "suspended"}) {
                if (s.endsWith("(" + f + ")") || s.contains("(" + f + ") ")) {
                    flags.add(f);
                    if (f.equals("running in native")) break;
                }
            }
            return String.join(", ", flags);
        }

        private void threadLine(String s, int number) {
            if (s.startsWith("java.lang.Thread.State:")) {
                String st = s.substring("java.lang.Thread.State:".length()).strip();
                thread.state = ThreadState.parse(st);
                int on = st.indexOf(" on ");
                if (on > 0) {
                    setWait(LockLine.Action.WAITING_ON, objectOf(st.substring(on + 4)), s);
                }
                return;
            }
            if (s.startsWith("at ")) {
                frameTexts.add(s.substring(3).strip());
                frameLocks.add(new ArrayList<>());
                inSyncs = false;
                return;
            }
            if (s.equals("...")) {
                truncatedStacks++;
                return;
            }
            if (s.startsWith("Number of locked synchronizers") || s.startsWith("Locked ownable synchronizers")
                    || s.startsWith("Locked synchronizers")) {
                if (thread.ownableSynchronizers == null) thread.ownableSynchronizers = new ArrayList<>();
                if (s.startsWith("Number of locked synchronizers")) sawToStringSyncs = true;
                inSyncs = true;
                return;
            }
            if (s.startsWith("-")) {
                if (inSyncs) {
                    ObjectRef o = byHash(TextGrammar.ownable(s, 0, s.length()));
                    if (o != null) thread.ownableSynchronizers.add(o);
                    else if (!s.substring(1).strip().equals("None")) skip(number, s);
                    return;
                }
                lockLine(s, number);
                return;
            }
            skip(number, s);
        }

        private void lockLine(String s, int number) {
            LockLine l = TextGrammar.lock(s, 0, s.length());
            if (l == null) {
                skip(number, s);
                return;
            }
            switch (l.action()) {
                case WAITING_TO_LOCK, WAITING_TO_RELOCK, WAITING_ON, PARKING -> setWait(l.action(), byHash(l.object()), l.text());
                default -> {
                    // a class-init line names the class, not an object
                    LockLine h = l.action() == LockLine.Action.CLASS_INIT ? l
                            : new LockLine(l.action(), byHash(l.object()), l.text());
                    if (frameLocks.isEmpty()) beforeFrames.add(h);
                    else frameLocks.get(frameLocks.size() - 1).add(h);
                }
            }
        }

        /** The one object ThreadInfo says the thread waits for; the lock line wins over the header. */
        private void setWait(LockLine.Action verb, ObjectRef o, String text) {
            if (o == null) return;
            if (waitObject != null && !text.startsWith("-")) return;
            waitObject = o;
            waitVerb = verb;
            waitText = text;
        }

        /** {@code <1a2b> (a Cls)}, {@code <0x1a2b> (a Cls)} or {@code Cls@1a2b}, as {@link #byHash}. */
        static ObjectRef objectOf(String s) {
            return byHash(TextGrammar.object(s, 0, s.length()));
        }

        private static String digitsAt(String s, int from) {
            int i = from;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            return s.substring(Math.min(from, s.length()), i);
        }

        private void endThread() {
            if (thread == null) return;
            List<StackFrame> frames = new ArrayList<>(frameTexts.size());
            List<List<LockLine>> locks = new ArrayList<>(frameLocks);
            if (!locks.isEmpty()) {
                List<LockLine> top = new ArrayList<>();
                StackFrame topFrame = TextGrammar.frame(frameTexts.get(0), List.of());
                if (waitObject != null) top.add(new LockLine(waitAction(topFrame), waitObject, waitText));
                for (LockLine l : beforeFrames) {
                    // The JConsole layout prints the awaited object again as "locked": not a hold.
                    if (waitObject == null || !l.object().id().equals(waitObject.id())) top.add(l);
                }
                top.addAll(locks.get(0));
                locks.set(0, top);
            } else if (waitObject != null) {
                warn("\"" + thread.name + "\": waits on " + waitObject.id() + " but has no stack frame to attach it to");
            }
            for (int i = 0; i < frameTexts.size(); i++) {
                StackFrame f = TextGrammar.frame(frameTexts.get(i), locks.get(i));
                if (f == null) {
                    warn("unreadable frame of \"" + thread.name + "\": " + ParseSupport.oneLine(frameTexts.get(i), 80));
                    f = ParseSupport.unreadableFrame(frameTexts.get(i), locks.get(i));
                }
                frames.add(f);
            }
            thread.frames.addAll(frames);
            threads.add(thread);
            thread = null;
            frameTexts.clear();
            frameLocks.clear();
            beforeFrames.clear();
            waitObject = null;
            waitText = null;
            waitVerb = null;
            inSyncs = false;
        }

        private LockLine.Action waitAction(StackFrame top) {
            ThreadState st = thread.state;
            if (st == ThreadState.BLOCKED || st == ThreadState.WAITING || st == ThreadState.TIMED_WAITING) {
                return ParseSupport.threadInfoAction(st, top);
            }
            // state not printed or RUNNABLE: trust the verb
            return switch (waitVerb) {
                case WAITING_TO_LOCK, PARKING, WAITING_TO_RELOCK -> waitVerb;
                default -> ParseSupport.isObjectWait(top) ? LockLine.Action.WAITING_ON : LockLine.Action.PARKING;
            };
        }

        /**
         * A waiter's header or state line names its lock's owner ({@code owned by "rl-2" Id=31}, {@code owned by: rl-2});
         * ThreadMXBean lists every platform thread, so an owner that is not among the threads was cut off (or is a
         * virtual thread, which it never lists). The first such, as a sentence, or null.
         */
        private static String missingOwner(List<DumpedThread> built) {
            Set<String> names = new HashSet<>();
            for (DumpedThread t : built) names.add(t.name());
            for (DumpedThread t : built) {
                List<String> texts = new ArrayList<>();
                texts.add(t.headerLine());
                for (StackFrame f : t.frames()) {
                    for (LockLine l : f.locks()) texts.add(l.text());
                }
                for (String text : texts) {
                    String owner = ownerNamed(text);
                    if (owner != null && !names.contains(owner)) {
                        return "\"" + t.name() + "\" waits for a lock owned by \"" + owner + "\", which is not in the input"
                                + " (cut off, or a virtual thread, which ThreadInfo does not list)";
                    }
                }
            }
            return null;
        }

        /** {@code … owned by "x" Id=13} (ThreadInfo.toString) or {@code … owned by "x" t@13} (actuator text). */
        private static String ownerNamed(String text) {
            int at = text.indexOf(" owned by \"");
            if (at < 0) return null;
            int from = at + " owned by \"".length();
            int to = Math.max(text.lastIndexOf("\" Id="), text.lastIndexOf("\" t@"));
            return to > from ? text.substring(from, to) : null;
        }

        private void endDump() {
            endThread();
            if (!threads.isEmpty()) {
                List<DumpedThread> built = new ArrayList<>(threads.size());
                for (DumpedThread.Builder b : threads) {
                    // ThreadInfo.toString prints the section only when a thread holds some
                    if (sawToStringSyncs && b.ownableSynchronizers == null) b.ownableSynchronizers = List.of();
                    built.add(b.build());
                }
                if (truncatedStacks > 0) {
                    warnings.add(truncatedStacks + " stacks cut after 8 frames by ThreadInfo.toString(); "
                            + "their outer frames are missing");
                }
                if (skipped > MAX_WARNINGS) warnings.add((skipped - MAX_WARNINGS) + " more lines skipped");
                ThreadDump d = new ThreadDump(source, DumpFormat.THREADINFO_TEXT, time, "", jvmVersion, built, List.of(),
                        warnings);
                String missing = missingOwner(built);
                dumps.add(missing == null ? d : d.withCutOff(missing));
                time = null;
                jvmVersion = "";
            }
            if (pendingTime != null) {
                time = pendingTime;
                pendingTime = null;
            }
            threads.clear();
            ids.clear();
            warnings.clear();
            skipped = 0;
            truncatedStacks = 0;
            sawToStringSyncs = false;
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
