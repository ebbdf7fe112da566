package dev.knot.cli;

import dev.knot.findings.Report;
import dev.knot.render.HtmlRenderer;
import dev.knot.render.JsonRenderer;
import dev.knot.render.TextRenderer;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The --format / --color options every reporting command shares, and rendering to standard output. */
final class Output {
    static final List<String> FORMATS = List.of("text", "json", "html");
    static final List<String> COLORS = List.of("auto", "always", "never");

    private Output() {
    }

    /** Prints a one-line usage error and returns false for an unknown format or colour mode. */
    static boolean valid(PrintWriter err, String command, String format, String color) {
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

    static void render(Report report, String format, String color) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        switch (format) {
            case "json" -> new JsonRenderer().render(report, out);
            case "html" -> new HtmlRenderer().render(report, out);
            default -> new TextRenderer(Terminal.color(color)).render(report, out);
        }
        out.flush();
    }
}
