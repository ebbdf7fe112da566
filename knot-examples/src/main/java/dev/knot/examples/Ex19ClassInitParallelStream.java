package dev.knot.examples;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * A price catalogue computes its table in its static initialiser, "fast", with a parallel stream. The stream's
 * lambda is code of the class being initialised, so each ForkJoin common-pool worker that picks up a part of the
 * stream must wait until the class is initialised, while the initialising thread waits for the parts the workers
 * took: a class-initialisation cycle through the common pool. (The common pool gets two workers here whatever
 * the machine, and the initialiser holds back its own first element until both workers have taken a part, which
 * a slow first price does in production.)
 *
 * <p>Expected: <b>deadlock</b> (class initialisation) between {@code catalog-loader}, WAITING (parking) in
 * {@code ForkJoinTask.awaitDone} below {@code Catalog.<clinit>}, and {@code ForkJoinPool.commonPool-worker-1}
 * and {@code -2}, RUNNABLE on the lambda's frame ({@code Catalog$$Lambda...applyAsLong}) with, in a text dump,
 * {@code - waiting on the Class initialization monitor for ...Catalog}. The JSON dump shows the workers
 * RUNNABLE with no line saying what they wait for. No dump says which worker runs which part of the stream, so
 * the loader's wait for the workers is inferred there: likely. Live it is certain: the snapshot reads which class
 * each worker waits for, and no thread outside the three can run.
 */
@Expected(kind = "deadlock", threads = {"catalog-loader", "ForkJoinPool.commonPool-worker-1",
        "ForkJoinPool.commonPool-worker-2"}, minJava = 17)
public final class Ex19ClassInitParallelStream {

    static final int WORKERS = 2;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    static final class Catalog {
        static final long[] PRICES;

        static {
            PRICES = IntStream.range(0, 64).parallel().mapToLong(i -> price(i)).toArray();
        }

        static long price(int item) {
            if (!(Thread.currentThread() instanceof ForkJoinWorkerThread)) {
                holdBackUntilWorkersWait();
            }
            return 100L + item;
        }
    }

    /** Runs on the initialising thread: waits (bounded) until every common-pool worker waits for Catalog. */
    private static void holdBackUntilWorkersWait() {
        long deadline = System.nanoTime() + ExampleSupport.HANG_TIMEOUT.toNanos();
        while (workersWaitingForCatalog() < WORKERS && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Common-pool workers that are RUNNABLE on the catalogue lambda's frame: waiting for Catalog's initialisation. */
    static int workersWaitingForCatalog() {
        int waiting = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            StackTraceElement[] stack = e.getValue();
            if (t instanceof ForkJoinWorkerThread && ((ForkJoinWorkerThread) t).getPool() == ForkJoinPool.commonPool()
                    && t.getState() == Thread.State.RUNNABLE && stack.length > 0
                    && stack[0].getClassName().startsWith(Catalog.class.getName() + "$$Lambda")) {
                waiting++;
            }
        }
        return waiting;
    }

    public static void main(String[] args) {
        // Before anything touches ForkJoinPool: two workers on every machine (a 2-core machine would get one).
        System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", Integer.toString(WORKERS));
        ExampleSupport.Options options = ExampleSupport.start(Ex19ClassInitParallelStream.class, args);
        if (ForkJoinPool.getCommonPoolParallelism() != WORKERS) {
            ExampleSupport.fail(ExampleSupport.EXIT_HANG_NOT_FORMED, "the common pool was made before main ran");
        }
        Thread loader = ExampleSupport.startDaemon("catalog-loader",
                () -> System.out.println("prices " + Catalog.PRICES.length));
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both common-pool workers waiting for Catalog, the loader"
                        + " waiting for their parts",
                () -> workersWaitingForCatalog() == WORKERS && loader.getState() == Thread.State.WAITING
                        && inInitialiser(loader), loader);
        ExampleSupport.hangFormed(options, loader);
    }

    private static boolean inInitialiser(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("<clinit>") && frame.getClassName().equals(Catalog.class.getName())) {
                return true;
            }
        }
        return false;
    }
}
