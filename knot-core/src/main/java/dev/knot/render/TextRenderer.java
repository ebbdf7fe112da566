package dev.knot.render;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.findings.Report;
import dev.knot.snapshot.ThreadDump;
import dev.knot.findings.Certainty;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Human-readable report: a short story per finding. ANSI colours only when asked (the CLI asks on a TTY). */
public final class TextRenderer {
    private final boolean color;

    public TextRenderer(boolean color) {
        this.color = color;
    }

    public void render(Report report, PrintWriter out) {
        List<ThreadDump> dumps = report.dumps();
        if (dumps.isEmpty()) { // nothing could be read: say so, with the reasons
            out.println(dim("Knot read no thread dump."));
            for (String w : report.warnings()) out.println(yellow("warning: ") + w);
            out.flush();
            return;
        }
        ThreadDump last = dumps.get(dumps.size() - 1);
        StringBuilder head = new StringBuilder("Knot analysed ");
        if (dumps.size() == 1) {
            head.append(describe(last));
        } else {
            head.append(dumps.size()).append(" dumps (latest: ").append(describe(last)).append(')');
        }
        out.println(dim(head.toString()));
        for (String w : report.warnings()) out.println(yellow("warning: ") + w);
        out.println();
        if (report.findings().isEmpty()) {
            out.println(green("No hang found.") + " No deadlock, self-deadlock, starvation, orphaned lock, contention or stall"
                    + (dumps.size() < 2 ? " (give several dumps taken seconds apart to detect stalls)." : "."));
            out.flush();
            return;
        }
        int n = 0;
        for (FindingGroups.Group g : FindingGroups.of(report.findings())) {
            if (n++ > 0) out.println();
            finding(g.first(), out);
            if (!g.others().isEmpty()) out.println("  " + bold("Same shape:") + " " + FindingGroups.others(g, 10));
        }
        out.println();
        out.println(summaryLine(report));
        out.flush();
    }

    private void finding(Finding f, PrintWriter out) {
        String title = f.kind().jsonName().toUpperCase(java.util.Locale.ROOT) + " (" + f.certainty().jsonName() + ")";
        out.println((f.kind().hang() ? red(title) : yellow(title)) + "  " + bold(f.summary()));
        for (String s : f.story()) out.println("    " + s);
        if (!f.blocked().isEmpty()) {
            out.println("    " + f.blocked().size() + " more thread(s) are stuck behind them: " + abbreviate(f.blocked()));
        }
        out.println("  " + bold("Why it cannot resolve:") + " " + f.why());
        out.println("  " + bold("Fix:") + " " + f.fix());
        if (f.certainty() == Certainty.LIKELY) {
            for (String m : f.missing()) out.println("  " + dim("To be certain: " + m));
        }
    }

    static String describe(ThreadDump d) {
        StringBuilder s = new StringBuilder();
        s.append(d.source().isEmpty() ? "input" : d.source()).append(": ").append(d.format().displayName());
        if (!d.jvmVersion().isEmpty()) s.append(", JVM ").append(d.jvmVersion());
        s.append(", ").append(d.threads().size()).append(" threads");
        if (d.time() != null) s.append(", taken ").append(d.time());
        return s.toString();
    }

    static String summaryLine(Report r) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Finding f : r.findings()) counts.merge(f.kind(), 1, Integer::sum);
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Kind, Integer> e : counts.entrySet()) {
            if (s.length() > 0) s.append(", ");
            s.append(e.getValue()).append(' ').append(e.getKey().jsonName());
        }
        return (r.hangFound() ? "Hang found: " : "No hang, but: ") + s;
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 8) return "\"" + String.join("\", \"", names) + "\"";
        return "\"" + String.join("\", \"", names.subList(0, 8)) + "\" and " + (names.size() - 8) + " more";
    }

    private String red(String s) {
        return color ? "\u001b[1;31m" + s + "\u001b[0m" : s;
    }

    private String yellow(String s) {
        return color ? "\u001b[1;33m" + s + "\u001b[0m" : s;
    }

    private String green(String s) {
        return color ? "\u001b[1;32m" + s + "\u001b[0m" : s;
    }

    private String bold(String s) {
        return color ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    private String dim(String s) {
        return color ? "\u001b[2m" + s + "\u001b[0m" : s;
    }
}
