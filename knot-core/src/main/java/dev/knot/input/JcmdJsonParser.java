package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code jcmd PID Thread.dump_to_file -format=json} (JDK 21+; thread states and lock fields from
 * JDK 25). Streaming, so a 25 MB dump needs no tree in memory and a truncated file still yields the
 * threads that were complete.
 */
final class JcmdJsonParser {

    static final JsonFactory JSON = JsonFactory.builder().build();

    private JcmdJsonParser() {
    }

    /** Every {@code threadDump} object in the text (several may be concatenated), in order. */
    static List<ThreadDump> parse(String source, String text) throws UnreadableInputException {
        List<ThreadDump> dumps = new ArrayList<>();
        DumpState current = null;
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                // root object: {"threadDump": {...}}
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("threadDump") && p.currentToken() == JsonToken.START_OBJECT) {
                        current = new DumpState();
                        readDump(p, current);
                        dumps.add(current.build(source));
                        current = null;
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (JsonProcessingException e) {
            return recover(source, dumps, current, e);
        } catch (IOException e) {
            throw new UnreadableInputException(source, "cannot read JSON: " + ParseSupport.oneLine(e.getMessage(), 200));
        }
        return dumps;
    }

    /** Keeps what was complete before a syntax error or the end of a cut file. */
    private static List<ThreadDump> recover(String source, List<ThreadDump> dumps, DumpState current,
                                            JsonProcessingException e) throws UnreadableInputException {
        String problem = describe(e);
        if (current != null) {
            current.finishContainer();
            if (!current.threads.isEmpty()) {
                dumps.add(current.build(source).withCutOff(problem + ": read " + current.threads.size()
                        + " complete threads, the rest of the document is missing"));
            }
        }
        if (dumps.isEmpty()) throw new UnreadableInputException(source, problem);
        return dumps;
    }

    static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String at = loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr();
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonEOFException || msg.contains("end-of-input")) return "truncated JSON" + at;
        // Jackson's messages go on with hints and source excerpts: keep the first clause
        int cut = msg.length();
        for (String marker : new String[] {": was expecting", ": expected", ": has to be", ": only regular", " (for ",
                ", from `", "\n"}) {
            int i = msg.indexOf(marker);
            if (i > 0 && i < cut) cut = i;
        }
        return "malformed JSON" + at + " (" + ParseSupport.oneLine(msg.substring(0, cut), 100) + ")";
    }

    private static void readDump(JsonParser p, DumpState d) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "processId" -> d.processId = ParseSupport.scalar(p);
                case "time" -> {
                    String s = ParseSupport.scalar(p);
                    d.time = TextGrammar.timestamp(s);
                    if (d.time == null && s != null) d.warnings.add("unreadable dump time: " + ParseSupport.oneLine(s, 60));
                }
                case "runtimeVersion" -> d.jvmVersion = ParseSupport.scalar(p);
                case "threadContainers" -> {
                    if (v != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == JsonToken.START_OBJECT) readContainer(p, d);
                        else p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readContainer(JsonParser p, DumpState d) throws IOException {
        d.containerName = "";
        d.pending.clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("container")) {
                String name = ParseSupport.scalar(p);
                d.containerName = name == null ? "" : name;
            } else if (field.equals("threads") && v == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.START_OBJECT) {
                        d.pending.add(readThread(p, d));
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        d.finishContainer();
    }

    private static RawThread readThread(JsonParser p, DumpState d) throws IOException {
        RawThread t = new RawThread();
        t.line = p.currentLocation().getLineNr();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "tid" -> t.tid = ParseSupport.scalar(p);
                case "name" -> t.name = ParseSupport.scalar(p);
                case "state" -> t.state = ParseSupport.scalar(p);
                case "virtual" -> t.virtual = v == JsonToken.VALUE_TRUE || "true".equals(ParseSupport.scalar(p));
                case "carrier" -> t.carrier = ParseSupport.scalar(p);
                case "blockedOn" -> t.blockedOn = ParseSupport.scalar(p);
                case "waitingOn" -> t.waitingOn = ParseSupport.scalar(p);
                case "parkBlocker" -> {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("object")) t.parkBlocker = ParseSupport.scalar(p);
                            else if (f.equals("owner")) t.parkBlockerOwner = ParseSupport.scalar(p);
                            else p.skipChildren();
                        }
                    } else {
                        t.parkBlocker = ParseSupport.scalar(p); // tolerate a plain string
                    }
                }
                case "stack" -> {
                    if (v != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String s = ParseSupport.scalar(p);
                        if (s != null) t.stack.add(s);
                    }
                }
                case "monitorsOwned" -> {
                    if (v != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == JsonToken.START_OBJECT) readMonitors(p, t);
                        else p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return t;
    }

    private static void readMonitors(JsonParser p, RawThread t) throws IOException {
        int depth = -1;
        List<String> locks = new ArrayList<>();
        boolean sawNull = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (f.equals("depth")) {
                depth = ParseSupport.parseInt(ParseSupport.scalar(p), -1);
            } else if (f.equals("locks") && v == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_NULL) {
                        locks.add(null); // lock eliminated by the JIT
                        sawNull = true;
                    } else {
                        String s = ParseSupport.scalar(p);
                        if (s != null) locks.add(s);
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (!locks.isEmpty() || sawNull) t.monitors.add(new Monitors(depth, locks));
    }


    private record Monitors(int depth, List<String> locks) {
    }

    /** One thread's fields as read; frames are built once the whole object is in. */
    private static final class RawThread {
        String tid;
        String name;
        String state;
        boolean virtual;
        String carrier;
        String blockedOn;
        String waitingOn;
        String parkBlocker;
        String parkBlockerOwner;
        int line = -1;
        final List<String> stack = new ArrayList<>();
        final List<Monitors> monitors = new ArrayList<>();
    }

    private static final class DumpState {
        String processId;
        Instant time;
        String jvmVersion;
        String containerName = "";
        final List<RawThread> pending = new ArrayList<>();
        final List<DumpedThread.Builder> threads = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        void finishContainer() {
            for (RawThread t : pending) {
                // an object with neither a thread id nor a name is not a thread of this layout
                if (t.tid != null || t.name != null) threads.add(toBuilder(t, containerName, warnings));
            }
            pending.clear();
        }

        ThreadDump build(String source) {
            linkCarriers(threads);
            List<DumpedThread> built = new ArrayList<>(threads.size());
            for (DumpedThread.Builder b : threads) built.add(b.build());
            return new ThreadDump(source, DumpFormat.JCMD_JSON, time, processId, jvmVersion, built, List.of(), warnings);
        }
    }

    /** A carrier does not name its virtual thread in this format; the virtual thread names its carrier. */
    static void linkCarriers(List<DumpedThread.Builder> threads) {
        Map<String, DumpedThread.Builder> byId = new HashMap<>();
        for (DumpedThread.Builder b : threads) {
            if (!b.virtual && !b.id.isEmpty()) byId.putIfAbsent(b.id, b);
        }
        for (DumpedThread.Builder b : threads) {
            if (!b.virtual || b.carrierId.isEmpty()) continue;
            DumpedThread.Builder carrier = byId.get(b.carrierId);
            if (carrier != null && carrier.carrierOf.isEmpty()) carrier.carrierOf = b.id;
        }
    }

    private static DumpedThread.Builder toBuilder(RawThread t, String container, List<String> warnings) {
        DumpedThread.Builder b = DumpedThread.builder(t.name == null ? "" : t.name);
        b.id = t.tid == null ? "" : t.tid;
        b.virtual = t.virtual;
        b.state = ThreadState.parse(t.state);
        b.container = container;
        b.carrierId = t.carrier == null ? "" : t.carrier;
        b.lineNumber = t.line;
        b.headerLine = "#" + b.id + " \"" + b.name + "\"" + (t.virtual ? " virtual" : "")
                + (t.state == null ? "" : " " + t.state);

        int n = t.stack.size();
        List<List<LockLine>> locks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) locks.add(new ArrayList<>());
        String who = "thread \"" + b.name + "\" #" + b.id;

        // Why the thread waits goes on the top frame, as jstack prints it.
        if (t.blockedOn != null) {
            addTop(locks, LockLine.Action.WAITING_TO_LOCK, t.blockedOn, "- waiting to lock <" + t.blockedOn + ">",
                    who, warnings);
        }
        if (t.waitingOn != null) {
            addTop(locks, LockLine.Action.WAITING_ON, t.waitingOn, "- waiting on <" + t.waitingOn + ">", who, warnings);
        }
        if (t.parkBlocker != null) {
            String owner = t.parkBlockerOwner == null ? "" : " owned by #" + t.parkBlockerOwner;
            addTop(locks, LockLine.Action.PARKING, t.parkBlocker,
                    "- parking to wait for <" + t.parkBlocker + ">" + owner, who, warnings);
        }
        for (Monitors m : t.monitors) {
            if (m.depth < 0 || m.depth >= n) {
                warnings.add(who + ": monitorsOwned depth " + m.depth + " outside its " + n + " frames; ignored");
                continue;
            }
            for (String lock : m.locks) {
                if (lock == null) {
                    locks.get(m.depth).add(new LockLine(LockLine.Action.ELIMINATED, new ObjectRef("", ""),
                            "- lock is eliminated"));
                } else {
                    locks.get(m.depth).add(new LockLine(LockLine.Action.LOCKED, ParseSupport.identityRef(lock),
                            "- locked <" + lock + ">"));
                }
            }
        }
        inferRelock(b.state, t.stack, locks);
        for (int i = 0; i < n; i++) {
            StackFrame f = TextGrammar.frame(t.stack.get(i), locks.get(i));
            if (f == null) {
                warnings.add(who + ": unreadable frame \"" + ParseSupport.oneLine(t.stack.get(i), 80) + "\"");
                f = ParseSupport.unreadableFrame(t.stack.get(i), locks.get(i));
            }
            b.frames.add(f);
        }
        return b;
    }

    private static void addTop(List<List<LockLine>> locks, LockLine.Action action, String object, String text,
                               String who, List<String> warnings) {
        if (locks.isEmpty()) {
            warnings.add(who + ": " + text.substring(2) + " but no stack frame to attach it to");
            return;
        }
        locks.get(0).add(new LockLine(action, ParseSupport.identityRef(object), text));
    }

    /**
     * Measured on JDK 25: a thread notified in Object.wait() and blocked re-acquiring the monitor is BLOCKED
     * with neither blockedOn nor waitingOn. jstack prints "waiting to re-lock in wait()" for the monitor that
     * the frame calling wait() holds; add the same line so both formats say the same thing.
     */
    static void inferRelock(ThreadState state, List<String> stack, List<List<LockLine>> locks) {
        if (state != ThreadState.BLOCKED || stack.isEmpty() || !locks.get(0).isEmpty()) return;
        StackFrame top = TextGrammar.frame(stack.get(0), List.of());
        if (!ParseSupport.isObjectWait(top)) return;
        int i = 1;
        while (i < stack.size() && ParseSupport.isObjectWait(TextGrammar.frame(stack.get(i), List.of()))) i++;
        for (; i < locks.size(); i++) {
            for (LockLine l : locks.get(i)) {
                if (l.action() == LockLine.Action.LOCKED) {
                    locks.get(0).add(new LockLine(LockLine.Action.WAITING_TO_RELOCK, l.object(),
                            "- waiting to re-lock in wait() <" + l.object().id() + "> (inferred: BLOCKED in Object.wait)"));
                    return;
                }
            }
        }
    }
}
