package dev.knot.input;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's own deadlock report that ends a HotSpot dump, read as evidence in its own right:
 * <pre>
 * Found one Java-level deadlock:
 * =============================
 * "T1":
 *   waiting to lock monitor 0x… (object 0x…, a java.lang.Object),
 *   which is held by "T2"
 * "T2":
 *   waiting for ownable synchronizer 0x…, (a java.util.concurrent.locks.ReentrantLock$NonfairSync),
 *   which is held by "T1"
 *
 * Java stack information for the threads listed above:
 * ===================================================
 * "T1":
 *         at …
 *         - waiting to lock &lt;0x…&gt; (a java.lang.Object)
 *         - locked &lt;0x…&gt; (a java.lang.Object)
 * </pre>
 * People often paste only this part (with or without its stacks), indented, inside markdown or HTML. Each thread
 * it names that the dump's thread list does not already hold becomes a thread of its own: waiting for what its
 * entry says, holding what the other entries say it holds (a {@code - locked} line for a monitor, a locked ownable
 * synchronizer for a j.u.c lock), with its stack from the second part when that is there. The model and rules then
 * read it like any other thread. Also read: the Serviceability Agent's layout ({@code jstack -F}/{@code jhsdb}:
 * {@code waiting to lock Monitor@0x… (Object@0x…, a pkg/Cls)}) and {@code in JNI, which is held by}.
 */
final class DeadlockSection {

    static final String MARKER = "Found one Java-level deadlock";
    private static final String STACKS = "Java stack information for the threads listed above";

    private static final Pattern MONITOR = Pattern.compile(
            "waiting to lock (?:monitor |Monitor@)(?:0x)?[0-9a-fA-F]*\\s*\\((?:object |Object@)((?:0x)?[0-9a-fA-F]+), a ([^)]+)\\)");
    private static final Pattern OWNABLE = Pattern.compile(
            "waiting for ownable synchronizer ((?:0x)?[0-9a-fA-F]+),? \\(a ([^)]+)\\)");
    private static final String HELD_BY = "which is held by";

    private enum Kind { MONITOR, OWNABLE, OTHER }

    /** One entry of the first part: a thread, what it waits for, and who holds that. */
    private static final class Entry {
        final String name;
        final String nameLine;
        final int line;
        Kind kind;
        ObjectRef object;
        String waitText = "";
        String heldBy;
        /** "which is held by UNKNOWN_owner_addr=…": the JVM could not find the owner among its threads. */
        boolean ownerUnknown;

        Entry(String name, String nameLine, int line) {
            this.name = name;
            this.nameLine = nameLine;
            this.line = line;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, List<StackFrame>> stacks = new LinkedHashMap<>();
    private final List<List<String>> cycles = new ArrayList<>();

    // reading state
    private boolean open;
    private boolean inStacks;
    private List<String> cycle;
    private Entry entry;
    private List<StackFrame> stack;
    private StackFrame frame;
    private List<LockLine> frameLocks;

    /** True if {@code line} (a raw input line) opens a deadlock report; anywhere in it: pastes add prefixes. */
    static boolean opens(String line) {
        return line.indexOf(MARKER) >= 0;
    }

    boolean isOpen() {
        return open;
    }

    void begin() {
        closeCycle();
        open = true;
        inStacks = false;
        cycle = new ArrayList<>();
        entry = null;
        endStack();
    }

    /** Ends the report (the JVM's "Found N deadlocks." line, a thread header, the next dump). */
    void end() {
        endStack();
        closeCycle();
        open = false;
        inStacks = false;
        entry = null;
    }

    /** A line while the report is open; false if the line is not part of it (it is then skipped). */
    boolean line(String raw, int lineNo) {
        String s = raw.strip();
        if (s.isEmpty()) {
            closeFrame();
            return true;
        }
        if (s.startsWith("Found ") && (s.endsWith("deadlocks.") || s.endsWith("deadlock."))) {
            end();
            return true;
        }
        if (s.contains(STACKS)) {
            closeCycle();
            entry = null;
            inStacks = true;
            return true;
        }
        if (s.startsWith("===")) return true;
        String name = quotedName(s);
        if (name != null) {
            if (inStacks) {
                endStack();
                stack = new ArrayList<>();
                if (!stacks.containsKey(name)) stacks.put(name, stack);
            } else {
                entry = entries.computeIfAbsent(name, n -> new Entry(n, s, lineNo));
                if (cycle != null && !cycle.contains(name)) cycle.add(name);
            }
            return true;
        }
        if (inStacks) return stackLine(s);
        if (entry != null) return entryLine(s);
        return false;
    }

    /** {@code "name":} (the name may hold quotes), or null. */
    private static String quotedName(String s) {
        if (s.length() < 3 || s.charAt(0) != '"' || !s.endsWith("\":")) return null;
        return s.substring(1, s.length() - 2);
    }

    private boolean entryLine(String s) {
        boolean known = false;
        Matcher m = MONITOR.matcher(s);
        if (m.find()) {
            entry.kind = Kind.MONITOR;
            entry.object = new ObjectRef(hexId(m.group(1)), m.group(2).strip().replace('/', '.'));
            entry.waitText = s;
            known = true;
        } else if ((m = OWNABLE.matcher(s)).find()) {
            entry.kind = Kind.OWNABLE;
            entry.object = new ObjectRef(hexId(m.group(1)), m.group(2).strip());
            entry.waitText = s;
            known = true;
        } else if (s.startsWith("waiting to lock JVM TI raw monitor")) {
            entry.kind = Kind.OTHER;   // not a Java object: nothing the model can name
            entry.waitText = s;
            known = true;
        }
        int held = s.indexOf(HELD_BY);
        if (held >= 0) {
            String rest = s.substring(held + HELD_BY.length()).strip();
            int q1 = rest.indexOf('"');
            int q2 = rest.lastIndexOf('"');
            if (q1 == 0 && q2 > 0) entry.heldBy = rest.substring(1, q2);
            else if (rest.startsWith("UNKNOWN_owner_addr") || rest.startsWith("non-Java thread")) entry.ownerUnknown = true;
            if (!entry.waitText.isEmpty() && !entry.waitText.equals(s)) entry.waitText = entry.waitText + " " + s;
            known = true;
        }
        return known || s.startsWith("which has now been released") || s.startsWith("in JNI");
    }

    private static String hexId(String id) {
        return id.startsWith("0x") ? id : "0x" + id;
    }

    private boolean stackLine(String s) {
        if (stack == null) return false;
        if (s.startsWith("at ")) {
            closeFrame();
            StackFrame f = JstackTextParser.parseFrame(s, List.of());
            if (f == null) return false;
            frame = f;
            frameLocks = null;
            return true;
        }
        if (s.charAt(0) == '-' && frame != null) {
            LockLine l = TextGrammar.lock(s, 0, s.length());
            if (l == null) return false;
            if (frameLocks == null) frameLocks = new ArrayList<>(2);
            frameLocks.add(l);
            return true;
        }
        endStack();  // text after a stack (a log line, a code fence): the stack is over
        return false;
    }

    private void closeFrame() {
        if (frame == null) return;
        StackFrame f = frame;
        if (frameLocks != null) {
            f = new StackFrame(f.className(), f.method(), f.module(), f.file(), f.line(), f.nativeMethod(), frameLocks, f.text());
        }
        if (stack != null) stack.add(f);
        frame = null;
        frameLocks = null;
    }

    private void endStack() {
        closeFrame();
        stack = null;
    }

    private void closeCycle() {
        if (cycle != null && !cycle.isEmpty()) cycles.add(List.copyOf(cycle));
        cycle = null;
    }

    /**
     * The first entry that stops short (a name without its wait, or a wait without "which is held by"): every entry the
     * JVM prints has both, so the report was cut there. Null when every entry is whole.
     */
    String cutEntry() {
        for (Entry e : entries.values()) {
            if (e.kind == null || e.kind != Kind.OTHER && e.heldBy == null && !e.ownerUnknown) return e.name;
        }
        return null;
    }

    /** The reports' threads as name cycles (what {@code ThreadDump.jdkDeadlocks} holds). */
    List<List<String>> cycles() {
        return cycles;
    }

    /**
     * The threads the report names that {@code listed} does not hold, each with the waits and holds the report
     * states; empty when the dump's thread list has them all (a whole dump: its threads already say it all).
     */
    List<DumpedThread> threadsNotIn(List<DumpedThread> listed, List<String> warnings, int lineBase) {
        end();
        if (entries.isEmpty()) return List.of();
        Set<String> have = new HashSet<>();
        for (DumpedThread t : listed) have.add(t.name());
        Map<String, List<Entry>> holds = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (e.heldBy != null && e.object != null) holds.computeIfAbsent(e.heldBy, k -> new ArrayList<>()).add(e);
        }
        // an entry counts only with the wait it states (a name line alone, or a wait the layout does not have, is not
        // evidence); its holder with it
        List<String> names = new ArrayList<>();
        for (Entry e : entries.values()) if (e.object != null) names.add(e.name);
        for (String h : holds.keySet()) if (!names.contains(h)) names.add(h);
        List<DumpedThread> out = new ArrayList<>();
        int withStacks = 0;
        for (String name : names) {
            if (have.contains(name)) continue;
            Entry e = entries.get(name);
            List<StackFrame> printed = stacks.get(name);
            if (printed != null && !printed.isEmpty()) withStacks++;
            out.add(thread(name, e, printed, holds.getOrDefault(name, List.of()), lineBase));
        }
        if (!out.isEmpty()) {
            warnings.add(out.size() + " thread(s) known only from the JVM's \"" + MARKER + "\" report, not from a thread"
                    + " list: " + (withStacks == out.size() ? "their stacks are the report's"
                    : withStacks == 0 ? "no stacks in the input" : "stacks for " + withStacks + " of them")
                    + "; the other threads of the process are not in the input");
        }
        return out;
    }

    private static DumpedThread thread(String name, Entry e, List<StackFrame> printed, List<Entry> held, int base) {
        DumpedThread.Builder b = DumpedThread.builder(name);
        b.headerLine = e != null ? e.nameLine : "\"" + name + "\"";
        b.lineNumber = e != null ? e.line + base : -1;
        List<StackFrame> frames = new ArrayList<>(printed == null ? List.of() : printed);
        if (e != null && e.kind == Kind.MONITOR) {
            b.state = ThreadState.BLOCKED;
            b.stateDetail = "on object monitor";
            if (!shows(frames, LockLine.Action.WAITING_TO_LOCK, e.object.id())) {
                frames.add(0, reported(new LockLine(LockLine.Action.WAITING_TO_LOCK, e.object, e.waitText), e.line + base));
            }
        } else if (e != null && e.kind == Kind.OWNABLE) {
            b.state = ThreadState.WAITING;
            b.stateDetail = "parking";
            if (!shows(frames, LockLine.Action.PARKING, e.object.id())) {
                frames.add(0, reported(new LockLine(LockLine.Action.PARKING, e.object, e.waitText), e.line + base));
            }
        }
        List<ObjectRef> ownable = null;
        for (Entry h : held) {
            String line = "held by \"" + name + "\", as \"" + h.name + "\" " + h.waitText;
            if (h.kind == Kind.MONITOR) {
                if (!shows(frames, LockLine.Action.LOCKED, h.object.id())) {
                    frames.add(reported(new LockLine(LockLine.Action.LOCKED, h.object, line), h.line + base));
                }
            } else if (h.kind == Kind.OWNABLE) {
                if (ownable == null) ownable = new ArrayList<>();
                if (!ownable.contains(h.object)) ownable.add(h.object);
            }
        }
        b.ownableSynchronizers = ownable;
        b.frames.addAll(frames);
        return b.build();
    }

    private static boolean shows(List<StackFrame> frames, LockLine.Action action, String id) {
        for (StackFrame f : frames) {
            for (LockLine l : f.locks()) {
                if (l.action() == action && l.object().id().equals(id)) return true;
            }
        }
        return false;
    }

    /**
     * A frame that stands for "the deadlock report says so" where the stack is not in the input; it cites the
     * report's line: {@code JVM.deadlockReport(line 5 of the input)}.
     */
    private static StackFrame reported(LockLine l, int line) {
        String where = line > 0 ? "line " + line + " of the input" : "the input";
        return new StackFrame("JVM", "deadlockReport", "", where, -1, false, List.of(l),
                "at JVM.deadlockReport(" + where + ")   (no stack in the input for this thread)");
    }
}
