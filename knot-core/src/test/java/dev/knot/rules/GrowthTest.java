package dev.knot.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Kind;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import dev.knot.model.Edge;
import dev.knot.model.GraphBuilder;
import dev.knot.model.WaitGraph;
import dev.knot.render.HtmlRenderer;
import dev.knot.render.JsonRenderer;
import dev.knot.render.TextRenderer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards against work and output that grow with waiters x per-resource facts (issue 14: a live snapshot of 10,000
 * threads on one latch took minutes). Nothing is timed: the sizes of the model's evidence and of every rendering
 * for N = 100 and N = 1,000 waiters on one resource must grow at most linearly (ratio about 10, never about 100).
 */
class GrowthTest {
    private static final String LATCH = "0x00000000c0ffee00";
    private static final String LATCH_CLASS = "java.util.concurrent.CountDownLatch$Sync";
    private static final String MONITOR = "0x00000000beef0000";

    /** N threads on one latch, each with the latch's state repeated as a fact (what the agent used to send). */
    private static ThreadDump latchWaiters(int n) throws Exception {
        MiniDump d = new MiniDump("25.0.3+9-LTS");
        List<LiveFact> facts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            d.thread("waiter-" + i, "WAITING (parking)", MiniDump.parked(LATCH, LATCH_CLASS,
                    "java.util.concurrent.CountDownLatch.await(java.base@25.0.3/CountDownLatch.java:230)"));
            facts.add(new LiveFact(LiveFact.Kind.STATE, LATCH, "", "count: 1"));
        }
        ThreadDump t = DumpReader.read("live", new ByteArrayInputStream(d.text().getBytes(StandardCharsets.UTF_8))).get(0);
        return new ThreadDump("pid 1", dev.knot.snapshot.DumpFormat.LIVE, t.time(), "1", t.jvmVersion(), t.threads(),
                t.jdkDeadlocks(), t.warnings(), facts);
    }

    private static long evidenceLines(WaitGraph g) {
        long n = 0;
        for (Edge e : g.edges()) n += e.evidence().size();
        return n;
    }

    @Test
    void liveNotesOnOneResourceAreNotCopiedPerWaiter() throws Exception {
        long small = evidenceLines(GraphBuilder.build(latchWaiters(100)));
        long large = evidenceLines(GraphBuilder.build(latchWaiters(1_000)));
        assertTrue(large <= 12 * small, "evidence lines " + small + " -> " + large + ": grows faster than the waiters");
        WaitGraph g = GraphBuilder.build(latchWaiters(3));
        for (Edge e : g.edges()) {
            long notes = e.evidence().stream().filter(s -> s.endsWith("count: 1")).count();
            if (e.type() == Edge.Type.WAITS_FOR) assertEquals(1, notes, "the latch's count once per wait: " + e.evidence());
        }
    }

    /** N-1 threads BLOCKED on one monitor that one thread holds: a contention finding over N threads. */
    private static Report monitorQueue(int n) {
        MiniDump d = new MiniDump("25.0.3+9-LTS");
        d.thread("holder", "TIMED_WAITING (sleeping)", List.of("at java.lang.Thread.sleep(java.base@25.0.3/Native Method)",
                "at app.Holder.run(Holder.java:7)", "- locked <" + MONITOR + "> (a app.Dock)",
                "at java.lang.Thread.run(java.base@25.0.3/Thread.java:1474)"));
        for (int i = 1; i < n; i++) d.thread("blocked-" + i, "BLOCKED (on object monitor)", MiniDump.blockedOn(MONITOR, "app.Dock"));
        return d.analyze();
    }

    private static int[] sizes(Report r) {
        StringWriter text = new StringWriter();
        new TextRenderer(false).render(r, new PrintWriter(text, true));
        StringWriter json = new StringWriter();
        new JsonRenderer().render(r, json);
        StringWriter html = new StringWriter();
        new HtmlRenderer().render(r, new PrintWriter(html, true));
        return new int[] {text.toString().length(), json.toString().length(), html.toString().length()};
    }

    @Test
    void identicalWaitersCollapseInEveryRendering() {
        Report small = monitorQueue(100);
        Report large = monitorQueue(1_000);
        assertEquals(Kind.CONTENTION, large.findings().get(0).kind());
        assertEquals(1_000, large.findings().get(0).threads().size());
        int[] s = sizes(small);
        int[] l = sizes(large);
        String[] names = {"text", "json", "html"};
        for (int i = 0; i < 3; i++) {
            assertTrue(l[i] <= 12L * s[i], names[i] + " report " + s[i] + " -> " + l[i] + " characters");
        }
        List<String> story = large.findings().get(0).story();
        assertTrue(story.stream().anyMatch(x -> x.startsWith("999 threads wait to lock Dock <" + MONITOR + ">")), story.toString());
        assertTrue(story.size() < 6, "one line for the 999 identical waiters: " + story);
        // JSON: one edge for the 999 waiters, with all their names
        StringWriter json = new StringWriter();
        new JsonRenderer().render(large, json);
        assertTrue(json.toString().contains("\"count\" : 999"), "collapsed edge with its count");
        assertTrue(json.toString().contains("\"blocked-999\""), "every waiter is named in the JSON");
    }

    /** A holder parked without a blocker while N-1 threads are BLOCKED on its monitor: each waiter may release it. */
    private static Report parkedHolder(int n) {
        MiniDump d = new MiniDump("25.0.3+9-LTS");
        d.thread("holder", "WAITING (parking)", List.of("at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
                "at java.util.concurrent.locks.LockSupport.park(java.base@25.0.3/LockSupport.java:371)",
                "at app.Holder.run(Holder.java:7)", "- locked <" + MONITOR + "> (a app.Dock)",
                "at java.lang.Thread.run(java.base@25.0.3/Thread.java:1474)"));
        for (int i = 1; i < n; i++) d.thread("blocked-" + i, "BLOCKED (on object monitor)", MiniDump.blockedOn(MONITOR, "app.Dock"));
        return d.analyze();
    }

    @Test
    void inferredReleasersOfOneParkCollapseToo() {
        Report large = parkedHolder(1_000);
        assertEquals(Kind.DEADLOCK, large.findings().get(0).kind());
        StringWriter json = new StringWriter();
        new JsonRenderer().render(large, json);
        long edges = json.toString().split("\"relation\"", -1).length - 1;
        // the park, the held monitor, 999 blocked waits and 999 inferred releasers: four groups
        assertTrue(edges <= 6, edges + " edges rendered for 999 identical waiters");
        int[] s = sizes(parkedHolder(100));
        int[] l = sizes(large);
        for (int i = 0; i < 3; i++) assertTrue(l[i] <= 12L * s[i], "report " + i + ": " + s[i] + " -> " + l[i]);
    }

    /** N two-thread deadlocks from the same code over distinct locks. */
    private static Report pairs(int n) {
        MiniDump d = new MiniDump("25.0.3+9-LTS");
        for (int p = 0; p < n; p++) {
            String a = String.format("0x%016x", 0x10000L + 2 * p);
            String b = String.format("0x%016x", 0x10001L + 2 * p);
            d.thread("pair-" + p + "-ab", "BLOCKED (on object monitor)", MiniDump.blockedOn(b, "app.Lock", a));
            d.thread("pair-" + p + "-ba", "BLOCKED (on object monitor)", MiniDump.blockedOn(a, "app.Lock", b));
        }
        return d.analyze();
    }

    @Test
    void findingsOfOneShapeAreToldOnceForPeopleAndKeptApartInJson() {
        Report large = pairs(1_000);
        assertEquals(1_000, large.findings().size());
        StringWriter text = new StringWriter();
        new TextRenderer(false).render(large, new PrintWriter(text, true));
        String t = text.toString();
        assertEquals(1, t.split("DEADLOCK \\(certain\\)", -1).length - 1, "one story for the 1,000 alike: " + t);
        assertTrue(t.contains("999 more findings of this same shape"), t);
        assertTrue(t.contains("Hang found: 1000 deadlock"), "the summary still counts all of them: " + t);
        int[] s = sizes(pairs(100));
        int[] l = sizes(large);
        assertTrue(l[0] <= 2L * s[0], "text " + s[0] + " -> " + l[0]);
        assertTrue(l[2] <= 2L * s[2], "html " + s[2] + " -> " + l[2]);
        StringWriter json = new StringWriter();
        new JsonRenderer().render(large, json);
        assertTrue(json.toString().contains("\"pair-999-ba\""), "JSON keeps every finding");
        // a deadlock of another shape (other code) is told on its own
        MiniDump d = new MiniDump("25.0.3+9-LTS");
        d.thread("x", "BLOCKED (on object monitor)", otherSite("0x0000000000000b02", "0x0000000000000b01"));
        d.thread("y", "BLOCKED (on object monitor)", otherSite("0x0000000000000b01", "0x0000000000000b02"));
        d.thread("p", "BLOCKED (on object monitor)", MiniDump.blockedOn("0x0000000000000c02", "app.Lock", "0x0000000000000c01"));
        d.thread("q", "BLOCKED (on object monitor)", MiniDump.blockedOn("0x0000000000000c01", "app.Lock", "0x0000000000000c02"));
        StringWriter two = new StringWriter();
        new TextRenderer(false).render(d.analyze(), new PrintWriter(two, true));
        assertEquals(2, two.toString().split("DEADLOCK \\(certain\\)", -1).length - 1, two.toString());
    }

    private static List<String> otherSite(String waitFor, String held) {
        return List.of("at app.Other.move(Other.java:5)", "- waiting to lock <" + waitFor + "> (a app.Lock)",
                "- locked <" + held + "> (a app.Lock)", "at java.lang.Thread.run(java.base@25.0.3/Thread.java:1474)");
    }
}
