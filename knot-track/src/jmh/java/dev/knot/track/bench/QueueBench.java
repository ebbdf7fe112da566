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

/**
 * A producer and a consumer thread on one bounded queue. The bare rows use non-blocking offer/poll (an operation is
 * one attempt, successful or not); the pipeline workload blocks, with timeouts so that neither side can hang when the
 * other stops at the end of an iteration.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBench {
    final BlockingQueue<Integer> abq = new ArrayBlockingQueue<>(1024);
    final BlockingQueue<Integer> pipe = new ArrayBlockingQueue<>(1024);
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

    /**
     * Workload: a pipeline stage. The producer does {@link Work#item} and puts the item (offer with a timeout, which
     * blocks while the queue is full); the consumer takes it (poll with a timeout, which blocks while it is empty)
     * and does {@link Work#item}. The timeouts only matter when the other side stops at the end of an iteration.
     */
    @Benchmark
    @Group("pipeline")
    @GroupThreads(1)
    public boolean pipelineProduce(Expect e) throws InterruptedException {
        Work.item();
        return pipe.offer(ITEM, 10, TimeUnit.MILLISECONDS);
    }

    @Benchmark
    @Group("pipeline")
    @GroupThreads(1)
    public Integer pipelineConsume(Expect e) throws InterruptedException {
        Integer item = pipe.poll(10, TimeUnit.MILLISECONDS);
        if (item != null) Work.item();
        return item;
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
