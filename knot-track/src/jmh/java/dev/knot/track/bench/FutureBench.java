package dev.knot.track.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CompletableFuture chains: bare (inline, and a round trip through a one-thread pool) and as a workload (a batch of
 * tasks on a two-thread pool, each with a dependent stage, joined by the caller).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FutureBench {
    static final int BATCH = 64;
    ExecutorService pool;
    ExecutorService pool2;

    @Setup(Level.Trial)
    public void start() {
        pool = Executors.newSingleThreadExecutor();
        pool2 = Executors.newFixedThreadPool(2);
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.shutdownNow();
        pool2.shutdownNow();
    }

    /** supplyAsync on the calling thread, three dependent stages, join on a completed future. */
    @Benchmark
    public Integer chainInline(Expect e, Blackhole bh) {
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> 1, Runnable::run);
        bh.consume(first); // escapes, as a real future does (else the JIT removes the whole chain)
        return first.thenApply(i -> i + 1).thenCompose(i -> CompletableFuture.completedFuture(i * 2)).thenApply(i -> i - 1).join();
    }

    /** supplyAsync on a pool (its queue: offer/take), a stage, join that usually waits (waitingGet). */
    @Benchmark
    public Integer chainOnPool(Expect e) {
        return CompletableFuture.supplyAsync(() -> 1, pool).thenApply(i -> i + 1).join();
    }

    /**
     * Workload: a request fanning out. {@value #BATCH} {@code supplyAsync} tasks of {@link Work#item} each on a
     * two-thread pool, each with a {@code thenApply} stage, then {@code allOf(…).join()} and the results read.
     * Score: ns per batch.
     */
    @Benchmark
    public long fanOutOnPool(Expect e) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] fs = new CompletableFuture[BATCH];
        for (int i = 0; i < BATCH; i++) {
            int n = i;
            fs[i] = CompletableFuture.supplyAsync(() -> {
                Work.item();
                return n;
            }, pool2).thenApply(x -> x + 1);
        }
        CompletableFuture.allOf(fs).join();
        long sum = 0;
        for (CompletableFuture<Integer> f : fs) sum += f.join();
        return sum;
    }
}
