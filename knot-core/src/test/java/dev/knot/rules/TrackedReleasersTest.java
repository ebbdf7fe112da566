package dev.knot.rules;

import static dev.knot.rules.MiniDump.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.LiveFact;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live snapshots with tracked queue consumers: when a producer's hold-and-wait is certain, and when not. */
class TrackedReleasersTest {

    private static final String COND = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@1c";

    private static final List<String> PUT = List.of(
            "at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
            "- parking to wait for  <" + COND + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
            "at java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(java.base@25.0.3/AbstractQueuedSynchronizer.java:1752)",
            "at java.util.concurrent.ArrayBlockingQueue.put(java.base@25.0.3/ArrayBlockingQueue.java:371)",
            "at app.Producer.send(Producer.java:12)",
            "- locked <app.Stats@1> (a app.Stats)");

    /** producer #20, consumers #21 and #22 blocked on the producer's monitor, then the extra threads. */
    private static MiniDump pipeline(String... extra) {
        MiniDump d = new MiniDump("25.0.3+9-LTS")
                .thread("producer", "WAITING (parking)", PUT)
                .thread("packer-1", "BLOCKED (on object monitor)", blockedOn("app.Stats@1", "app.Stats"))
                .thread("packer-2", "BLOCKED (on object monitor)", blockedOn("app.Stats@1", "app.Stats"));
        for (String e : extra) d.thread(e, "RUNNABLE", running());
        return d;
    }

    private static List<LiveFact> consumers(boolean complete, String... ids) {
        List<LiveFact> f = new ArrayList<>();
        for (String id : ids) f.add(new LiveFact(LiveFact.Kind.RELEASES, COND, id, "took from ArrayBlockingQueue@9 (4 of 4) (tracked)"));
        if (complete) {
            f.add(new LiveFact(LiveFact.Kind.RELEASERS_COMPLETE, COND, "",
                    "tracked since the JVM started: these are the only live threads that ever took from ArrayBlockingQueue@9"));
        }
        return f;
    }

    @Test
    void everyTrackedConsumerBlockedBehindTheProducerIsCertain() {
        Report r = pipeline().analyzeLive(consumers(true, "21", "22"));
        assertEquals(List.of("deadlock certain [producer, packer-1, packer-2]"), keys(r));
        Finding f = r.findings().get(0);
        assertTrue(f.missing().isEmpty(), f.missing().toString());
        assertTrue(String.join("\n", f.story()).contains("only live threads that ever took from"), f.story().toString());
        assertTrue(f.why().contains("Only \"packer-1\", \"packer-2\" can give space in"), f.why());
        assertTrue(f.edges().stream().allMatch(e -> e.certainty() == dev.knot.model.Certainty.CERTAIN), f.edges().toString());
    }

    @Test
    void consumersNotKnownToBeAllStayLikely() {
        Finding f = pipeline().analyzeLive(consumers(false, "21", "22")).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("cannot tell they are all"), f.missing().toString());
    }

    @Test
    void aTrackedConsumerThatIsNotBlockedBehindTheProducerStaysLikely() {
        Finding f = pipeline("packer-3").analyzeLive(consumers(true, "21", "22", "23")).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("\"packer-3\" has also done so"), f.missing().toString());
    }

    @Test
    void aRunningThreadCouldStillStartConsuming() {
        Finding f = pipeline("reporter").analyzeLive(consumers(true, "21", "22")).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("\"reporter\" can still run"), f.missing().toString());
    }

    @Test
    void withoutTrackingTheConsumersAreInferred() {
        Finding f = pipeline().analyzeLive(List.of()).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("track=all"), f.missing().toString());
    }
}
