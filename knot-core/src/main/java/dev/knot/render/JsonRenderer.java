package dev.knot.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.findings.Evidence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * The machine-readable report. Schema {@value #SCHEMA}, version {@value #VERSION}: fields are only ever added
 * within a version; renaming or removing one bumps the version. Documented in the README. Version 2: edges
 * that differ only in their thread are one edge, with {@code count} and {@code threads} (all of them, the first
 * also in {@code thread}).
 */
public final class JsonRenderer {
    public static final String SCHEMA = "knot-report";
    public static final int VERSION = 2;

    private static final JsonFactory FACTORY = new JsonFactory();

    public void render(Report report, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeNumberField("version", VERSION);
            g.writeBooleanField("hang", report.hangFound());
            g.writeArrayFieldStart("inputs");
            for (ThreadDump d : report.dumps()) {
                g.writeStartObject();
                g.writeStringField("source", d.source());
                g.writeStringField("format", d.format().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                if (d.time() != null) g.writeStringField("time", d.time().toString());
                if (!d.processId().isEmpty()) g.writeStringField("pid", d.processId());
                if (!d.jvmVersion().isEmpty()) g.writeStringField("jvm", d.jvmVersion());
                g.writeNumberField("threads", d.threads().size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("findings");
            for (Finding f : report.findings()) finding(g, f);
            g.writeEndArray();
            strings(g, "warnings", report.warnings());
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", f.kind().jsonName());
        g.writeStringField("certainty", f.certainty().jsonName());
        strings(g, "threads", f.threads());
        g.writeStringField("summary", f.summary());
        strings(g, "story", f.story());
        g.writeStringField("why", f.why());
        g.writeStringField("fix", f.fix());
        strings(g, "missingEvidence", f.missing());
        strings(g, "blockedBehind", f.blocked());
        g.writeArrayFieldStart("edges");
        for (EdgeGroups.Group group : EdgeGroups.of(f.edges())) {
            Evidence e = group.edge();
            g.writeStartObject();
            g.writeStringField("relation", e.relation().jsonName());
            g.writeStringField("thread", e.thread());
            if (group.threads().size() > 1) {
                g.writeNumberField("count", group.threads().size());
                strings(g, "threads", group.threads());
            }
            g.writeObjectFieldStart("resource");
            g.writeStringField("kind", e.resource().kind());
            g.writeStringField("type", e.resource().type());
            if (!e.resource().id().isEmpty()) g.writeStringField("id", e.resource().id());
            g.writeEndObject();
            if (e.mode() != null) g.writeStringField("mode", e.mode());
            if (e.relation() == Evidence.Relation.WAITS_FOR) g.writeBooleanField("timed", e.timed());
            g.writeStringField("certainty", e.certainty().jsonName());
            StackFrame s = e.site();
            if (s != null) g.writeStringField("site", s.location());
            strings(g, "evidence", e.evidence());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
