package dev.knot.junit.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.knot.junit.Knot;

/** Reports fan out a query to their own pool and wait for it: with every worker waiting, no one runs the queries. */
@Knot
@KnotExample
public class StarvationExamples {

    @Test
    @Timeout(2)
    void nestedTasksStarveThePool() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "report-worker-" + n.incrementAndGet()));
        try {
            CountDownLatch allReportsRunning = new CountDownLatch(2);
            List<Future<String>> reports = new ArrayList<>();
            for (String month : List.of("2024-01", "2024-02")) {
                reports.add(pool.submit(() -> {
                    allReportsRunning.countDown();
                    allReportsRunning.await();
                    Future<Long> totals = pool.submit(() -> (long) month.hashCode());
                    return month + ": " + totals.get();
                }));
            }
            for (Future<String> r : reports) r.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
