package dev.knot.junit.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import dev.knot.junit.Knot;

/**
 * A download is cancelled with cancel(true), but a blocking socket read ignores interrupts: the task runs on after
 * the test, holding its connection, while the test reports success.
 */
@Knot
@KnotExample
public class CancelledTaskExamples {

    @Test
    void cancelledDownloadKeepsRunning() throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // accepts, never answers
        Cleanup.register(server);
        AtomicReference<Thread> downloader = new AtomicReference<>();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            downloader.set(new Thread(r, "downloader"));
            return downloader.get();
        });
        CountDownLatch reading = new CountDownLatch(1);
        Future<Integer> download = pool.submit(() -> {
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                Cleanup.register(s);
                InputStream in = s.getInputStream();
                reading.countDown();
                return in.read();
            }
        });
        reading.await();
        awaitBlockedInRead(downloader.get());
        download.cancel(true);
        pool.shutdown();
        assertTrue(download.isCancelled());
    }

    /** Until the downloader is inside the read (an interrupt before it would end it). */
    private static void awaitBlockedInRead(Thread t) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().startsWith("sun.nio.ch.") && e.getMethodName().contains("read")) return;
            }
            Thread.sleep(10);
        }
    }
}
