package dev.knot.examples;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * A tiny connection pool of two connections, guarded by a {@link Semaphore} with two permits. A request
 * handler borrows a connection to load an order, and while still holding it calls an audit helper that
 * borrows a second connection "so the audit row is written independently". Two requests arrive together:
 * each holds one connection and waits for a second one, and the pool has none left.
 *
 * <p>Expected: <b>deadlock</b> (resource deadlock over pool units) between {@code http-handler-1} and
 * {@code http-handler-2}, both WAITING (parking) on the same {@code Semaphore$NonfairSync}. The dump shows
 * no owner: semaphore permits are not owned by a thread, so jstack neither lists them under "Locked ownable
 * synchronizers" nor reports a deadlock.
 */
@Expected(kind = "deadlock", threads = {"http-handler-1", "http-handler-2"}, minJava = 17, liveCertainty = "likely")
public final class Ex06PoolUnitsExhausted {

    static final class Connection {
        final int id;

        Connection(int id) {
            this.id = id;
        }
    }

    static final class ConnectionPool {
        private final Semaphore available;
        private final Deque<Connection> idle = new ArrayDeque<>();

        ConnectionPool(int size) {
            available = new Semaphore(size);
            for (int i = 1; i <= size; i++) {
                idle.push(new Connection(i));
            }
        }

        Connection borrow() throws InterruptedException {
            available.acquire();
            synchronized (idle) {
                return idle.pop();
            }
        }

        void giveBack(Connection connection) {
            synchronized (idle) {
                idle.push(connection);
            }
            available.release();
        }
    }

    private static final ConnectionPool POOL = new ConnectionPool(2);
    /** Both requests hold their first connection before either asks for a second: the bad overlap, certain. */
    private static final CountDownLatch BOTH_REQUESTS_IN_FLIGHT = new CountDownLatch(2);

    static void handleRequest(int orderId) throws InterruptedException {
        Connection connection = POOL.borrow();
        try {
            BOTH_REQUESTS_IN_FLIGHT.countDown();
            BOTH_REQUESTS_IN_FLIGHT.await();
            writeAuditRow(orderId);
        } finally {
            POOL.giveBack(connection);
        }
    }

    static void writeAuditRow(int orderId) throws InterruptedException {
        Connection auditConnection = POOL.borrow(); // the second unit, while the caller still holds the first
        try {
            System.out.println("audit order " + orderId + " on connection " + auditConnection.id);
        } finally {
            POOL.giveBack(auditConnection);
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex06PoolUnitsExhausted.class, args);
        Thread handler1 = ExampleSupport.startDaemon("http-handler-1", () -> run(1001));
        Thread handler2 = ExampleSupport.startDaemon("http-handler-2", () -> run(1002));

        // Two threads queued on the semaphore means both are in writeAuditRow (past the latch).
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both handlers parked on the empty pool",
                () -> POOL.available.getQueueLength() == 2
                        && handler1.getState() == Thread.State.WAITING
                        && handler2.getState() == Thread.State.WAITING,
                handler1, handler2);
        ExampleSupport.hangFormed(options, handler1);
    }

    private static void run(int orderId) {
        try {
            handleRequest(orderId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
