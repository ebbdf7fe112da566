package dev.knot.track.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knot.input.AgentProtocol;
import org.junit.jupiter.api.Test;

/** The boot classes cannot see knot-core: the names readers look them up by must be theirs. */
class BootNamesTest {

    @Test
    void theProtocolNamesTheBootClasses() {
        assertEquals(FailureLog.class.getName(), AgentProtocol.FAILURE_LOG);
        assertEquals(KnotTracker.class.getName(), AgentProtocol.KNOT_TRACKER);
        assertEquals(FailureLog.class.getName(), AgentProtocol.inThisCopy(AgentProtocol.FAILURE_LOG));
    }
}
