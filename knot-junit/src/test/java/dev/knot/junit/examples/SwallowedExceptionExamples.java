package dev.knot.junit.examples;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.knot.junit.Knot;

/** Background work fails, the JVM prints a stack trace to stderr, and the test passes anyway. */
@Knot
@KnotExample
public class SwallowedExceptionExamples {

    @Test
    void backgroundThreadDies() throws InterruptedException {
        Thread importer = new Thread(() -> importRows(3), "importer");
        importer.start();
        importer.join(); // joined, so nothing leaks, but nobody looks at how it ended
    }

    @Test
    void executedTaskDies() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.execute(() -> importRows(7)); // execute(), not submit(): the exception kills the worker
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void submittedTaskFails() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.submit(() -> importRows(8)); // submit(): the exception waits in a Future nobody reads
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void submittedTaskFailureIsRead() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> f = pool.submit(() -> importRows(9));
        try {
            f.get();
        } catch (ExecutionException expected) {
            // read: the test saw the failure
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void importRows(int badRow) {
        throw new IllegalStateException("row " + badRow + " has no id");
    }
}
