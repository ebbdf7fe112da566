package dev.knot.cli;

import dev.knot.findings.Report;
import dev.knot.render.HtmlRenderer;
import dev.knot.render.JsonRenderer;
import dev.knot.render.TextRenderer;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Option;

/** The --format / --color options every reporting command shares (a picocli mixin), and rendering to stdout. */
final class Output {
    static final List<String> FORMATS = List.of("text", "json", "html");
    static final List<String> COLORS = List.of("auto", "always", "never");

    @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), json (schema knot-report, version " + JsonRenderer.VERSION
                    + ") or html (one self-contained page).")
    String format;

    @Option(names = "--color", defaultValue = "auto", paramLabel = "WHEN",
            description = "auto (default: only on a terminal, and not when NO_COLOR is set), always, never.")
    String color;

    /** Prints a one-line usage error and returns false for an unknown format or colour mode. */
    boolean valid(PrintWriter err, String command) {
        if (!FORMATS.contains(format)) {
            err.println("knot " + command + ": unknown --format '" + format + "' (use text, json or html)");
            return false;
        }
        if (!COLORS.contains(color)) {
            err.println("knot " + command + ": unknown --color '" + color + "' (use auto, always or never)");
            return false;
        }
        return true;
    }

    boolean json() {
        return format.equals("json");
    }

    void render(Report report) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        switch (format) {
            case "json" -> new JsonRenderer().render(report, out);
            case "html" -> new HtmlRenderer().render(report, out);
            default -> new TextRenderer(Terminal.color(color)).render(report, out);
        }
        out.flush();
    }
}
