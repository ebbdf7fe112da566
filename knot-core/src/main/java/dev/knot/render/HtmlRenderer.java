package dev.knot.render;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.ThreadDump;
import dev.knot.findings.Certainty;
import dev.knot.findings.Evidence;
import java.io.PrintWriter;

/** One self-contained HTML page (no scripts, no external resources) to attach to a ticket or a CI build. */
public final class HtmlRenderer {

    public void render(Report report, PrintWriter out) {
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Knot report</title><style>");
        out.println("body{font:14px/1.45 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}"
                + "h1{font-size:1.4em}.f{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;margin:1em 0}"
                + ".hang{border-left:6px solid #c0392b}.info{border-left:6px solid #d4a017}"
                + ".k{font-weight:bold;text-transform:uppercase}.c{color:#666}pre{background:#f6f6f6;padding:.5em;"
                + "overflow-x:auto;font-size:12px}details{margin:.4em 0}");
        out.println("</style></head><body>");
        out.println("<h1>Knot report</h1>");
        out.println("<p class=\"c\">" + esc(inputs(report)) + "</p>");
        for (String w : report.warnings()) out.println("<p class=\"c\">warning: " + esc(w) + "</p>");
        if (report.findings().isEmpty()) {
            out.println("<p><b>No hang found.</b></p>");
        } else {
            out.println("<p><b>" + esc(TextRenderer.summaryLine(report)) + "</b></p>");
        }
        for (FindingGroups.Group g : FindingGroups.of(report.findings())) {
            finding(g.first(), out);
            if (!g.others().isEmpty()) out.println("<p class=\"c\">" + esc(FindingGroups.others(g, 50)) + "</p>");
        }
        out.println("</body></html>");
        out.flush();
    }

    private static void finding(Finding f, PrintWriter out) {
        out.println("<div class=\"f " + (f.kind().hang() ? "hang" : "info") + "\">");
        out.println("<p><span class=\"k\">" + esc(f.kind().jsonName()) + "</span> <span class=\"c\">("
                + esc(f.certainty().jsonName()) + ")</span> " + esc(f.summary()) + "</p>");
        out.println("<pre>" + esc(String.join("\n", f.story())) + "</pre>");
        if (!f.blocked().isEmpty()) out.println("<p>Also stuck behind it: " + esc(String.join(", ", f.blocked())) + "</p>");
        out.println("<p><b>Why it cannot resolve:</b> " + esc(f.why()) + "</p>");
        out.println("<p><b>Fix:</b> " + esc(f.fix()) + "</p>");
        if (f.certainty() == Certainty.LIKELY) {
            for (String m : f.missing()) out.println("<p class=\"c\">To be certain: " + esc(m) + "</p>");
        }
        out.println("<details><summary>Evidence</summary><pre>");
        for (EdgeGroups.Group group : EdgeGroups.of(f.edges())) {
            Evidence e = group.edge();
            String who = group.threads().size() == 1 ? e.thread()
                    : group.threads().size() + " threads (" + names(group.threads()) + ")";
            out.println(esc(who + " " + e.relation().jsonName()
                    + " " + e.resource().label() + " (" + e.certainty().jsonName() + ")"));
            for (String line : e.evidence()) out.println("    " + esc(line));
        }
        out.println("</pre></details></div>");
    }

    /** Up to 20 names, then how many more: the JSON report has them all. */
    private static String names(java.util.List<String> all) {
        int shown = Math.min(20, all.size());
        String head = String.join(", ", all.subList(0, shown));
        return shown == all.size() ? head : head + " and " + (all.size() - shown) + " more";
    }

    private static String inputs(Report r) {
        StringBuilder s = new StringBuilder();
        for (ThreadDump d : r.dumps()) {
            if (s.length() > 0) s.append("; ");
            s.append(TextRenderer.describe(d));
        }
        return s.toString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
