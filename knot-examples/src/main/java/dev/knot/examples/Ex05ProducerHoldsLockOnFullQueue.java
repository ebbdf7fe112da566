package dev.knot.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An order pipeline that stops. The intake thread keeps its counters consistent with the queue by updating
 * them and calling {@code put()} inside one {@code synchronized (stats)} block. The packers, before each
 * {@code take()}, record under the same monitor that they are idle. A burst of orders fills the bounded
 * queue before the packers are up: the intake thread parks in {@code put()} still holding {@code stats},
 * and every packer blocks on {@code stats} before it could take anything off the queue.
 *
 * <p>Expected: <b>deadlock</b> between {@code order-intake} (WAITING (parking) on an
 * {@code AbstractQueuedSynchronizer$ConditionObject}, the queue's notFull condition, while
 * {@code - locked <..> (a ...$IntakeStats)}) and {@code order-packer-1}, {@code order-packer-2} (BLOCKED,
 * {@code - waiting to lock <..> (a ...$IntakeStats)}). jstack does not report it.
 */
@Expected(kind = "deadlock", threads = {"order-intake", "order-packer-1", "order-packer-2"}, minJava = 17)
public final class Ex05ProducerHoldsLockOnFullQueue {

    record Order(int number) {
    }

    static final class IntakeStats {
        long received;
        int idlePackers;
    }

    private static final int QUEUE_CAPACITY = 4;

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex05ProducerHoldsLockOnFullQueue.class, args);
        BlockingQueue<Order> orders = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        IntakeStats stats = new IntakeStats();

        Thread intake = ExampleSupport.startDaemon("order-intake", () -> {
            try {
                for (int n = 1; ; n++) {
                    synchronized (stats) {
                        stats.received++;
                        orders.put(new Order(n)); // parks when full, still holding stats
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The burst arrives before the packers have started: the queue is full and intake parked in put().
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "order-intake parked on a full queue",
                () -> orders.remainingCapacity() == 0 && intake.getState() == Thread.State.WAITING, intake);

        Runnable packer = () -> {
            try {
                while (true) {
                    synchronized (stats) {
                        stats.idlePackers++;
                    }
                    Order order = orders.take();
                    synchronized (stats) {
                        stats.idlePackers--;
                    }
                    pack(order);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread packer1 = ExampleSupport.startDaemon("order-packer-1", packer);
        Thread packer2 = ExampleSupport.startDaemon("order-packer-2", packer);

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both packers BLOCKED on the stats monitor",
                () -> ExampleSupport.isBlocked(packer1) && ExampleSupport.isBlocked(packer2),
                intake, packer1, packer2);
        ExampleSupport.hangFormed(options, intake);
    }

    private static void pack(Order order) {
        System.out.println("packed order " + order.number());
    }
}
