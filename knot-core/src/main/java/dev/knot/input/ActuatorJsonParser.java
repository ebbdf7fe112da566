package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Spring Boot actuator {@code /threaddump} JSON: {@code {"threads":[ThreadInfo…]}} as Jackson writes
 * {@code java.lang.management.ThreadInfo} (a bare array of such objects is accepted too). Objects are named
 * {@code Cls@hex(identityHashCode)}, the same form as jcmd JSON. Virtual threads never appear in this format.
 */
final class ActuatorJsonParser {

    private ActuatorJsonParser() {
    }

    static List<ThreadDump> parse(String source, String text) throws UnreadableInputException {
        List<ThreadDump> dumps = new ArrayList<>();
        List<DumpedThread> current = null;
        List<String> warnings = new ArrayList<>();
        try (JsonParser p = JcmdJsonParser.JSON.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    current = new ArrayList<>();
                    readThreads(p, current, warnings);
                    dumps.add(dump(source, current, warnings));
                    current = null;
                } else if (t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("threads") && v == JsonToken.START_ARRAY) {
                            current = new ArrayList<>();
                            readThreads(p, current, warnings);
                            dumps.add(dump(source, current, warnings));
                            current = null;
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            String problem = JcmdJsonParser.describe(e);
            if (current != null && !current.isEmpty()) {
                dumps.add(dump(source, current, warnings).withCutOff(problem + ": read " + current.size()
                        + " complete threads, the rest of the document is missing"));
            }
            if (dumps.isEmpty()) throw new UnreadableInputException(source, problem);
        } catch (IOException e) {
            throw new UnreadableInputException(source, "cannot read JSON: " + ParseSupport.oneLine(e.getMessage(), 200));
        }
        return dumps;
    }

    private static ThreadDump dump(String source, List<DumpedThread> threads, List<String> warnings) {
        ThreadDump d = new ThreadDump(source, DumpFormat.ACTUATOR_JSON, null, "", "", threads, List.of(), warnings);
        warnings.clear();
        return d;
    }

    private static void readThreads(JsonParser p, List<DumpedThread> out, List<String> warnings) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                DumpedThread t = readThread(p, warnings);
                if (t != null) out.add(t);
            } else {
                p.skipChildren();
            }
        }
    }

    private record Lock(String className, String hash, int depth) {
        ObjectRef ref() {
            return ParseSupport.hashRef(className, hash);
        }
    }

    private static DumpedThread readThread(JsonParser p, List<String> warnings) throws IOException {
        DumpedThread.Builder b = DumpedThread.builder("");
        b.lineNumber = p.currentLocation().getLineNr();
        String lockName = null;
        String lockOwnerName = null;
        String lockOwnerId = null;
        Lock lockInfo = null;
        boolean sawName = false;
        List<Lock> monitors = new ArrayList<>();
        List<StackFrame> frames = new ArrayList<>();
        List<String> frameTexts = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "threadName" -> {
                    String s = ParseSupport.scalar(p);
                    b.name = s == null ? "" : s;
                    sawName = true;
                }
                case "threadId" -> b.id = nz(ParseSupport.scalar(p));
                case "threadState" -> b.state = ThreadState.parse(ParseSupport.scalar(p));
                case "daemon" -> b.daemon = v == JsonToken.VALUE_TRUE;
                case "inNative" -> {
                    if (v == JsonToken.VALUE_TRUE) b.stateDetail = "in native";
                }
                case "lockName" -> lockName = ParseSupport.scalar(p);
                case "lockOwnerName" -> lockOwnerName = ParseSupport.scalar(p);
                case "lockOwnerId" -> lockOwnerId = ParseSupport.scalar(p);
                case "lockInfo" -> lockInfo = v == JsonToken.START_OBJECT ? readLock(p) : skip(p);
                case "lockedMonitors" -> readLocks(p, monitors);
                case "lockedSynchronizers" -> {
                    List<Lock> syncs = new ArrayList<>();
                    if (readLocks(p, syncs)) {
                        List<ObjectRef> refs = new ArrayList<>();
                        for (Lock l : syncs) refs.add(l.ref());
                        b.ownableSynchronizers = refs;
                    }
                }
                case "stackTrace" -> {
                    if (v != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == JsonToken.START_OBJECT) frameTexts.add(readFrame(p));
                        else p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!sawName) {
            warnings.add("line " + b.lineNumber + ": thread object without threadName; skipped");
            return null;
        }
        if (lockInfo == null && lockName != null) {
            ObjectRef r = ParseSupport.identityRef(lockName);
            int at = lockName.lastIndexOf('@');
            lockInfo = new Lock(r.className(), at > 0 ? lockName.substring(at + 1) : lockName, 0);
        }
        b.headerLine = "\"" + b.name + "\" - Thread t@" + b.id + " " + b.state;

        int n = frameTexts.size();
        List<List<LockLine>> locks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) locks.add(new ArrayList<>());
        if (lockInfo != null && n > 0) {
            StackFrame top = TextGrammar.frame(frameTexts.get(0), List.of());
            LockLine.Action action = ParseSupport.threadInfoAction(b.state, top);
            String owner = lockOwnerName == null ? "" : " owned by \"" + lockOwnerName + "\" t@" + nz(lockOwnerId);
            locks.get(0).add(new LockLine(action, lockInfo.ref(), "- " + verb(action) + " <" + lockInfo.ref().id() + ">" + owner));
        } else if (lockInfo != null) {
            warnings.add("\"" + b.name + "\": waits on " + lockInfo.ref().id() + " but has no stack frame to attach it to");
        }
        for (Lock m : monitors) {
            // depth -1: locked through JNI, not by a frame; still a hold, so keep it on the top frame
            int d = m.depth < 0 ? 0 : m.depth;
            if (d >= n) {
                warnings.add("\"" + b.name + "\": locked monitor at depth " + m.depth + " outside its " + n + " frames");
                continue;
            }
            locks.get(d).add(new LockLine(LockLine.Action.LOCKED, m.ref(),
                    "- locked <" + m.ref().id() + ">" + (m.depth < 0 ? " (by JNI)" : "")));
        }
        for (int i = 0; i < n; i++) {
            StackFrame f = TextGrammar.frame(frameTexts.get(i), locks.get(i));
            if (f == null) {
                warnings.add("\"" + b.name + "\": unreadable frame " + ParseSupport.oneLine(frameTexts.get(i), 80));
                f = ParseSupport.unreadableFrame(frameTexts.get(i), locks.get(i));
            }
            frames.add(f);
        }
        b.frames.addAll(frames);
        return b.build();
    }

    private static String verb(LockLine.Action a) {
        return switch (a) {
            case WAITING_TO_LOCK -> "waiting to lock";
            case WAITING_TO_RELOCK -> "waiting to re-lock in wait()";
            case WAITING_ON -> "waiting on";
            default -> "parking to wait for";
        };
    }

    /** Reads an array of LockInfo/MonitorInfo objects; false if the field was not an array. */
    private static boolean readLocks(JsonParser p, List<Lock> out) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return false;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                Lock l = readLock(p);
                if (l != null) out.add(l);
            } else {
                p.skipChildren();
            }
        }
        return true;
    }

    private static Lock readLock(JsonParser p) throws IOException {
        String cls = null;
        String hash = null;
        int depth = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "className" -> cls = ParseSupport.scalar(p);
                case "identityHashCode" -> {
                    String h = ParseSupport.scalar(p);
                    try {
                        hash = h == null ? null : Long.toHexString(Long.parseLong(h.strip()) & 0xffffffffL);
                    } catch (NumberFormatException e) {
                        hash = h; // already hex, or junk: kept as printed
                    }
                }
                case "lockedStackDepth" -> depth = ParseSupport.parseInt(ParseSupport.scalar(p), 0);
                default -> p.skipChildren();
            }
        }
        if (cls == null && hash == null) return null;
        return new Lock(nz(cls), nz(hash), depth);
    }

    /** A StackTraceElement object, rendered as StackTraceElement.toString() would print it. */
    private static String readFrame(JsonParser p) throws IOException {
        String cls = "";
        String method = "";
        String file = null;
        int line = -1;
        boolean nativeMethod = false;
        String module = null;
        String moduleVersion = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "className" -> cls = nz(ParseSupport.scalar(p));
                case "methodName" -> method = nz(ParseSupport.scalar(p));
                case "fileName" -> file = ParseSupport.scalar(p);
                case "lineNumber" -> line = ParseSupport.parseInt(ParseSupport.scalar(p), -1);
                case "nativeMethod" -> nativeMethod = v == JsonToken.VALUE_TRUE;
                case "moduleName" -> module = ParseSupport.scalar(p);
                case "moduleVersion" -> moduleVersion = ParseSupport.scalar(p);
                default -> p.skipChildren();
            }
        }
        StringBuilder s = new StringBuilder();
        if (module != null && !module.isEmpty()) {
            s.append(module);
            if (moduleVersion != null && !moduleVersion.isEmpty()) s.append('@').append(moduleVersion);
            s.append('/');
        }
        s.append(cls).append('.').append(method).append('(');
        if (nativeMethod || line == -2) s.append("Native Method");
        else if (file == null || file.isEmpty()) s.append("Unknown Source");
        else if (line >= 0) s.append(file).append(':').append(line);
        else s.append(file);
        return s.append(')').toString();
    }

    private static Lock skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }


    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
