package dev.knot.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An audit log whose flusher writes pending entries to disk while holding the log's monitor, with a slow
 * fsync after each chunk. Request threads append entries under the same monitor. While a flush runs (about
 * a second) every request thread is BLOCKED; between flushes they get through. Slow, but not a hang: the
 * holder keeps making progress and releases the monitor.
 *
 * <p>Expected: <b>contention</b>: {@code audit-flusher} TIMED_WAITING (sleeping) inside
 * {@code AuditLog.flush} with {@code - locked <..> (a ...$AuditLog)}, and {@code request-1} ...
 * {@code request-6} BLOCKED with {@code - waiting to lock} that same monitor. What tells it from a deadlock: the
 * holder is not waiting for anything but time (sleeping), and across dumps a second apart the requests
 * are sometimes elsewhere (between flushes they get the monitor).
 */
@Expected(kind = "contention", threads = {"audit-flusher", "request-1", "request-2", "request-3", "request-4",
        "request-5", "request-6"}, minJava = 17, dumpCertainty = "certain", jsonCertainty = "certain")
public final class Ex12HotLockContention {

    private static final int REQUEST_THREADS = 6;
    private static final int CHUNKS_PER_FLUSH = 20;
    private static final long FSYNC_MILLIS = 50;
    private static final long HANDLE_MILLIS = 5;

    static final class AuditLog {
        private final List<String> pending = new ArrayList<>();
        /** Chunk the running flush is at, read without the lock by main to time the dump. */
        volatile int flushChunk = -1;
        long flushed;

        synchronized void append(String entry) {
            pending.add(entry);
        }

        synchronized void flush() throws InterruptedException {
            for (int chunk = 0; chunk < CHUNKS_PER_FLUSH; chunk++) {
                flushChunk = chunk;
                flushed += pending.size();
                pending.clear();
                TimeUnit.MILLISECONDS.sleep(FSYNC_MILLIS); // the slow disk, while every appender waits
            }
            flushChunk = -1;
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex12HotLockContention.class, args);
        AuditLog auditLog = new AuditLog();

        Thread flusher = ExampleSupport.startDaemon("audit-flusher", () -> {
            try {
                while (true) {
                    auditLog.flush();
                    TimeUnit.MILLISECONDS.sleep(FSYNC_MILLIS); // flush interval: requests get the log meanwhile
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Thread> requests = new ArrayList<>();
        for (int i = 1; i <= REQUEST_THREADS; i++) {
            String name = "request-" + i;
            requests.add(ExampleSupport.startDaemon(name, () -> {
                try {
                    for (long n = 0; ; n++) {
                        TimeUnit.MILLISECONDS.sleep(HANDLE_MILLIS); // handling the request itself
                        auditLog.append(name + " handled #" + n);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }

        // All requests queue behind the flusher early in a flush, so the dump lands inside the same flush.
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "all requests BLOCKED behind an early flush",
                () -> {
                    int chunk = auditLog.flushChunk;
                    return chunk >= 0 && chunk < CHUNKS_PER_FLUSH / 2
                            && requests.stream().allMatch(r -> ExampleSupport.isBlocked(r)
                                    && ExampleSupport.monitorOwnerId(r) == flusher.getId());
                }, requests.toArray(new Thread[0]));
        ExampleSupport.hangFormed(options, flusher);
    }
}
