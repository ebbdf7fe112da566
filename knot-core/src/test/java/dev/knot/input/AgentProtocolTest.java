package dev.knot.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentProtocolTest {

    @Test
    void optionsArePairsInOrderAndNullValuesAreLeftOut() {
        assertEquals("parts=true,snapshot=/tmp/a,b.json",
                AgentProtocol.options(AgentProtocol.TIMINGS_OPTION, null, AgentProtocol.PARTS_OPTION, "true",
                        AgentProtocol.SNAPSHOT_OPTION, "/tmp/a,b.json"));
        assertEquals("timings=true,track=all", AgentProtocol.options("timings", "true", "track", "all"));
        assertEquals("", AgentProtocol.options());
        assertThrows(IllegalArgumentException.class, () -> AgentProtocol.options("track"));
        assertThrows(IllegalArgumentException.class, () -> AgentProtocol.options("a=b", "c"));
    }

    @Test
    void siblingAppendsTheSuffixToTheFileName() {
        Path file = Path.of("/tmp/knot-attach/snapshot.json");
        assertEquals(Path.of("/tmp/knot-attach/snapshot.json.err"), AgentProtocol.sibling(file, AgentProtocol.ERROR_SUFFIX));
        assertEquals(Path.of("snapshot.json.threads"), AgentProtocol.sibling(Path.of("snapshot.json"), AgentProtocol.THREADS_SUFFIX));
    }

    @Test
    void bootClassNamesUnrelocatedAndAsTheAgentJarHasThem() {
        // spelled out here on purpose: these tests run unshaded
        assertEquals("dev.knot.track.boot.FailureLog", AgentProtocol.FAILURE_LOG);
        assertEquals("dev.knot.agent.shaded.knot.track.boot.FailureLog", AgentProtocol.FAILURE_LOG_RELOCATED);
        assertEquals("dev.knot.track.boot.KnotTracker", AgentProtocol.KNOT_TRACKER);
        assertEquals("dev.knot.agent.shaded.knot.track.boot.KnotTracker", AgentProtocol.KNOT_TRACKER_RELOCATED);
        assertEquals(AgentProtocol.FAILURE_LOG, AgentProtocol.inThisCopy(AgentProtocol.FAILURE_LOG));
    }

    @Test
    void relocationLeavesTheAgentsOwnAndOtherClassesAlone() {
        assertEquals("dev.knot.agent.shaded.knot.live.LiveSnapshot", AgentProtocol.relocated("dev.knot.live.LiveSnapshot"));
        assertEquals("dev.knot.agent.KnotAgent", AgentProtocol.relocated("dev.knot.agent.KnotAgent"));
        assertEquals(AgentProtocol.FAILURE_LOG_RELOCATED, AgentProtocol.relocated(AgentProtocol.FAILURE_LOG_RELOCATED));
        assertEquals("dev.knotty.X", AgentProtocol.relocated("dev.knotty.X"));
        assertEquals("java.lang.Thread", AgentProtocol.relocated("java.lang.Thread"));
    }
}
