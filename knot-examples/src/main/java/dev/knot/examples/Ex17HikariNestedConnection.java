package dev.knot.examples;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An order service on a HikariCP pool of one connection ({@code maximumPoolSize = 1}) to an in-memory H2
 * database, with a long {@code connectionTimeout} (an hour: "the database is sometimes slow"). Saving an order
 * takes a connection, and while still holding it writes an audit row on a second connection "so that the audit
 * survives a rollback". Three workers save orders: {@code order-worker-1} holds the only connection and waits
 * for a second one; {@code order-worker-2} and {@code order-worker-3} wait for their first. No connection will
 * come back before the hour is up, and then every request fails.
 *
 * <p>Expected: <b>starvation</b> (likely) of the three workers, all TIMED_WAITING (parking) in
 * {@code ConcurrentBag.borrow} under {@code HikariPool.getConnection}, on the bag's {@code SynchronousQueue}, with
 * nobody running who could give a connection back. Neither a dump nor a plain {@code knot attach} shows which thread
 * holds the connection or that the pool is at its maximum; the wait is timed, but an hour is no timeout a request can
 * live with. With pool tracking from start-up ({@code -javaagent:knot-agent.jar=track=pools}) the holder is known:
 * a certain <b>self-deadlock</b> of {@code order-worker-1} (it holds what it waits for), with {@code order-worker-2}
 * and {@code order-worker-3} stuck behind it.
 *
 * <p>Needs HikariCP, H2 and SLF4J on the class path (optional dependencies of knot-examples: {@code knot demo}
 * from knot.jar says so and exits with code 6).
 */
@Expected(kind = "starvation", threads = {"order-worker-1", "order-worker-2", "order-worker-3"}, minJava = 17,
        liveCertainty = "likely",
        libraries = {
                @Expected.Library(coordinates = "com.zaxxer:HikariCP", probeClass = "com.zaxxer.hikari.HikariDataSource"),
                @Expected.Library(coordinates = "com.h2database:h2", probeClass = "org.h2.Driver"),
                @Expected.Library(coordinates = "org.slf4j:slf4j-api", probeClass = "org.slf4j.LoggerFactory"),
                @Expected.Library(coordinates = "org.slf4j:slf4j-nop", probeClass = "org.slf4j.nop.NOPServiceProvider")})
public final class Ex17HikariNestedConnection {

    static final int WORKERS = 3;

    /** The HikariCP part, apart so that the example class loads (and says what is missing) without it. */
    static final class Orders {
        private static final com.zaxxer.hikari.HikariDataSource POOL = newPool();
        private static final CountDownLatch FIRST_HOLDS_ITS_CONNECTION = new CountDownLatch(1);
        private static final CountDownLatch OTHERS_WAITING = new CountDownLatch(1);

        private static com.zaxxer.hikari.HikariDataSource newPool() {
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
            config.setUsername("sa");
            config.setPassword("");
            config.setPoolName("orders-pool");
            config.setMaximumPoolSize(1);
            config.setConnectionTimeout(TimeUnit.HOURS.toMillis(1));
            return new com.zaxxer.hikari.HikariDataSource(config);
        }

        static void createTables() throws SQLException {
            try (Connection c = POOL.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table orders (id int primary key)");
                s.execute("create table audit (order_id int)");
            }
        }

        static void saveOrder(int id, boolean first) throws SQLException, InterruptedException {
            if (!first) {
                FIRST_HOLDS_ITS_CONNECTION.await(); // in production the overlap is by chance
            }
            try (Connection connection = POOL.getConnection(); Statement s = connection.createStatement()) {
                s.execute("insert into orders values (" + id + ")");
                FIRST_HOLDS_ITS_CONNECTION.countDown();
                OTHERS_WAITING.await();
                writeAudit(id);
            }
        }

        static void writeAudit(int id) throws SQLException {
            // the second connection, while the caller still holds the pool's only one
            try (Connection audit = POOL.getConnection(); Statement s = audit.createStatement()) {
                s.execute("insert into audit values (" + id + ")");
            }
        }

        static void othersWaiting() {
            OTHERS_WAITING.countDown();
        }

        static boolean drainedWithWaiters(int waiters) {
            com.zaxxer.hikari.HikariPoolMXBean pool = POOL.getHikariPoolMXBean();
            return pool.getActiveConnections() == 1 && pool.getThreadsAwaitingConnection() == waiters;
        }
    }

    public static void main(String[] args) throws Exception {
        ExampleSupport.Options options = ExampleSupport.start(Ex17HikariNestedConnection.class, args);
        Orders.createTables();
        List<Thread> workers = new ArrayList<>();
        for (int i = 1; i <= WORKERS; i++) {
            int id = i;
            workers.add(ExampleSupport.startDaemon("order-worker-" + i, () -> save(id)));
        }
        Thread first = workers.get(0);
        Thread[] all = workers.toArray(new Thread[0]);
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "order-worker-2 and -3 waiting for the held connection",
                () -> Orders.drainedWithWaiters(WORKERS - 1) && workers.subList(1, WORKERS).stream()
                        .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING), all);
        Orders.othersWaiting();
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "all three workers waiting for a connection",
                () -> Orders.drainedWithWaiters(WORKERS)
                        && workers.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING), all);
        ExampleSupport.hangFormed(options, first);
    }

    private static void save(int id) {
        try {
            Orders.saveOrder(id, id == 1);
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
