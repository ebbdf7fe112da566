package dev.knot.track.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A producer and a consumer thread on one bounded queue. Non-blocking offer/poll (an operation is one attempt,
 * successful or not), so that neither side can hang when the other stops at the end of an iteration.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBench {
    final BlockingQueue<Integer> abq = new ArrayBlockingQueue<>(1024);
    final BlockingQueue<Integer> abqWork = new ArrayBlockingQueue<>(1024);
    final BlockingQueue<Integer> lbq = new LinkedBlockingQueue<>(1024);
    static final Integer ITEM = 42;

    @Benchmark
    @Group("abq")
    @GroupThreads(1)
    public boolean abqProduce(Expect e) {
        return abq.offer(ITEM);
    }

    @Benchmark
    @Group("abq")
    @GroupThreads(1)
    public Integer abqConsume(Expect e) {
        return abq.poll();
    }

    /** The same with about a microsecond of work per item on each side, as pipeline stages would do. */
    @Benchmark
    @Group("abqWork")
    @GroupThreads(1)
    public boolean abqWorkProduce(Expect e) {
        Blackhole.consumeCPU(250);
        return abqWork.offer(ITEM);
    }

    @Benchmark
    @Group("abqWork")
    @GroupThreads(1)
    public Integer abqWorkConsume(Expect e) {
        Blackhole.consumeCPU(250);
        return abqWork.poll();
    }

    @Benchmark
    @Group("lbq")
    @GroupThreads(1)
    public boolean lbqProduce(Expect e) {
        return lbq.offer(ITEM);
    }

    @Benchmark
    @Group("lbq")
    @GroupThreads(1)
    public Integer lbqConsume(Expect e) {
        return lbq.poll();
    }
}
