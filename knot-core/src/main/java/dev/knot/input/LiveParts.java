package dev.knot.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.sites.Frames;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A live snapshot in two parts, as the agent hands it to {@code knot attach}: the JVM's text thread dump
 * ({@code Thread.print}, in its own file, read by Knot's jstack parser) and this: what reflection proved about
 * the threads and locks in it. {@link #merge} makes the same {@link DumpFormat#LIVE} snapshot
 * {@code LiveSnapshot.take} (in dev.knot.live) would.
 *
 * <p>The text names objects by address, reflection by {@code Class@identityHash}: a lock is matched through a
 * thread parked on it (same thread, same class, the same blocker object before and after the text dump). An
 * address claimed for two identities or the other way round is matched to neither; facts about a blocker that
 * was not matched are dropped, never attached to the wrong lock.
 *
 * @param threads by thread id, only threads with something to add
 */
public record LiveParts(String source, Instant time, String pid, String jvm, Map<String, Extra> threads,
                        List<LiveFact> facts, List<String> warnings) {
    public static final String ROOT = "knotLiveParts";
    public static final int VERSION = 1;

    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * What reflection adds to one thread.
     *
     * @param blocker the object it is parked on, if it was the same before and after the text dump; else null
     * @param owned   the locks it owns that someone waits for
     */
    public record Extra(String id, String container, ObjectRef blocker, List<ObjectRef> owned) {
    }

    // ---- merging ----------------------------------------------------------------------------------

    /** The live snapshot: the text dump's threads (JVM-internal threads left out) with the facts, in text ids. */
    public ThreadDump merge(ThreadDump text) {
        Map<String, String> toText = new HashMap<>();
        Map<String, String> toIdentity = new HashMap<>();
        Set<String> conflicts = new HashSet<>();
        Set<String> blockerIds = new HashSet<>();
        for (Extra x : threads.values()) {
            if (x.blocker() != null) blockerIds.add(x.blocker().id());
        }
        for (DumpedThread t : text.threads()) {
            Extra x = t.id().isEmpty() ? null : threads.get(t.id());
            if (x == null || x.blocker() == null) continue;
            ObjectRef parked = parkedOn(t);
            if (parked == null || !parked.className().equals(x.blocker().className())) continue;
            String identity = x.blocker().id();
            String address = parked.id();
            String a = toText.putIfAbsent(identity, address);
            String i = toIdentity.putIfAbsent(address, identity);
            if (a != null && !a.equals(address) || i != null && !i.equals(identity)) {
                conflicts.add(identity);
                conflicts.add(i == null ? identity : i);
                conflicts.add(a == null ? address : a);
                conflicts.add(address);
            }
        }
        toText.keySet().removeIf(conflicts::contains);
        toText.values().removeIf(conflicts::contains);

        List<DumpedThread> out = new ArrayList<>(text.threads().size());
        for (DumpedThread t : text.threads()) {
            if (t.id().isEmpty() || t.virtual()) continue; // "VM Thread", GC and compiler workers: not Java threads
            Extra x = threads.get(t.id());
            List<ObjectRef> owned = new ArrayList<>();
            if (x != null) {
                for (ObjectRef o : x.owned()) {
                    String id = toText.get(o.id());
                    if (id != null) owned.add(new ObjectRef(id, o.className()));
                }
            }
            String container = x == null || x.container().isEmpty() ? t.container() : x.container();
            out.add(new DumpedThread(t.name(), t.id(), t.nativeId(), t.virtual(), t.daemon(), t.state(), t.stateDetail(),
                    t.cpuMillis(), t.elapsedSeconds(), container, t.carrierOf(), t.carrierId(), t.frames(), owned,
                    t.headerLine(), t.lineNumber()));
        }
        List<LiveFact> merged = new ArrayList<>(facts.size());
        int dropped = 0;
        Map<String, DumpedThread> textById = new HashMap<>();
        for (DumpedThread t : out) textById.put(t.id(), t);
        for (LiveFact f : facts) {
            if (f.objectId().startsWith(AgentProtocol.JOIN_OF)) {
                String address = joinedThreadObject(textById.get(f.objectId().substring(AgentProtocol.JOIN_OF.length())));
                if (address != null) merged.add(new LiveFact(f.kind(), address, f.threadId(), f.detail()));
                continue;
            }
            String id = toText.get(f.objectId());
            if (id != null) {
                merged.add(new LiveFact(f.kind(), id, f.threadId(), f.detail()));
            } else if (blockerIds.contains(f.objectId())) {
                dropped++;
            } else {
                merged.add(f);
            }
        }
        List<String> w = new ArrayList<>(text.warnings());
        w.addAll(warnings);
        if (dropped > 0) {
            w.add(dropped + " live fact(s) left out: their lock could not be matched to the thread dump"
                    + " (it changed while the snapshot was taken)");
        }
        return new ThreadDump(source, DumpFormat.LIVE, time, pid, jvm, out, text.jdkDeadlocks(), w, merged);
    }

    /** The Thread object a waiting thread's top frames say it joins (see {@link Frames#joinedThread}). */
    private static String joinedThreadObject(DumpedThread t) {
        ObjectRef joined = t == null ? null : Frames.joinedThread(t.frames());
        return joined == null ? null : joined.id();
    }

    /** The object of a thread's "parking to wait for" line, if it has one. */
    private static ObjectRef parkedOn(DumpedThread t) {
        for (StackFrame f : t.frames()) {
            for (LockLine l : f.locks()) {
                if (l.action() == LockLine.Action.PARKING) return l.object();
            }
            if (!f.locks().isEmpty()) return null;
        }
        return null;
    }

    // ---- the file ---------------------------------------------------------------------------------

    public void write(Writer w) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart(ROOT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("source", source);
            g.writeStringField("time", time.toString());
            g.writeStringField("pid", pid);
            g.writeStringField("jvm", jvm);
            g.writeArrayFieldStart("threads");
            for (Extra x : threads.values()) {
                g.writeStartArray();
                g.writeString(x.id());
                g.writeString(x.container());
                g.writeString(x.blocker() == null ? "" : x.blocker().id());
                g.writeString(x.blocker() == null ? "" : x.blocker().className());
                for (ObjectRef o : x.owned()) {
                    g.writeString(o.id());
                    g.writeString(o.className());
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            SnapshotJson.writeFacts(g, facts);
            g.writeArrayFieldStart("warnings");
            for (String s : warnings) g.writeString(s);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** @throws IOException if it is not this version of the parts file, or is damaged */
    public static LiveParts read(Reader in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !ROOT.equals(p.getCurrentName()) || p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a Knot live snapshot");
            }
            String source = "";
            Instant time = null;
            String pid = "";
            String jvm = "";
            Map<String, Extra> threads = new LinkedHashMap<>();
            List<LiveFact> facts = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            int version = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                switch (field) {
                    case "version" -> version = p.getIntValue();
                    case "source" -> source = p.getText();
                    case "time" -> time = Instant.parse(p.getText());
                    case "pid" -> pid = p.getText();
                    case "jvm" -> jvm = p.getText();
                    case "threads" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            List<String> v = values(p);
                            ObjectRef blocker = v.get(2).isEmpty() ? null : new ObjectRef(v.get(2), v.get(3));
                            List<ObjectRef> owned = new ArrayList<>();
                            for (int i = 4; i + 1 < v.size(); i += 2) owned.add(new ObjectRef(v.get(i), v.get(i + 1)));
                            threads.put(v.get(0), new Extra(v.get(0), v.get(1), blocker, owned));
                        }
                    }
                    case "facts" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            List<String> v = values(p);
                            facts.add(new LiveFact(LiveFact.Kind.valueOf(v.get(0)), v.get(1), v.get(2), v.get(3)));
                        }
                    }
                    case "warnings" -> warnings.addAll(values(p));
                    default -> p.skipChildren();
                }
            }
            if (version != VERSION) throw new IOException("Knot live snapshot version " + version + " is not supported");
            return new LiveParts(source, time, pid, jvm, threads, facts, warnings);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new IOException("damaged Knot live snapshot: " + e.getMessage(), e);
        }
    }

    private static List<String> values(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) throw new IOException("truncated Knot live snapshot");
            out.add(p.getText());
        }
        return out;
    }
}
