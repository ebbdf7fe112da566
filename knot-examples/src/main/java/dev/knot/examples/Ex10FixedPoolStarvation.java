package dev.knot.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Monthly reports run on a fixed pool of three threads. Each report fans out its totals query to the same
 * pool and waits for the result with {@code Future.get()}. When three reports run at once, all three
 * workers wait for queries that sit in the pool's queue behind them: no worker is left to run them.
 *
 * <p>Expected: <b>starvation</b> (thread-pool self-starvation) of {@code report-worker-1},
 * {@code report-worker-2} and {@code report-worker-3}, each WAITING (parking) on a different
 * {@code java.util.concurrent.FutureTask} inside {@code ThreadPoolExecutor$Worker.run}. No thread runs the
 * queued queries; jstack reports nothing.
 */
@Expected(kind = "starvation", threads = {"report-worker-1", "report-worker-2", "report-worker-3"}, minJava = 17)
public final class Ex10FixedPoolStarvation {

    private static final int POOL_SIZE = 3;

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex10FixedPoolStarvation.class, args);
        List<Thread> workers = new CopyOnWriteArrayList<>();
        AtomicInteger workerNumber = new AtomicInteger();
        ExecutorService reportPool = Executors.newFixedThreadPool(POOL_SIZE, task -> {
            Thread worker = new Thread(task, "report-worker-" + workerNumber.incrementAndGet());
            worker.setDaemon(true);
            workers.add(worker);
            return worker;
        });
        // In production the reports overlap by chance; this gate makes all three run before any fans out.
        // (A query submitted while the pool is below its size would get a fresh worker instead of the queue.)
        CountDownLatch allReportsRunning = new CountDownLatch(POOL_SIZE);

        for (String month : List.of("2024-01", "2024-02", "2024-03")) {
            reportPool.submit(() -> {
                allReportsRunning.countDown();
                allReportsRunning.await();
                Future<Long> totals = reportPool.submit(() -> queryTotals(month));
                return render(month, totals);
            });
        }

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "all report workers waiting in Future.get()",
                () -> workers.size() == POOL_SIZE && workers.stream().allMatch(ExampleSupport::isWaitingOnFuture),
                workers.toArray(new Thread[0]));
        ExampleSupport.hangFormed(options, workers.get(0));
    }

    private static long queryTotals(String month) {
        return month.hashCode() & 0xffff;
    }

    private static String render(String month, Future<Long> totals) throws InterruptedException, ExecutionException {
        return month + ": " + totals.get();
    }
}
