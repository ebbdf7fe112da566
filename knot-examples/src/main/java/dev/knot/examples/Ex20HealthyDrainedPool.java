package dev.knot.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A busy but healthy service: four image workers share two thumbnail encoders from an Apache commons-pool2
 * {@code GenericObjectPool} ({@code maxTotal = 2}). The pool is drained nearly all the time: two workers hold an
 * encoder, the others wait for one, with a timeout ({@code borrowObject(Duration)}: a worker that waits too long
 * gives up and retries). Each worker hands its encoder, once used, to {@code encoder-returner}, which cleans it
 * and returns it to the pool every millisecond or so. Work gets done, just more slowly than it could.
 *
 * <p>Expected: <b>none</b>. A dump shows workers TIMED_WAITING in {@code GenericObjectPool.borrowObject}
 * (a timed wait on the pool's idle deque) and the returner TIMED_WAITING in its pause or taking from its queue:
 * a drained pool that is making progress is not a hang. The example says READY once the pool has been seen
 * drained with waiters and at least 100 encoders have gone back since.
 *
 * <p>Needs commons-pool2 on the class path (an optional dependency of knot-examples: {@code knot demo} from
 * knot.jar says so and exits with code 6).
 */
@Expected(kind = "none", minJava = 17,
        libraries = @Expected.Library(coordinates = "org.apache.commons:commons-pool2",
                probeClass = "org.apache.commons.pool2.impl.GenericObjectPool"))
public final class Ex20HealthyDrainedPool {

    static final int WORKERS = 4;
    static final int ENCODERS = 2;

    /** The commons-pool2 part, apart so that the example class loads (and says what is missing) without it. */
    static final class Encoders {
        private static final org.apache.commons.pool2.impl.GenericObjectPool<StringBuilder> POOL = newPool();
        private static final BlockingQueue<StringBuilder> USED = new ArrayBlockingQueue<>(ENCODERS);
        static final AtomicLong RETURNED = new AtomicLong();

        private static org.apache.commons.pool2.impl.GenericObjectPool<StringBuilder> newPool() {
            org.apache.commons.pool2.impl.GenericObjectPoolConfig<StringBuilder> config =
                    new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>();
            config.setMaxTotal(ENCODERS);
            config.setMaxWait(Duration.ofSeconds(2));
            config.setJmxEnabled(false);
            return new org.apache.commons.pool2.impl.GenericObjectPool<>(
                    new org.apache.commons.pool2.BasePooledObjectFactory<StringBuilder>() {
                        @Override
                        public StringBuilder create() {
                            return new StringBuilder("encoder");
                        }

                        @Override
                        public org.apache.commons.pool2.PooledObject<StringBuilder> wrap(StringBuilder encoder) {
                            return new org.apache.commons.pool2.impl.DefaultPooledObject<>(encoder);
                        }
                    }, config);
        }

        static void work() {
            while (true) {
                try {
                    StringBuilder encoder = POOL.borrowObject(Duration.ofMillis(500));
                    encoder.setLength(0);
                    encoder.append("thumbnail");
                    USED.put(encoder); // the returner gives it back to the pool
                } catch (java.util.NoSuchElementException timedOut) {
                    // waited too long: try again
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        static void returnUsed() {
            while (true) {
                try {
                    StringBuilder encoder = USED.take();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // cleaning the encoder takes a while
                    POOL.returnObject(encoder);
                    RETURNED.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        static boolean drainedWithWaiters() {
            return POOL.getNumActive() == ENCODERS && POOL.getNumIdle() == 0 && POOL.getNumWaiters() > 0;
        }

        static long returned() {
            return RETURNED.get();
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex20HealthyDrainedPool.class, args);
        List<Thread> threads = new ArrayList<>();
        threads.add(ExampleSupport.startDaemon("encoder-returner", Encoders::returnUsed));
        for (int i = 1; i <= WORKERS; i++) {
            threads.add(ExampleSupport.startDaemon("image-worker-" + i, Encoders::work));
        }
        Thread[] all = threads.toArray(new Thread[0]);
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "the pool drained, with workers waiting",
                Encoders::drainedWithWaiters, all);
        long seen = Encoders.returned();
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "100 more encoders returned",
                () -> Encoders.returned() >= seen + 100, all);
        ExampleSupport.hangFormed(options, threads.get(0));
    }
}
