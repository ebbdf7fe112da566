package dev.knot.track.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.input.AgentProtocol;
import dev.knot.live.FailureLogReader;
import java.util.List;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/** The one reader of the boot-path failure log, in a JVM started with the (unshaded) tracking agent. */
class FailureLogReaderIT {

    @Test
    void findsTheUnrelocatedLogThisJvmInstalled() throws Exception {
        Class<?> log = Class.forName(AgentProtocol.FAILURE_LOG, false, null);
        assertEquals(null, log.getClassLoader(), "on the boot class path");
        FailureLogReader own = FailureLogReader.ownCopy();
        assertTrue(own.present() && own.recording());
        assertSame(own, FailureLogReader.firstRecording(), "no agent jar here: the unrelocated copy");
        assertSame(own, FailureLogReader.ownCopy(), "found once");
    }

    @Test
    void readsAndDismissesAFailure() {
        FailureLogReader log = FailureLogReader.ownCopy();
        long mark = log.mark();
        IllegalStateException boom = new IllegalStateException("boom");
        FutureTask<Object> task = new FutureTask<>(() -> {
            throw boom;
        });
        task.run();
        List<FailureLogReader.Row> rows = log.since(mark).stream().filter(r -> r.error() == boom).toList();
        assertEquals(1, rows.size(), rows.toString());
        FailureLogReader.Row r = rows.get(0);
        assertTrue(r.seq() > mark && !r.completableFuture() && r.task().startsWith("java.util.concurrent.FutureTask@"), r.toString());
        assertEquals(IllegalStateException.class.getName(), r.errorClass());
        assertEquals(Thread.currentThread().getName(), r.thread());
        log.dismiss(r.seq());
        assertTrue(log.since(mark).stream().noneMatch(x -> x.error() == boom));
        assertTrue(task.isDone()); // the task stays referenced until here, so its record is not collected
    }
}
