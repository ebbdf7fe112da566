package dev.knot.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * A healthy service between requests: lots of threads waiting, none of them stuck. An idle fixed pool whose
 * workers wait for tasks, a scheduled executor with a periodic metrics task, the common ForkJoinPool after a
 * parallel stream, a reaper thread in a timed {@code Object.wait}, a listener blocked reading a socket that
 * has nothing to say yet, CompletableFutures that completed, and on JDK 21+ a few virtual threads parked on
 * an empty queue.
 *
 * <p>Expected: <b>none</b>. What it looks like: {@code invoice-worker-1..4} WAITING (parking) on an
 * {@code AbstractQueuedSynchronizer$ConditionObject} in {@code LinkedBlockingQueue.take}; {@code metrics-reporter}
 * TIMED_WAITING (parking) in {@code ScheduledThreadPoolExecutor$DelayedWorkQueue.take};
 * {@code session-reaper} TIMED_WAITING (on object monitor); {@code telemetry-listener} RUNNABLE in a native
 * socket read, holding a {@code ReentrantLock$NonfairSync} (the socket's read lock) under "Locked ownable
 * synchronizers"; {@code ForkJoinPool.commonPool-worker-N} parked idle; {@code mail-listener-N} (virtual,
 * JSON dump only) WAITING. A dump taken by the example itself also shows {@code main} RUNNABLE in
 * {@code DiagnosticCommandImpl} (it is taking the dump).
 */
@Expected(kind = "none", threads = {}, minJava = 17)
public final class Ex00Healthy {

    private static final int INVOICE_WORKERS = 4;
    private static final int MAIL_LISTENERS = 3;

    public static void main(String[] args) throws IOException {
        ExampleSupport.Options options = ExampleSupport.start(Ex00Healthy.class, args);
        List<Thread> waiting = new ArrayList<>();

        // An idle fixed pool: workers started, nothing to do.
        AtomicInteger invoiceWorker = new AtomicInteger();
        ThreadPoolExecutor invoicePool = (ThreadPoolExecutor) Executors.newFixedThreadPool(INVOICE_WORKERS, task -> {
            Thread worker = new Thread(task, "invoice-worker-" + invoiceWorker.incrementAndGet());
            worker.setDaemon(true);
            waiting.add(worker);
            return worker;
        });
        invoicePool.prestartAllCoreThreads();

        // A periodic task: runs every 200 ms, sleeps in the delay queue in between.
        AtomicInteger metricsReports = new AtomicInteger();
        ScheduledExecutorService metrics = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread reporter = new Thread(task, "metrics-reporter");
            reporter.setDaemon(true);
            return reporter;
        });
        metrics.scheduleAtFixedRate(metricsReports::incrementAndGet, 0, 200, TimeUnit.MILLISECONDS);

        // The common pool after a parallel stream, and futures that complete.
        long checksum = LongStream.rangeClosed(1, 200_000).parallel().map(n -> n * n % 7).sum();
        int answer = CompletableFuture.supplyAsync(() -> 6)
                .thenCombine(CompletableFuture.supplyAsync(() -> 7), (a, b) -> a * b)
                .join();
        System.out.println("warm-up " + checksum + " " + answer);

        // A thread in a timed wait: wakes up every second to expire sessions.
        Object sessions = new Object();
        Thread reaper = ExampleSupport.startDaemon("session-reaper", () -> {
            while (true) {
                synchronized (sessions) {
                    try {
                        sessions.wait(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });

        // A thread blocked reading a socket whose peer has not sent anything yet.
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        TelemetryListener listener = new TelemetryListener(server);
        Thread listenerThread = ExampleSupport.startDaemon("telemetry-listener", listener);

        // On JDK 21+: virtual threads waiting for mail that has not arrived.
        BlockingQueue<String> mailbox = new LinkedBlockingQueue<>();
        if (ExampleSupport.javaFeatureVersion() >= 21) {
            for (int i = 1; i <= MAIL_LISTENERS; i++) {
                waiting.add(ExampleSupport.startVirtual("mail-listener-" + i, () -> {
                    try {
                        System.out.println("mail: " + mailbox.take());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
        }

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "the service to settle into its idle state",
                () -> metricsReports.get() >= 2
                        && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING)
                        && reaper.getState() == Thread.State.TIMED_WAITING
                        && listener.reading && listenerThread.getState() == Thread.State.RUNNABLE,
                reaper, listenerThread);
        ExampleSupport.hangFormed(options, null);
        client.close(); // not reached: hangFormed exits or waits forever; keeps the client socket reachable
    }

    /** Accepts one connection and reads from it; the peer never writes, so the read blocks (RUNNABLE, native). */
    static final class TelemetryListener implements Runnable {
        private final ServerSocket server;
        volatile boolean reading;

        TelemetryListener(ServerSocket server) {
            this.server = server;
        }

        @Override
        public void run() {
            try (Socket connection = server.accept(); InputStream in = connection.getInputStream()) {
                reading = true;
                int next;
                while ((next = in.read()) >= 0) {
                    System.out.println("telemetry byte " + next);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
