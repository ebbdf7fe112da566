package dev.knot.live;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.knot.input.ThreadDump;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.Map;

/**
 * Knot's own snapshot file ({@code knot dump PID}): the live snapshot with everything it proved, so a later
 * {@code knot analyze} is as certain as {@code knot attach} was. Top-level key {@value #ROOT}.
 */
public final class SnapshotJson {
    public static final String ROOT = "knotSnapshot";
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("knot-instant")
                    .addSerializer(Instant.class, new JsonSerializer<Instant>() {
                        @Override
                        public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(v.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<Instant>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }));

    private SnapshotJson() {
    }

    public static void write(ThreadDump dump, Writer out) throws IOException {
        MAPPER.writeValue(out, Map.of(ROOT, Map.of("version", VERSION, "dump", dump)));
    }

    /** @throws IOException if it is not a Knot snapshot or is damaged */
    public static ThreadDump read(Reader in) throws IOException {
        var root = MAPPER.readTree(in);
        var snap = root.get(ROOT);
        if (snap == null || snap.get("dump") == null) throw new IOException("not a Knot snapshot");
        int v = snap.path("version").asInt(-1);
        if (v != VERSION) throw new IOException("Knot snapshot version " + v + " is not supported (expected " + VERSION + ")");
        return MAPPER.treeToValue(snap.get("dump"), ThreadDump.class);
    }
}
