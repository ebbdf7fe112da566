package dev.knot.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without tracking (knot-core's tests run without an agent) the reader is empty and never throws. */
class FailureLogReaderTest {

    @Test
    void withoutTheBootLogEverythingIsEmpty() {
        List<Throwable> problems = new ArrayList<>();
        for (FailureLogReader log : List.of(FailureLogReader.ownCopy(), FailureLogReader.firstRecording())) {
            assertFalse(log.present());
            assertFalse(log.recording());
            assertEquals(0, log.mark());
            assertTrue(log.since(0, problems::add).isEmpty());
            log.dismiss(1, problems::add);
            assertFalse(log.useMarker(new ThreadLocal<>()));
        }
        assertEquals(List.of(), problems);
    }
}
