package dev.knot.sites;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.knot.input.DumpReader;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.StackFrame;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue's library entries checked against the real libraries, not against remembered stack shapes: for each
 * library that can be made to wait in this JVM without an external server, a daemon thread waits there the way an
 * application does (a nested borrow from a drained pool of one, a {@code block()} on a Mono that never completes, a
 * log call into an async appender whose queue is full), the JVM's own {@code Thread.print -l} text (what jstack and
 * jcmd print) is read with {@link DumpReader}, and what {@link WaitSites#classify} says of that thread (with the real
 * parked-on object) is compared with what the row expects: kind, mode, the type users know, and the library.
 *
 * <p>Not here, because they need a server or a dependency to wait: log4j2's {@code AsyncLoggerConfigDisruptor}
 * (needs the LMAX disruptor), log4j 1 (not in the registry's list), commons-pool 1.
 */
@Tag("slow")
class RealLibraryWaitsTest {

    /** What a row sets up: the call a thread makes (and waits in), and how to release and close everything. */
    interface Scenario extends AutoCloseable {
        void call() throws Exception;
    }

    interface Setup {
        Scenario start() throws Exception;
    }

    /** What the catalogue must say; {@code kind == null}: a socket read the caller waits in ({@link WaitSites#io}). */
    record Expect(ResourceKind kind, WaitMode mode, String typeName, String library) {
    }

    record Row(String name, Setup setup, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                // ---- object pools ------------------------------------------------------------------------------
                row("commons-pool2 GenericObjectPool.borrowObject, nested, pool of 1", RealLibraryWaitsTest::pool2,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.commons.pool2.impl.GenericObjectPool", "commons-pool2"),
                row("commons-pool2 GenericKeyedObjectPool.borrowObject, nested, 1 per key", RealLibraryWaitsTest::keyedPool2,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.commons.pool2.impl.GenericKeyedObjectPool", "commons-pool2"),
                row("HikariCP getConnection, nested, H2, pool of 1", RealLibraryWaitsTest::hikari,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "com.zaxxer.hikari.HikariDataSource", "HikariCP"),
                row("commons-dbcp2 BasicDataSource.getConnection, nested, H2, maxTotal 1", RealLibraryWaitsTest::dbcp2,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.commons.dbcp2.BasicDataSource", "commons-dbcp2"),
                row("c3p0 ComboPooledDataSource.getConnection, nested, H2, maxPoolSize 1", RealLibraryWaitsTest::c3p0,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource", "c3p0"),
                row("Tomcat JDBC DataSource.getConnection, nested, H2, maxActive 1 (fair queue)", () -> tomcatJdbc(true),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.tomcat.jdbc.pool.DataSourceProxy", "Tomcat JDBC"),
                row("Tomcat JDBC DataSource.getConnection, nested, H2, maxActive 1 (unfair queue)", () -> tomcatJdbc(false),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.tomcat.jdbc.pool.DataSourceProxy", "Tomcat JDBC"),
                row("Jedis JedisPool.getResource, nested, maxTotal 1 (a silent local server)", RealLibraryWaitsTest::jedisPool,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "redis.clients.jedis.JedisPool", "Jedis"),
                // Lettuce's frame lies between the application's borrowObject() and commons-pool2's: the outer one names it
                row("Lettuce ConnectionPoolSupport pool borrowObject, nested, maxTotal 1", RealLibraryWaitsTest::lettucePool,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.commons.pool2.impl.GenericObjectPool", "commons-pool2"),
                row("Apache HttpClient 4 execute, its pool of 1 leased", RealLibraryWaitsTest::httpClient4,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.http.impl.conn.PoolingHttpClientConnectionManager",
                        "Apache HttpClient"),
                row("Apache HttpClient 5 execute, its pool of 1 leased (strict pool)", () -> httpClient5(false),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW,
                        "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager", "Apache HttpClient 5"),
                row("Apache HttpClient 5 execute, its pool of 1 leased (lax pool)", () -> httpClient5(true),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW,
                        "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager", "Apache HttpClient 5"),
                row("Kafka producer BufferPool.allocate, memory used up", RealLibraryWaitsTest::kafkaBufferPool,
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, "org.apache.kafka.clients.producer.internals.BufferPool", "Kafka"),
                // ---- where HTTP and Redis clients wait for a silent server: a socket read, no pool ------------------
                row("OkHttp execute against a server that never answers", RealLibraryWaitsTest::okHttpRead, null, null, null, null),
                row("Jedis command against a server that never answers", RealLibraryWaitsTest::jedisRead, null, null, null, null),
                // ---- library futures and monitors ----------------------------------------------------------------
                row("Guava SettableFuture.get", () -> guavaGet(false),
                        ResourceKind.FUTURE, WaitMode.GET, "com.google.common.util.concurrent.AbstractFuture$TrustedFuture", "Guava"),
                row("Guava SettableFuture.get(timeout)", () -> guavaGet(true),
                        ResourceKind.FUTURE, WaitMode.GET, "com.google.common.util.concurrent.AbstractFuture$TrustedFuture", "Guava"),
                row("Guava Futures.getUnchecked", RealLibraryWaitsTest::guavaGetUnchecked,
                        ResourceKind.FUTURE, WaitMode.GET, "com.google.common.util.concurrent.Futures", "Guava"),
                row("Guava Monitor.enter, held by another thread", RealLibraryWaitsTest::guavaMonitorEnter,
                        ResourceKind.EXCLUSIVE_LOCK, WaitMode.LOCK, "com.google.common.util.concurrent.Monitor", "Guava"),
                row("Guava Monitor.waitFor a guard that never holds", () -> guavaMonitorGuard(false),
                        ResourceKind.CONDITION, WaitMode.AWAIT, "com.google.common.util.concurrent.Monitor", "Guava"),
                row("Guava Monitor.enterWhen a guard that never holds", () -> guavaMonitorGuard(true),
                        ResourceKind.CONDITION, WaitMode.AWAIT, "com.google.common.util.concurrent.Monitor", "Guava"),
                row("Guava Monitor.enterWhen, the monitor held by another thread", RealLibraryWaitsTest::guavaMonitorEnterWhenHeld,
                        ResourceKind.EXCLUSIVE_LOCK, WaitMode.LOCK, "java.util.concurrent.locks.ReentrantLock$NonfairSync", "JDK"),
                row("Reactor Mono.never().block()", () -> call(() -> reactor.core.publisher.Mono.never().block()),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "reactor.core.publisher.Mono", "Reactor"),
                row("Reactor Mono.never().block(Duration)", () -> call(() -> reactor.core.publisher.Mono.never().block(Duration.ofMinutes(5))),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "reactor.core.publisher.Mono", "Reactor"),
                row("Reactor Flux.never().blockFirst()", () -> call(() -> reactor.core.publisher.Flux.never().blockFirst()),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "reactor.core.publisher.Flux", "Reactor"),
                row("RxJava Single.never().blockingGet()", () -> call(() -> io.reactivex.rxjava3.core.Single.never().blockingGet()),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "io.reactivex.rxjava3.core.Single", "RxJava"),
                row("RxJava Observable.never().blockingFirst()",
                        () -> call(() -> io.reactivex.rxjava3.core.Observable.never().blockingFirst()),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "io.reactivex.rxjava3.core.Observable", "RxJava"),
                row("RxJava Flowable.never().blockingFirst()",
                        () -> call(() -> io.reactivex.rxjava3.core.Flowable.never().blockingFirst()),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "io.reactivex.rxjava3.core.Flowable", "RxJava"),
                row("RxJava Completable.never().blockingAwait()",
                        () -> call(() -> io.reactivex.rxjava3.core.Completable.never().blockingAwait()),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, "io.reactivex.rxjava3.core.Completable", "RxJava"),
                row("Netty DefaultPromise.await", () -> nettyPromise(p -> p.await()),
                        ResourceKind.FUTURE, WaitMode.GET, "io.netty.util.concurrent.DefaultPromise", "Netty"),
                row("Netty DefaultPromise.sync", () -> nettyPromise(p -> p.sync()),
                        ResourceKind.FUTURE, WaitMode.GET, "io.netty.util.concurrent.DefaultPromise", "Netty"),
                row("Netty DefaultPromise.get", () -> nettyPromise(p -> p.get()),
                        ResourceKind.FUTURE, WaitMode.GET, "io.netty.util.concurrent.DefaultPromise", "Netty"),
                // ---- async logging: an application thread logging into a full queue ------------------------------
                row("log4j2 AsyncAppender (blocking, buffer 1) whose appender is stuck", RealLibraryWaitsTest::log4j2Async,
                        ResourceKind.BOUNDED_QUEUE, WaitMode.PUT, "org.apache.logging.log4j.core.appender.AsyncAppender", "log4j2"),
                row("logback AsyncAppender (queue 1) whose appender is stuck", RealLibraryWaitsTest::logbackAsync,
                        ResourceKind.BOUNDED_QUEUE, WaitMode.PUT, "ch.qos.logback.core.AsyncAppenderBase", "logback"));
    }

    @BeforeAll
    static void quietLibraries() {
        // logback is on the test class path, so every library logging through slf4j would print its DEBUG lines
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.setProperty("com.mchange.v2.c3p0.management.ManagementCoordinator",
                "com.mchange.v2.c3p0.management.NullManagementCoordinator");
    }

    private static final AtomicInteger N = new AtomicInteger();

    /**
     * Why the catalogue has no entry for Lettuce's {@code BoundedAsyncPool.acquire}: it never makes anyone wait. It
     * returns a future at once, and when the pool is exhausted that future fails ("Pool exhausted").
     */
    @org.junit.jupiter.api.Test
    void lettucesBoundedAsyncPoolFailsRatherThanWaits() throws Exception {
        var pool = io.lettuce.core.support.AsyncConnectionPoolSupport.createBoundedObjectPool(
                () -> CompletableFuture.completedFuture(lettuceConnection()),
                io.lettuce.core.support.BoundedPoolConfig.builder().maxTotal(1).maxIdle(1).minIdle(0).build());
        try {
            pool.acquire().join();
            var second = pool.acquire().toCompletableFuture();
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> second.get(10, SECONDS));
            assertEquals(java.util.NoSuchElementException.class, e.getCause().getClass(), String.valueOf(e.getCause()));
        } finally {
            pool.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theCatalogueReadsTheRealStack(Row row) throws Exception {
        Scenario s = row.setup().start();
        Thread t = null;
        var ended = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        try {
            t = new Thread(() -> {
                try {
                    s.call();
                    ended.set(new AssertionError("the call returned"));
                } catch (Throwable released) {
                    ended.set(released); // interrupted or closed under it: the end of every row
                }
            }, "knot-real-" + N.incrementAndGet());
            t.setDaemon(true);
            t.start();
            boolean io = row.expect().kind() == null;
            awaitStill(t, io, ended);
            DumpedThread d = dumpOf(t);
            String stack = d.frames().stream().map(f -> "\n\tat " + f.location() + f.locks().stream()
                    .map(l -> "\n\t" + l.text()).collect(Collectors.joining())).collect(Collectors.joining());
            String blocker = d.frames().stream().flatMap(f -> f.locks().stream())
                    .filter(l -> l.action() == LockLine.Action.PARKING).map(l -> l.object().className()).findFirst().orElse("");
            String seen = row + " (blocker " + (blocker.isEmpty() ? "none" : blocker) + "):" + stack;
            if (Boolean.getBoolean("knot.real.print")) System.out.println("==== " + seen);
            if (io) {
                WaitSites.Io w = WaitSites.io(d.frames());
                assertNotNull(w, "a socket read: " + seen);
                WaitSites.Wait c = WaitSites.classify(blocker, d.frames());
                assertFalse(c != null && c.kind() == ResourceKind.OBJECT_POOL, "no pool: " + seen);
                return;
            }
            WaitSites.Wait w = WaitSites.classify(blocker, d.frames());
            assertNotNull(w, "a wait: " + seen);
            Expect e = row.expect();
            assertEquals(e.kind() + " " + e.mode() + " " + e.typeName() + " [" + e.library() + "]",
                    w.kind() + " " + w.mode() + " " + w.typeName() + " [" + (w.site() == null ? "-" : w.site().library()) + "]",
                    seen);
        } finally {
            if (t != null) t.interrupt();
            s.close();
            if (t != null) {
                t.join(20_000);
                assertFalse(t.isAlive(), "still waiting after the release: " + Arrays.toString(t.getStackTrace()));
            }
        }
    }

    // ---- how a row's thread is watched and dumped ------------------------------------------------------------

    /** Until the thread waits (or, for a socket read, sits in one) with the same stack for a while. */
    private static void awaitStill(Thread t, boolean io, java.util.concurrent.atomic.AtomicReference<Throwable> ended)
            throws InterruptedException {
        long end = System.nanoTime() + SECONDS.toNanos(30);
        List<StackTraceElement> last = List.of();
        int still = 0;
        while (System.nanoTime() < end) {
            if (ended.get() != null) throw new AssertionError("the call never waited; it ended with", ended.get());
            Thread.State st = t.getState();
            List<StackTraceElement> now = Arrays.asList(t.getStackTrace());
            boolean there = io ? now.stream().anyMatch(f -> f.getClassName().equals("sun.nio.ch.NioSocketImpl")
                    && (f.getMethodName().equals("park") || f.getMethodName().equals("timedRead")))
                    : st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
            still = there && now.equals(last) ? still + 1 : 0;
            if (still >= 5) return;
            last = now;
            Thread.sleep(20);
        }
        fail("never came to wait (" + t.getState() + "): " + last);
    }

    /** The thread as the JVM's own text dump ({@code jcmd Thread.print -l}) shows it, read by Knot. */
    private static DumpedThread dumpOf(Thread t) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                new Object[] {new String[] {"-l"}}, new String[] {String[].class.getName()});
        var dumps = DumpReader.read("RealLibraryWaitsTest", new ByteArrayInputStream(text.getBytes(UTF_8)));
        return dumps.get(0).threads().stream().filter(d -> d.name().equals(t.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("not in the dump: " + t.getName()));
    }

    // ---- the rows' set-ups ---------------------------------------------------------------------------------------

    interface Call {
        void call() throws Exception;
    }

    interface Close {
        void close() throws Exception;
    }

    private static Row row(String name, Setup setup, ResourceKind kind, WaitMode mode, String typeName, String library) {
        return new Row(name, setup, new Expect(kind, mode, typeName, library));
    }

    private static Scenario scenario(Call call, Close... closes) {
        return new Scenario() {
            @Override
            public void call() throws Exception {
                call.call();
            }

            @Override
            public void close() throws Exception {
                Exception first = null;
                for (Close c : closes) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        if (first == null) first = e;
                    }
                }
                if (first != null) throw first;
            }
        };
    }

    private static Scenario call(Call call) {
        return scenario(call);
    }

    private static void close(AutoCloseable c) throws Exception {
        c.close();
    }

    private static String h2() {
        return "jdbc:h2:mem:knot-real-" + N.incrementAndGet();
    }

    private static ServerSocket silentServer() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // connections are queued, never answered
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Scenario pool2() throws Exception {
        var config = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<Object>();
        config.setMaxTotal(1);
        config.setJmxEnabled(false);
        var pool = new org.apache.commons.pool2.impl.GenericObjectPool<>(new org.apache.commons.pool2.BasePooledObjectFactory<Object>() {
            @Override
            public Object create() {
                return new Object();
            }

            @Override
            public org.apache.commons.pool2.PooledObject<Object> wrap(Object o) {
                return new org.apache.commons.pool2.impl.DefaultPooledObject<>(o);
            }
        }, config);
        pool.borrowObject();
        return scenario(pool::borrowObject, pool::close);
    }

    static Scenario keyedPool2() throws Exception {
        var config = new org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig<Object>();
        config.setMaxTotalPerKey(1);
        config.setJmxEnabled(false);
        var pool = new org.apache.commons.pool2.impl.GenericKeyedObjectPool<>(
                new org.apache.commons.pool2.BaseKeyedPooledObjectFactory<String, Object>() {
                    @Override
                    public Object create(String key) {
                        return new Object();
                    }

                    @Override
                    public org.apache.commons.pool2.PooledObject<Object> wrap(Object o) {
                        return new org.apache.commons.pool2.impl.DefaultPooledObject<>(o);
                    }
                }, config);
        pool.borrowObject("k");
        return scenario(() -> pool.borrowObject("k"), pool::close);
    }

    static Scenario hikari() throws Exception {
        var config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(h2());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(120_000);
        config.setPoolName("knot-real-hikari");
        var ds = new com.zaxxer.hikari.HikariDataSource(config);
        AutoCloseable held = ds.getConnection(); // java.sql is not read by this module: no Connection named here
        return scenario(() -> close(ds.getConnection()), held::close, ds::close);
    }

    static Scenario dbcp2() throws Exception {
        var ds = new org.apache.commons.dbcp2.BasicDataSource();
        ds.setUrl(h2());
        ds.setMaxTotal(1);
        ds.setMaxWait(Duration.ofMinutes(2));
        AutoCloseable held = ds.getConnection(); // java.sql is not read by this module: no Connection named here
        return scenario(() -> close(ds.getConnection()), held::close, ds::close);
    }

    static Scenario c3p0() throws Exception {
        var ds = new com.mchange.v2.c3p0.ComboPooledDataSource();
        ds.setJdbcUrl(h2());
        ds.setInitialPoolSize(1);
        ds.setMinPoolSize(1);
        ds.setMaxPoolSize(1);
        ds.setAcquireIncrement(1);
        ds.setCheckoutTimeout(120_000);
        AutoCloseable held = ds.getConnection(); // java.sql is not read by this module: no Connection named here
        return scenario(() -> close(ds.getConnection()), held::close, ds::close);
    }

    static Scenario tomcatJdbc(boolean fair) throws Exception {
        var p = new org.apache.tomcat.jdbc.pool.PoolProperties();
        p.setUrl(h2());
        p.setDriverClassName("org.h2.Driver");
        p.setMaxActive(1);
        p.setMaxIdle(1);
        p.setMinIdle(0);
        p.setInitialSize(0);
        p.setMaxWait(120_000);
        p.setFairQueue(fair);
        p.setJmxEnabled(false);
        var ds = new org.apache.tomcat.jdbc.pool.DataSource(p);
        AutoCloseable held = ds.getConnection(); // java.sql is not read by this module: no Connection named here
        return scenario(() -> close(ds.getConnection()), held::close, () -> ds.close(true));
    }

    private static redis.clients.jedis.JedisClientConfig jedisConfig() {
        // no CLIENT SETINFO after connecting: a connection to the silent server is made without a reply
        return redis.clients.jedis.DefaultJedisClientConfig.builder()
                .clientSetInfoConfig(redis.clients.jedis.ClientSetInfoConfig.DISABLED).socketTimeoutMillis(120_000).build();
    }

    static Scenario jedisPool() throws Exception {
        ServerSocket server = silentServer();
        var config = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Jedis>();
        config.setMaxTotal(1);
        config.setJmxEnabled(false);
        var pool = new redis.clients.jedis.JedisPool(config,
                new redis.clients.jedis.HostAndPort("127.0.0.1", server.getLocalPort()), jedisConfig());
        var held = pool.getResource();
        return scenario(() -> pool.getResource(), pool::close, server::close);
    }

    static Scenario jedisRead() throws Exception {
        ServerSocket server = silentServer();
        var jedis = new redis.clients.jedis.Jedis(new redis.clients.jedis.HostAndPort("127.0.0.1", server.getLocalPort()),
                jedisConfig());
        return scenario(() -> jedis.get("k"), jedis::close, server::close);
    }

    /** A connection that is never used: the pool's borrow is what is checked, and it needs no server. */
    private static io.lettuce.core.api.StatefulRedisConnection<?, ?> lettuceConnection() {
        return (io.lettuce.core.api.StatefulRedisConnection<?, ?>) Proxy.newProxyInstance(
                RealLibraryWaitsTest.class.getClassLoader(), new Class<?>[] {io.lettuce.core.api.StatefulRedisConnection.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "isOpen" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "a Lettuce connection";
                    case "closeAsync" -> CompletableFuture.completedFuture(null);
                    default -> null;
                });
    }

    static Scenario lettucePool() throws Exception {
        var config = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<io.lettuce.core.api.StatefulRedisConnection<?, ?>>();
        config.setMaxTotal(1);
        config.setJmxEnabled(false);
        var pool = io.lettuce.core.support.ConnectionPoolSupport.createGenericObjectPool(RealLibraryWaitsTest::lettuceConnection, config);
        pool.borrowObject();
        return scenario(pool::borrowObject, pool::close);
    }

    static Scenario httpClient4() throws Exception {
        ServerSocket server = silentServer();
        var cm = new org.apache.http.impl.conn.PoolingHttpClientConnectionManager();
        cm.setMaxTotal(1);
        cm.setDefaultMaxPerRoute(1);
        var route = new org.apache.http.conn.routing.HttpRoute(new org.apache.http.HttpHost("127.0.0.1", server.getLocalPort()));
        cm.requestConnection(route, null).get(10, SECONDS); // leased, never given back
        var client = org.apache.http.impl.client.HttpClients.custom().setConnectionManager(cm).build();
        String uri = "http://127.0.0.1:" + server.getLocalPort() + "/";
        return scenario(() -> client.execute(new org.apache.http.client.methods.HttpGet(uri)).close(), client::close, server::close);
    }

    static Scenario httpClient5(boolean lax) throws Exception {
        ServerSocket server = silentServer();
        var cm = org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                .setPoolConcurrencyPolicy(lax ? org.apache.hc.core5.pool.PoolConcurrencyPolicy.LAX
                        : org.apache.hc.core5.pool.PoolConcurrencyPolicy.STRICT)
                .setMaxConnTotal(1).setMaxConnPerRoute(1).build();
        var route = new org.apache.hc.client5.http.HttpRoute(new org.apache.hc.core5.http.HttpHost("http", "127.0.0.1",
                server.getLocalPort()));
        cm.lease("held", route, org.apache.hc.core5.util.Timeout.ofSeconds(10), null)
                .get(org.apache.hc.core5.util.Timeout.ofSeconds(10)); // leased, never given back
        var client = org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(cm).build();
        String uri = "http://127.0.0.1:" + server.getLocalPort() + "/";
        return scenario(() -> client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(uri), r -> null),
                () -> client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE), server::close);
    }

    static Scenario kafkaBufferPool() throws Exception {
        var metrics = new org.apache.kafka.common.metrics.Metrics();
        var pool = new org.apache.kafka.clients.producer.internals.BufferPool(1024, 1024, metrics,
                org.apache.kafka.common.utils.Time.SYSTEM, "producer-metrics");
        ByteBuffer held = pool.allocate(1024, 1_000);
        return scenario(() -> pool.allocate(1024, 120_000), pool::close, metrics::close);
    }

    static Scenario okHttpRead() throws Exception {
        ServerSocket server = silentServer();
        var client = new okhttp3.OkHttpClient.Builder().readTimeout(Duration.ofMinutes(2)).build();
        var request = new okhttp3.Request.Builder().url("http://127.0.0.1:" + server.getLocalPort() + "/").build();
        List<Socket> accepted = new ArrayList<>();
        return scenario(() -> client.newCall(request).execute().close(), () -> {
            client.dispatcher().cancelAll();
            client.connectionPool().evictAll();
            client.dispatcher().executorService().shutdown();
        }, server::close);
    }

    static Scenario guavaGet(boolean timed) {
        var f = com.google.common.util.concurrent.SettableFuture.create();
        return scenario(() -> {
            if (timed) f.get(5, java.util.concurrent.TimeUnit.MINUTES);
            else f.get();
        }, () -> f.cancel(false));
    }

    static Scenario guavaGetUnchecked() {
        var f = com.google.common.util.concurrent.SettableFuture.create();
        return scenario(() -> com.google.common.util.concurrent.Futures.getUnchecked(f), () -> f.cancel(false));
    }

    static Scenario guavaMonitorEnter() {
        var m = new com.google.common.util.concurrent.Monitor();
        m.enter(); // by the test's thread, left again when the row closes
        return scenario(() -> {
            m.enterInterruptibly();
            m.leave();
        }, m::leave);
    }

    static Scenario guavaMonitorEnterWhenHeld() {
        var m = new com.google.common.util.concurrent.Monitor();
        var always = new com.google.common.util.concurrent.Monitor.Guard(m) {
            @Override
            public boolean isSatisfied() {
                return true;
            }
        };
        m.enter(); // by the test's thread, left again when the row closes
        return scenario(() -> {
            m.enterWhen(always);
            m.leave();
        }, m::leave);
    }

    static Scenario guavaMonitorGuard(boolean enterWhen) {
        var m = new com.google.common.util.concurrent.Monitor();
        var never = new com.google.common.util.concurrent.Monitor.Guard(m) {
            @Override
            public boolean isSatisfied() {
                return false;
            }
        };
        return scenario(() -> {
            if (enterWhen) {
                m.enterWhen(never);
            } else {
                m.enter();
                try {
                    m.waitFor(never);
                } finally {
                    m.leave();
                }
            }
        });
    }

    interface PromiseCall {
        void call(io.netty.util.concurrent.Promise<Void> p) throws Exception;
    }

    static Scenario nettyPromise(PromiseCall c) {
        // an executor whose thread is not the caller (ImmediateEventExecutor would refuse the wait as a deadlock)
        var p = new io.netty.util.concurrent.DefaultPromise<Void>(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
        return scenario(() -> c.call(p), () -> p.tryFailure(new IllegalStateException("released")));
    }

    static Scenario log4j2Async() {
        var latch = new CountDownLatch(1);
        var ctx = new org.apache.logging.log4j.core.LoggerContext("knot-real-log4j2");
        var config = new org.apache.logging.log4j.core.config.NullConfiguration();
        ctx.start(config);
        var stuck = new org.apache.logging.log4j.core.appender.AbstractAppender("stuck", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent event) {
                awaitQuietly(latch);
            }
        };
        stuck.start();
        config.addAppender(stuck);
        var async = org.apache.logging.log4j.core.appender.AsyncAppender.newBuilder().setName("async")
                .setAppenderRefs(new org.apache.logging.log4j.core.config.AppenderRef[] {
                    org.apache.logging.log4j.core.config.AppenderRef.createAppenderRef("stuck", null, null)})
                .setConfiguration(config).setBufferSize(1).setBlocking(true).build();
        async.start();
        config.addAppender(async);
        var lc = new org.apache.logging.log4j.core.config.LoggerConfig("knot.real", org.apache.logging.log4j.Level.INFO, false);
        lc.addAppender(async, null, null);
        config.addLogger("knot.real", lc);
        ctx.updateLoggers();
        var log = ctx.getLogger("knot.real");
        return scenario(() -> {
            for (int i = 0; i < 10; i++) log.info("event {}", i);
        }, latch::countDown, ctx::stop);
    }

    static Scenario logbackAsync() {
        var latch = new CountDownLatch(1);
        var ctx = new ch.qos.logback.classic.LoggerContext();
        ctx.setName("knot-real-logback");
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // else every append fails, unseen
        var stuck = new ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
                awaitQuietly(latch);
            }
        };
        stuck.setContext(ctx);
        stuck.setName("stuck");
        stuck.start();
        var async = new ch.qos.logback.classic.AsyncAppender();
        async.setContext(ctx);
        async.setName("async");
        async.setQueueSize(1);
        async.setDiscardingThreshold(0); // else INFO events are dropped, not queued, once the queue is 80% full
        async.addAppender(stuck);
        async.start();
        var log = ctx.getLogger("knot.real");
        log.setAdditive(false);
        log.setLevel(ch.qos.logback.classic.Level.INFO);
        log.addAppender(async);
        return scenario(() -> {
            for (int i = 0; i < 10; i++) log.info("event {}", i);
        }, latch::countDown, ctx::stop);
    }
}
