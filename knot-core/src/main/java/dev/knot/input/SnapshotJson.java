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
import dev.knot.snapshot.ThreadState;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Knot's own snapshot file ({@code knot dump PID}, and what the agent hands to {@code knot attach}): the live
 * snapshot with everything it proved, so a later {@code knot analyze} is as certain as {@code knot attach} was.
 *
 * <p>Compact and streamed: distinct frames are written once and threads refer to them by index (10,000 threads
 * share a few dozen frames), lock lines carry the frame depth they belong to. Top-level key {@value #ROOT}.
 */
public final class SnapshotJson {
    public static final String ROOT = "knotSnapshot";
    public static final int VERSION = 2;

    private static final JsonFactory FACTORY = new JsonFactory();

    private SnapshotJson() {
    }

    // ---- writing ----------------------------------------------------------------------------------

    public static void write(ThreadDump dump, Writer out) throws IOException {
        // Keyed by the frame's text (which names class, method, file and line): shared String instances cache
        // their hash, whereas hashing StackFrame records would walk every field of 300,000 frames.
        Map<String, Integer> index = new HashMap<>();
        List<StackFrame> frames = new ArrayList<>();
        for (DumpedThread t : dump.threads()) {
            for (StackFrame f : t.frames()) {
                if (!index.containsKey(f.text())) {
                    index.put(f.text(), frames.size());
                    frames.add(plain(f));
                }
            }
        }
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart(ROOT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("source", dump.source());
            if (dump.time() != null) g.writeStringField("time", dump.time().toString());
            g.writeStringField("pid", dump.processId());
            g.writeStringField("jvm", dump.jvmVersion());
            g.writeArrayFieldStart("frames");
            for (StackFrame f : frames) {
                g.writeStartArray();
                g.writeString(f.className());
                g.writeString(f.method());
                g.writeString(f.module());
                g.writeString(f.file());
                g.writeNumber(f.line());
                g.writeBoolean(f.nativeMethod());
                g.writeString(f.text());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("threads");
            for (DumpedThread t : dump.threads()) thread(g, t, index);
            g.writeEndArray();
            g.writeArrayFieldStart("jdkDeadlocks");
            for (List<String> cycle : dump.jdkDeadlocks()) strings(g, cycle);
            g.writeEndArray();
            g.writeFieldName("warnings");
            strings(g, dump.warnings());
            writeFacts(g, dump.facts());
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void thread(JsonGenerator g, DumpedThread t, Map<String, Integer> index) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("id", t.id());
        if (!t.nativeId().isEmpty()) g.writeStringField("nid", t.nativeId());
        if (t.virtual()) g.writeBooleanField("virtual", true);
        if (t.daemon()) g.writeBooleanField("daemon", true);
        g.writeStringField("state", t.state().name());
        if (!t.stateDetail().isEmpty()) g.writeStringField("detail", t.stateDetail());
        if (t.cpuMillis() >= 0) g.writeNumberField("cpu", t.cpuMillis());
        if (!t.container().isEmpty()) g.writeStringField("container", t.container());
        if (!t.carrierOf().isEmpty()) g.writeStringField("carrierOf", t.carrierOf());
        if (!t.carrierId().isEmpty()) g.writeStringField("carrierId", t.carrierId());
        g.writeArrayFieldStart("stack");
        for (StackFrame f : t.frames()) g.writeNumber(index.get(f.text()));
        g.writeEndArray();
        g.writeArrayFieldStart("locks");
        List<StackFrame> frames = t.frames();
        for (int d = 0; d < frames.size(); d++) {
            for (LockLine l : frames.get(d).locks()) {
                g.writeStartArray();
                g.writeNumber(d);
                g.writeString(l.action().name());
                g.writeString(l.object().id());
                g.writeString(l.object().className());
                g.writeString(l.text());
                g.writeEndArray();
            }
        }
        g.writeEndArray();
        if (t.ownableSynchronizers() != null) {
            g.writeArrayFieldStart("owned");
            for (ObjectRef o : t.ownableSynchronizers()) {
                g.writeStartArray();
                g.writeString(o.id());
                g.writeString(o.className());
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static StackFrame plain(StackFrame f) {
        return f.locks().isEmpty() ? f
                : new StackFrame(f.className(), f.method(), f.module(), f.file(), f.line(), f.nativeMethod(), List.of(), f.text());
    }

    /** {@code "facts": [[kind, object, thread, detail], …]}: shared with {@link LiveParts}. */
    static void writeFacts(JsonGenerator g, List<LiveFact> facts) throws IOException {
        g.writeArrayFieldStart("facts");
        for (LiveFact f : facts) {
            g.writeStartArray();
            g.writeString(f.kind().name());
            g.writeString(f.objectId());
            g.writeString(f.threadId());
            g.writeString(f.detail());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, List<String> values) throws IOException {
        g.writeStartArray();
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    // ---- reading ----------------------------------------------------------------------------------

    /** @throws IOException if it is not a Knot snapshot of this version, or is damaged */
    public static ThreadDump read(Reader in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            if (p.nextToken() != JsonToken.FIELD_NAME || !ROOT.equals(p.getCurrentName())) {
                throw new IOException("not a Knot snapshot");
            }
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            String source = "";
            Instant time = null;
            String pid = "";
            String jvm = "";
            List<StackFrame> frames = new ArrayList<>();
            List<DumpedThread> threads = new ArrayList<>();
            List<List<String>> deadlocks = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            List<LiveFact> facts = new ArrayList<>();
            int version = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                switch (field) {
                    case "version" -> {
                        version = p.getIntValue();
                        if (version != VERSION) {
                            throw new IOException("Knot snapshot version " + version + " is not supported (expected "
                                    + VERSION + ")");
                        }
                    }
                    case "source" -> source = p.getText();
                    case "time" -> time = instant(p.getText());
                    case "pid" -> pid = p.getText();
                    case "jvm" -> jvm = p.getText();
                    case "frames" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            List<String> v = values(p);
                            frames.add(new StackFrame(v.get(0), v.get(1), v.get(2), v.get(3), Integer.parseInt(v.get(4)),
                                    Boolean.parseBoolean(v.get(5)), List.of(), v.get(6)));
                        }
                    }
                    case "threads" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) threads.add(thread(p, frames));
                    }
                    case "jdkDeadlocks" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) deadlocks.add(values(p));
                    }
                    case "warnings" -> warnings.addAll(values(p));
                    case "facts" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            List<String> v = values(p);
                            facts.add(new LiveFact(LiveFact.Kind.valueOf(v.get(0)), v.get(1), v.get(2), v.get(3)));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (version != VERSION) throw new IOException("not a Knot snapshot (no version)");
            return new ThreadDump(source, DumpFormat.LIVE, time, pid, jvm, threads, deadlocks, warnings, facts);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("damaged Knot snapshot: " + e.getMessage(), e);
        }
    }

    private static DumpedThread thread(JsonParser p, List<StackFrame> frames) throws IOException {
        DumpedThread.Builder b = DumpedThread.builder("");
        List<Integer> stack = new ArrayList<>();
        List<List<String>> locks = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.getCurrentName();
            p.nextToken();
            switch (field) {
                case "name" -> b.name = p.getText();
                case "id" -> b.id = p.getText();
                case "nid" -> b.nativeId = p.getText();
                case "virtual" -> b.virtual = p.getBooleanValue();
                case "daemon" -> b.daemon = p.getBooleanValue();
                case "state" -> b.state = ThreadState.valueOf(p.getText());
                case "detail" -> b.stateDetail = p.getText();
                case "cpu" -> b.cpuMillis = p.getDoubleValue();
                case "container" -> b.container = p.getText();
                case "carrierOf" -> b.carrierOf = p.getText();
                case "carrierId" -> b.carrierId = p.getText();
                case "stack" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) stack.add(p.getIntValue());
                }
                case "locks" -> {
                    while (p.nextToken() == JsonToken.START_ARRAY) locks.add(values(p));
                }
                case "owned" -> {
                    b.ownableSynchronizers = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        List<String> v = values(p);
                        b.ownableSynchronizers.add(new ObjectRef(v.get(0), v.get(1)));
                    }
                }
                default -> p.skipChildren();
            }
        }
        List<List<LockLine>> byDepth = new ArrayList<>();
        for (int i = 0; i < stack.size(); i++) byDepth.add(new ArrayList<>(0));
        for (List<String> l : locks) {
            int d = Integer.parseInt(l.get(0));
            byDepth.get(d).add(new LockLine(LockLine.Action.valueOf(l.get(1)), new ObjectRef(l.get(2), l.get(3)), l.get(4)));
        }
        for (int i = 0; i < stack.size(); i++) {
            StackFrame f = frames.get(stack.get(i));
            List<LockLine> at = byDepth.get(i);
            b.frames.add(at.isEmpty() ? f
                    : new StackFrame(f.className(), f.method(), f.module(), f.file(), f.line(), f.nativeMethod(), at, f.text()));
        }
        b.headerLine = "\"" + b.name + "\" #" + b.id + (b.virtual ? " virtual " : " ") + b.state;
        return b.build();
    }

    /** The scalar values of the array the parser is at, as text; leaves the parser at its END_ARRAY. */
    private static List<String> values(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) throw new IOException("truncated Knot snapshot");
            out.add(p.getText());
        }
        return out;
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) throw new IOException("not a Knot snapshot (line " + p.getCurrentLocation().getLineNr() + ")");
    }

    private static Instant instant(String s) throws IOException {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IOException("bad time '" + s + "'", e);
        }
    }
}
