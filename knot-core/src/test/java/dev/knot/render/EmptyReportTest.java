package dev.knot.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Report;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A report of inputs none of which could be read (the fuzz runner's case): every renderer says so, none throws. */
class EmptyReportTest {

    private static final Report NOTHING_READ = new Report(List.of(), List.of(), List.of("a.txt: not a thread dump: …"));

    @Test
    void textSaysNothingWasReadAndWhy() {
        StringWriter s = new StringWriter();
        new TextRenderer(false).render(NOTHING_READ, new PrintWriter(s));
        assertEquals(List.of("Knot read no thread dump.", "warning: a.txt: not a thread dump: …"), s.toString().lines().toList());
    }

    @Test
    void jsonAndHtmlRenderIt() {
        StringWriter json = new StringWriter();
        new JsonRenderer().render(NOTHING_READ, new PrintWriter(json));
        assertTrue(json.toString().contains("not a thread dump"), json.toString());
        StringWriter html = new StringWriter();
        new HtmlRenderer().render(NOTHING_READ, new PrintWriter(html));
        assertTrue(html.toString().contains("not a thread dump"), html.toString());
    }
}
