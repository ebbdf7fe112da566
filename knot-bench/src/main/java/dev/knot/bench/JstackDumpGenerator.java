package dev.knot.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a realistic {@code jstack -l} text dump in the JDK 25 format (the line formats of
 * shared/dumps/jdk/jdk25-jstack-l.txt): a Tomcat + Spring + JDBC service with thousands of threads.
 *
 * <p>Mix (of the application threads): idle pool workers (ThreadPoolExecutor.getTask / LinkedBlockingQueue.take,
 * Tomcat TaskQueue, keep-alive polls, scheduled pools, ForkJoin common pool), request threads BLOCKED on four hot
 * monitors held by RUNNABLE threads, request threads parked on four hot ReentrantLocks whose owners are listed
 * under "Locked ownable synchronizers", RUNNABLE JDBC socket reads, Netty event loops, Object.wait() batch
 * workers, sleeping reporters, and two deadlock cycles (two threads over monitors, three over ReentrantLocks)
 * with threads stuck behind them and the JVM's own "Found one Java-level deadlock" section. Deterministic
 * for a given seed and thread count.
 */
final class JstackDumpGenerator {

    private static final String JB = "java.base@25.0.3";

    /** What was written. */
    record Result(Path file, long bytes, int threads, long frames, long lines, Map<String, Integer> mix) {
        double framesPerThread() {
            return threads == 0 ? 0 : (double) frames / threads;
        }
    }

    private final SplittableRandom rnd;
    private final int total;
    private long nextObject = 0x000000069e800000L;
    private long nextTid = 0x00007fb028000000L;
    private long nextStack = 0x00007faf00000000L;
    private int nextJavaId = 3;
    private int nextNid = 7441;
    private long frames;
    private final Map<String, Integer> mix = new LinkedHashMap<>();
    private final List<String> tids = new ArrayList<>();
    private final List<T> threads = new ArrayList<>();

    private JstackDumpGenerator(int total, long seed) {
        this.total = total;
        this.rnd = new SplittableRandom(seed);
    }

    static Result write(Path file, int threads, long seed) throws IOException {
        if (threads < 200) throw new IllegalArgumentException("at least 200 threads");
        JstackDumpGenerator g = new JstackDumpGenerator(threads, seed);
        g.build();
        long[] lines = new long[1];
        try (Writer raw = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1);
             BufferedWriter w = new BufferedWriter(raw, 1 << 16)) {
            g.emit(new LineWriter(w, lines));
        }
        return new Result(file, Files.size(file), g.threads.size(), g.frames, lines[0], g.mix);
    }

    // ---- one thread -------------------------------------------------------------------------------

    private static final class T {
        String name;
        boolean daemon = true;
        int prio = 5;
        boolean vm;                 // VM-internal thread: header only
        String headerState;         // "waiting on condition", "runnable", ...
        String state;               // "WAITING (parking)", "RUNNABLE", ...
        final List<String> stack = new ArrayList<>();   // "\tat ..." and "\t- ..." lines
        final List<String> ownable = new ArrayList<>(); // "<0x…> (a …)"
        String header;              // filled in by header()
    }

    /** Collects frames bottom-up is awkward; stacks are built top-down like jstack prints them. */
    private final class S {
        final T t;

        S(T t) {
            this.t = t;
        }

        S jb(String method, String file, int line) {
            t.stack.add("\tat " + method + "(" + JB + "/" + file + ":" + line + ")");
            frames++;
            return this;
        }

        S jbNative(String method) {
            t.stack.add("\tat " + method + "(" + JB + "/Native Method)");
            frames++;
            return this;
        }

        S app(String method, String file, int line) {
            t.stack.add("\tat " + method + "(" + file + ":" + line + ")");
            frames++;
            return this;
        }

        S raw(String frameText) {
            t.stack.add("\tat " + frameText);
            frames++;
            return this;
        }

        S lock(String action, String obj, String cls) {
            t.stack.add("\t- " + action + " <" + obj + "> (a " + cls + ")");
            return this;
        }
    }

    private S s(T t) {
        return new S(t);
    }

    // ---- ids --------------------------------------------------------------------------------------

    private String obj() {
        nextObject += 8L * (2 + rnd.nextInt(60));
        return hex16(nextObject);
    }

    private static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0x" + "0000000000000000".substring(h.length()) + h;
    }

    private static String ms(double v) {
        long c = Math.round(v * 100);
        long frac = c % 100;
        return (c / 100) + "." + (frac < 10 ? "0" : "") + frac;
    }

    private void header(T t) {
        nextTid += 0x1000L + 0x10L * rnd.nextInt(0x100);
        String tid = hex16(nextTid);
        tids.add(tid);
        int nid = nextNid++;
        double elapsed = 86_000 + rnd.nextInt(400_000) / 100.0;
        String cpu = ms(rnd.nextInt(5_000_000) / 100.0) + "ms";
        if (t.vm) {
            t.header = "\"" + t.name + "\" os_prio=0 cpu=" + cpu + " elapsed=" + ms(elapsed) + "s tid=" + tid
                    + " nid=" + nid + " " + t.headerState + "  ";
            return;
        }
        nextStack += 0x100000L;
        String stack = t.stack.isEmpty() ? hex16(0) : hex16(nextStack);
        t.header = "\"" + t.name + "\" #" + (nextJavaId++) + " [" + nid + "]" + (t.daemon ? " daemon" : "")
                + " prio=" + t.prio + " os_prio=0 cpu=" + cpu + " elapsed=" + ms(elapsed) + "s tid=" + tid
                + " nid=" + nid + " " + t.headerState + "  [" + stack + "]";
    }

    private T add(String category, String name, String headerState, String state) {
        T t = new T();
        t.name = name;
        t.headerState = headerState;
        t.state = state;
        threads.add(t);
        mix.merge(category, 1, Integer::sum);
        return t;
    }

    // ---- common stack parts -----------------------------------------------------------------------

    private void threadTail(S s) {
        s.jb("java.lang.Thread.runWith", "Thread.java", 1487).jb("java.lang.Thread.run", "Thread.java", 1474);
    }

    private void jucWorkerTail(S s) {
        s.jb("java.util.concurrent.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1090)
                .jb("java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java", 614);
        threadTail(s);
    }

    private void parkCondition(S s, String cond) {
        s.jbNative("jdk.internal.misc.Unsafe.park")
                .lock("parking to wait for ", cond, "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject")
                .jb("java.util.concurrent.locks.LockSupport.park", "LockSupport.java", 369)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode.block", "AbstractQueuedSynchronizer.java", 520)
                .jb("java.util.concurrent.ForkJoinPool.unmanagedBlock", "ForkJoinPool.java", 4364)
                .jb("java.util.concurrent.ForkJoinPool.managedBlock", "ForkJoinPool.java", 4310)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await", "AbstractQueuedSynchronizer.java", 1752);
    }

    private void parkNanosCondition(S s, String cond) {
        s.jbNative("jdk.internal.misc.Unsafe.park")
                .lock("parking to wait for ", cond, "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject")
                .jb("java.util.concurrent.locks.LockSupport.parkNanos", "LockSupport.java", 271)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.awaitNanos", "AbstractQueuedSynchronizer.java", 1797);
    }

    private void parkLock(S s, String lock, String syncClass) {
        s.jbNative("jdk.internal.misc.Unsafe.park")
                .lock("parking to wait for ", lock, syncClass)
                .jb("java.util.concurrent.locks.LockSupport.park", "LockSupport.java", 223)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire", "AbstractQueuedSynchronizer.java", 790)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire", "AbstractQueuedSynchronizer.java", 1030)
                .jb("java.util.concurrent.locks.ReentrantLock$Sync.lock", "ReentrantLock.java", 154)
                .jb("java.util.concurrent.locks.ReentrantLock.lock", "ReentrantLock.java", 323);
    }

    private void socketRead(S s) {
        s.jbNative("sun.nio.ch.SocketDispatcher.read0")
                .jb("sun.nio.ch.SocketDispatcher.read", "SocketDispatcher.java", 47)
                .jb("sun.nio.ch.NioSocketImpl.tryRead", "NioSocketImpl.java", 256)
                .jb("sun.nio.ch.NioSocketImpl.implRead", "NioSocketImpl.java", 307)
                .jb("sun.nio.ch.NioSocketImpl.read", "NioSocketImpl.java", 345)
                .jb("sun.nio.ch.NioSocketImpl$1.read", "NioSocketImpl.java", 790)
                .jb("java.net.Socket$SocketInputStream.implRead", "Socket.java", 983)
                .jb("java.net.Socket$SocketInputStream.read", "Socket.java", 970);
    }

    /** PgJDBC query waiting for the database; holds the connection's ResourceLock (a ReentrantLock). */
    private String jdbcQuery(S s) {
        socketRead(s);
        s.app("org.postgresql.core.VisibleBufferedInputStream.readMore", "VisibleBufferedInputStream.java", 192)
                .app("org.postgresql.core.VisibleBufferedInputStream.ensureBytes", "VisibleBufferedInputStream.java", 159)
                .app("org.postgresql.core.VisibleBufferedInputStream.read", "VisibleBufferedInputStream.java", 76)
                .app("org.postgresql.core.PGStream.receiveChar", "PGStream.java", 476)
                .app("org.postgresql.core.v3.QueryExecutorImpl.processResults", "QueryExecutorImpl.java", 2174)
                .app("org.postgresql.core.v3.QueryExecutorImpl.execute", "QueryExecutorImpl.java", 372)
                .app("org.postgresql.jdbc.PgStatement.executeInternal", "PgStatement.java", 517)
                .app("org.postgresql.jdbc.PgPreparedStatement.executeQuery", "PgPreparedStatement.java", 137)
                .app("com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery", "HikariProxyPreparedStatement.java", 1);
        return obj();
    }

    private static final String[][] SERVICES = {
        {"com.acme.shop.web.OrderController.place", "OrderController.java"},
        {"com.acme.shop.web.CartController.update", "CartController.java"},
        {"com.acme.shop.web.CatalogController.search", "CatalogController.java"},
        {"com.acme.shop.web.AccountController.transfer", "AccountController.java"},
        {"com.acme.shop.web.CheckoutController.confirm", "CheckoutController.java"},
    };

    /** Spring MVC + a transactional service proxy, then the controller. */
    private void springRequest(S s, int controller) {
        String[] c = SERVICES[controller % SERVICES.length];
        s.app(c[0], c[1], 40 + rnd.nextInt(80))
                .jb("jdk.internal.reflect.DirectMethodHandleAccessor.invoke", "DirectMethodHandleAccessor.java", 104)
                .jb("java.lang.reflect.Method.invoke", "Method.java", 565)
                .app("org.springframework.web.method.support.InvocableHandlerMethod.doInvoke", "InvocableHandlerMethod.java", 258)
                .app("org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest", "InvocableHandlerMethod.java", 191)
                .app("org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal",
                        "RequestMappingHandlerAdapter.java", 866)
                .app("org.springframework.web.servlet.DispatcherServlet.doDispatch", "DispatcherServlet.java", 1089)
                .app("org.springframework.web.servlet.FrameworkServlet.processRequest", "FrameworkServlet.java", 1014)
                .app("jakarta.servlet.http.HttpServlet.service", "HttpServlet.java", 658);
    }

    private void tomcatBusyTail(S s, String worker) {
        s.app("org.apache.catalina.core.ApplicationFilterChain.internalDoFilter", "ApplicationFilterChain.java", 195)
                .app("org.apache.catalina.core.ApplicationFilterChain.doFilter", "ApplicationFilterChain.java", 140)
                .app("org.apache.catalina.core.StandardWrapperValve.invoke", "StandardWrapperValve.java", 167)
                .app("org.apache.catalina.core.StandardContextValve.invoke", "StandardContextValve.java", 90)
                .app("org.apache.catalina.core.StandardHostValve.invoke", "StandardHostValve.java", 115)
                .app("org.apache.catalina.core.StandardEngineValve.invoke", "StandardEngineValve.java", 74)
                .app("org.apache.catalina.connector.CoyoteAdapter.service", "CoyoteAdapter.java", 344)
                .app("org.apache.coyote.http11.Http11Processor.service", "Http11Processor.java", 391)
                .app("org.apache.coyote.AbstractProtocol$ConnectionHandler.process", "AbstractProtocol.java", 896)
                .app("org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun", "NioEndpoint.java", 1744)
                .app("org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1191)
                .app("org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java", 659)
                .app("org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run", "TaskThread.java", 61);
        threadTail(s);
        s.t.ownable.add("<" + worker + "> (a org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker)");
    }

    private int execNo = 1;

    private T requestThread(String category, String headerState, String state) {
        return add(category, "http-nio-8080-exec-" + (execNo++), headerState, state);
    }

    // ---- the dump ---------------------------------------------------------------------------------

    private void build() {
        systemThreads();
        int vmThreads = 7;
        int appThreads = total - threads.size() - vmThreads - 1; // - Attach Listener
        // fixed scenarios first: hot monitors and locks with their holders, deadlocks and what is stuck behind them
        int budget = appThreads;
        budget -= deadlocks();
        int blockedMon = budget * 14 / 100;
        int parkedLock = budget * 14 / 100;
        int jdbc = budget * 10 / 100;
        int tomcatIdle = budget * 14 / 100;
        int poolIdle = budget * 20 / 100;
        int keepAlive = budget * 5 / 100;
        int scheduled = budget * 4 / 100;
        int fjIdle = budget * 3 / 100;
        int waiters = budget * 5 / 100;
        int sleepers = budget * 5 / 100;
        int used = blockedMon + parkedLock + jdbc + tomcatIdle + poolIdle + keepAlive + scheduled + fjIdle + waiters
                + sleepers;
        hotMonitors(blockedMon);
        hotLocks(parkedLock);
        jdbcReaders(jdbc);
        tomcatIdle(tomcatIdle);
        poolIdle(poolIdle);
        keepAlive(keepAlive);
        scheduled(scheduled);
        forkJoinIdle(fjIdle);
        objectWaiters(waiters);
        sleepers(sleepers);
        eventLoops(budget - used);
        T attach = add("jvm", "Attach Listener", "waiting on condition", "RUNNABLE");
        attach.prio = 9;
        vmThreads();
        for (T t : threads) header(t);
    }

    private void systemThreads() {
        T main = add("jvm", "main", "waiting on condition", "WAITING (parking)");
        main.daemon = false;
        S s = s(main);
        s.jbNative("jdk.internal.misc.Unsafe.park")
                .lock("parking to wait for ", obj(), "java.util.concurrent.CountDownLatch$Sync")
                .jb("java.util.concurrent.locks.LockSupport.park", "LockSupport.java", 223)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire", "AbstractQueuedSynchronizer.java", 790)
                .jb("java.util.concurrent.locks.AbstractQueuedSynchronizer.acquireSharedInterruptibly",
                        "AbstractQueuedSynchronizer.java", 1139)
                .jb("java.util.concurrent.CountDownLatch.await", "CountDownLatch.java", 230)
                .app("com.acme.shop.ShopApplication.main", "ShopApplication.java", 31);
        T ref = add("jvm", "Reference Handler", "waiting on condition", "RUNNABLE");
        ref.prio = 10;
        s(ref).jbNative("java.lang.ref.Reference.waitForReferencePendingList")
                .jb("java.lang.ref.Reference.processPendingReferences", "Reference.java", 246)
                .jb("java.lang.ref.Reference$ReferenceHandler.run", "Reference.java", 208);
        T fin = add("jvm", "Finalizer", "in Object.wait()", "WAITING (on object monitor)");
        fin.prio = 8;
        String q = obj();
        s(fin).jbNative("java.lang.Object.wait0").lock("waiting on", q, "java.lang.ref.ReferenceQueue$Lock")
                .jb("java.lang.Object.wait", "Object.java", 389).jb("java.lang.Object.wait", "Object.java", 351)
                .jb("java.lang.ref.ReferenceQueue.remove0", "ReferenceQueue.java", 137)
                .jb("java.lang.ref.ReferenceQueue.remove", "ReferenceQueue.java", 215)
                .lock("locked", q, "java.lang.ref.ReferenceQueue$Lock")
                .jb("java.lang.ref.Finalizer$FinalizerThread.run", "Finalizer.java", 165);
        add("jvm", "Signal Dispatcher", "waiting on condition", "RUNNABLE").prio = 9;
        add("jvm", "Service Thread", "runnable", "RUNNABLE").prio = 9;
        add("jvm", "Monitor Deflation Thread", "runnable", "RUNNABLE").prio = 9;
        add("jvm", "C2 CompilerThread0", "waiting on condition", "RUNNABLE").prio = 9;
        add("jvm", "C1 CompilerThread0", "waiting on condition", "RUNNABLE").prio = 9;
        add("jvm", "Notification Thread", "runnable", "RUNNABLE").prio = 9;
        T cleaner = add("jvm", "Common-Cleaner", "in Object.wait()", "TIMED_WAITING (on object monitor)");
        cleaner.prio = 8;
        String cq = obj();
        S c = s(cleaner).jbNative("java.lang.Object.wait0").lock("waiting on", cq, "java.lang.ref.ReferenceQueue$Lock")
                .jb("java.lang.Object.wait", "Object.java", 389).jb("java.lang.Object.wait", "Object.java", 351)
                .jb("java.lang.ref.ReferenceQueue.remove0", "ReferenceQueue.java", 123)
                .jb("java.lang.ref.ReferenceQueue.remove", "ReferenceQueue.java", 201)
                .lock("locked", cq, "java.lang.ref.ReferenceQueue$Lock")
                .jb("jdk.internal.ref.CleanerImpl.run", "CleanerImpl.java", 146);
        threadTail(c);
        c.jb("jdk.internal.misc.InnocuousThread.run", "InnocuousThread.java", 148);
    }

    private void vmThreads() {
        String[][] vm = {{"VM Thread", "runnable"}, {"VM Periodic Task Thread", "waiting on condition"},
            {"G1 Service", "runnable"}, {"G1 Refine#0", "runnable"}, {"G1 Conc#0", "runnable"},
            {"G1 Main Marker", "runnable"}, {"GC Thread#0", "runnable"}};
        for (String[] v : vm) {
            T t = add("jvm", v[0], v[1], null);
            t.vm = true;
        }
    }

    // hot monitors: {class, file, method that locks, holder's slow call}
    private static final String[][] HOT_MONITORS = {
        {"com.acme.shop.cache.PriceCache", "PriceCache.java", "get"},
        {"com.acme.shop.audit.AuditLog", "AuditLog.java", "append"},
        {"com.acme.shop.session.SessionRegistry", "SessionRegistry.java", "touch"},
        {"org.apache.logging.log4j.core.appender.OutputStreamManager", "OutputStreamManager.java", "write"},
    };

    private void hotMonitors(int count) {
        int k = HOT_MONITORS.length;
        String[] mons = new String[k];
        for (int i = 0; i < k; i++) mons[i] = obj();
        // the holders: RUNNABLE, doing slow I/O while holding the monitor
        for (int i = 0; i < k; i++) {
            String[] m = HOT_MONITORS[i];
            T t = requestThread("monitor holder (RUNNABLE, I/O)", "runnable", "RUNNABLE");
            S s = s(t);
            if (i == 3) {
                s.jbNative("java.io.FileOutputStream.writeBytes")
                        .jb("java.io.FileOutputStream.write", "FileOutputStream.java", 367)
                        .app("org.apache.logging.log4j.core.appender.OutputStreamManager.writeToDestination",
                                "OutputStreamManager.java", 250)
                        .app("org.apache.logging.log4j.core.appender.OutputStreamManager.flushBuffer", "OutputStreamManager.java", 283)
                        .app("org.apache.logging.log4j.core.appender.OutputStreamManager.write", "OutputStreamManager.java", 176)
                        .lock("locked", mons[i], m[0])
                        .app("org.apache.logging.log4j.core.appender.AbstractOutputStreamAppender.directEncodeEvent",
                                "AbstractOutputStreamAppender.java", 215)
                        .app("org.apache.logging.log4j.core.config.LoggerConfig.log", "LoggerConfig.java", 560)
                        .app("com.acme.shop.service.OrderService.place", "OrderService.java", 97);
            } else {
                socketRead(s);
                s.jb("java.io.BufferedInputStream.fill", "BufferedInputStream.java", 291)
                        .jb("java.io.BufferedInputStream.read1", "BufferedInputStream.java", 347)
                        .jb("java.io.BufferedInputStream.implRead", "BufferedInputStream.java", 420)
                        .jb("java.io.BufferedInputStream.read", "BufferedInputStream.java", 399)
                        .app("com.acme.shop.client.RemoteClient.call", "RemoteClient.java", 133)
                        .app(m[0] + ".reload", m[1], 140 + i)
                        .app(m[0] + "." + m[2], m[1], 88 + i)
                        .lock("locked", mons[i], m[0]);
            }
            springRequest(s, i);
            tomcatBusyTail(s, obj());
        }
        // the waiters; skewed: the first monitor is the hottest
        for (int n = 0; n < count - k; n++) {
            int i = n % 10 < 5 ? 0 : n % 10 < 8 ? 1 : n % 10 < 9 ? 2 : 3;
            String[] m = HOT_MONITORS[i];
            T t = requestThread("BLOCKED on a hot monitor", "waiting for monitor entry", "BLOCKED (on object monitor)");
            S s = s(t);
            if (i == 3) {
                s.app("org.apache.logging.log4j.core.appender.OutputStreamManager.write", "OutputStreamManager.java", 166)
                        .lock("waiting to lock", mons[i], m[0])
                        .app("org.apache.logging.log4j.core.layout.TextEncoderHelper.encodeText", "TextEncoderHelper.java", 83)
                        .app("org.apache.logging.log4j.core.appender.AbstractOutputStreamAppender.directEncodeEvent",
                                "AbstractOutputStreamAppender.java", 215)
                        .app("org.apache.logging.log4j.core.config.LoggerConfig.log", "LoggerConfig.java", 560)
                        .app("org.apache.logging.log4j.spi.AbstractLogger.info", "AbstractLogger.java", 1303);
            } else {
                s.app(m[0] + "." + m[2], m[1], 88 + i).lock("waiting to lock", mons[i], m[0]);
            }
            appFrames(s, 2 + rnd.nextInt(5));
            springRequest(s, n);
            tomcatBusyTail(s, obj());
        }
    }

    private static final String[][] APP = {
        {"com.acme.shop.service.OrderService.place", "OrderService.java"},
        {"com.acme.shop.service.PricingService.quote", "PricingService.java"},
        {"com.acme.shop.service.InventoryService.reserve", "InventoryService.java"},
        {"com.acme.shop.service.CartService.recalculate", "CartService.java"},
        {"com.acme.shop.service.PromotionService.apply", "PromotionService.java"},
        {"com.acme.shop.service.TaxService.compute", "TaxService.java"},
        {"com.acme.shop.repo.OrderRepository.save", "OrderRepository.java"},
        {"org.springframework.aop.framework.ReflectiveMethodInvocation.proceed", "ReflectiveMethodInvocation.java"},
        {"org.springframework.transaction.interceptor.TransactionInterceptor.invoke", "TransactionInterceptor.java"},
        {"org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept", "CglibAopProxy.java"},
    };

    private void appFrames(S s, int n) {
        for (int j = 0; j < n; j++) {
            String[] a = APP[rnd.nextInt(APP.length)];
            s.app(a[0], a[1], 20 + rnd.nextInt(300));
        }
    }

    private static final String[][] HOT_LOCKS = {
        {"com.acme.shop.inventory.StockLedger.reserve", "StockLedger.java", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        {"com.acme.shop.payment.TokenStore.refresh", "TokenStore.java", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        {"com.acme.shop.search.IndexWriterHolder.commit", "IndexWriterHolder.java", "java.util.concurrent.locks.ReentrantLock$FairSync"},
        {"com.acme.shop.rate.RateLimiter.acquire", "RateLimiter.java", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
    };

    private void hotLocks(int count) {
        int k = HOT_LOCKS.length;
        String[] locks = new String[k];
        for (int i = 0; i < k; i++) locks[i] = obj();
        for (int i = 0; i < k; i++) {
            String[] l = HOT_LOCKS[i];
            T t;
            S s;
            if (i == 1) {
                // owner sleeps while holding the lock (retry back-off)
                t = requestThread("lock owner (sleeping)", "waiting on condition", "TIMED_WAITING (sleeping)");
                s = s(t);
                s.jbNative("java.lang.Thread.sleepNanos0").jb("java.lang.Thread.sleepNanos", "Thread.java", 509)
                        .jb("java.lang.Thread.sleep", "Thread.java", 540)
                        .app("com.acme.shop.payment.Backoff.pause", "Backoff.java", 22);
            } else {
                // owner waits for the database while holding the lock
                t = requestThread("lock owner (RUNNABLE, JDBC)", "runnable", "RUNNABLE");
                s = s(t);
                String conn = jdbcQuery(s);
                t.ownable.add("<" + conn + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)");
            }
            s.app(l[0], l[1], 57 + i);
            appFrames(s, 2);
            springRequest(s, i + 1);
            tomcatBusyTail(s, obj());
            t.ownable.add(0, "<" + locks[i] + "> (a " + l[2] + ")");
        }
        for (int n = 0; n < count - k; n++) {
            int i = n % 10 < 4 ? 0 : n % 10 < 7 ? 1 : n % 10 < 9 ? 2 : 3;
            String[] l = HOT_LOCKS[i];
            T t = requestThread("parked on a ReentrantLock", "waiting on condition", "WAITING (parking)");
            S s = s(t);
            parkLock(s, locks[i], l[2]);
            s.app(l[0], l[1], 55 + i);
            appFrames(s, 2 + rnd.nextInt(5));
            springRequest(s, n + 2);
            tomcatBusyTail(s, obj());
        }
    }

    private void jdbcReaders(int count) {
        for (int n = 0; n < count; n++) {
            T t = requestThread("RUNNABLE socket read (JDBC)", "runnable", "RUNNABLE");
            S s = s(t);
            String conn = jdbcQuery(s);
            appFrames(s, 3 + rnd.nextInt(4));
            springRequest(s, n);
            tomcatBusyTail(s, obj());
            t.ownable.add(0, "<" + conn + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)");
        }
    }

    private void tomcatIdle(int count) {
        String cond = obj();
        for (int n = 0; n < count; n++) {
            T t = requestThread("idle pool worker (Tomcat TaskQueue.take)", "waiting on condition", "WAITING (parking)");
            S s = s(t);
            parkCondition(s, cond);
            s.jb("java.util.concurrent.LinkedBlockingQueue.take", "LinkedBlockingQueue.java", 435)
                    .app("org.apache.tomcat.util.threads.TaskQueue.take", "TaskQueue.java", 171)
                    .app("org.apache.tomcat.util.threads.TaskQueue.take", "TaskQueue.java", 35)
                    .app("org.apache.tomcat.util.threads.ThreadPoolExecutor.getTask", "ThreadPoolExecutor.java", 1113)
                    .app("org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1176)
                    .app("org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java", 659)
                    .app("org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run", "TaskThread.java", 61);
            threadTail(s);
        }
    }

    private static final String[] POOLS = {"pool-%d-thread-%d", "order-events-%d-%d", "email-sender-%d-%d",
        "report-export-%d-%d", "kafka-producer-network-%d-%d", "cache-refresh-%d-%d"};

    private void poolIdle(int count) {
        int pools = 12;
        String[] conds = new String[pools];
        for (int p = 0; p < pools; p++) conds[p] = obj();
        int[] seq = new int[pools];
        for (int n = 0; n < count; n++) {
            int p = n % pools;
            String name = String.format(POOLS[p % POOLS.length], p + 1, ++seq[p]);
            T t = add("idle pool worker (LinkedBlockingQueue.take)", name, "waiting on condition", "WAITING (parking)");
            S s = s(t);
            parkCondition(s, conds[p]);
            s.jb("java.util.concurrent.LinkedBlockingQueue.take", "LinkedBlockingQueue.java", 435)
                    .jb("java.util.concurrent.ThreadPoolExecutor.getTask", "ThreadPoolExecutor.java", 1070)
                    .jb("java.util.concurrent.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1130)
                    .jb("java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java", 642);
            threadTail(s);
        }
    }

    private void keepAlive(int count) {
        String cond = obj();
        for (int n = 0; n < count; n++) {
            T t = add("idle pool worker (keep-alive poll)", "async-" + (n + 1), "waiting on condition",
                    "TIMED_WAITING (parking)");
            S s = s(t);
            parkNanosCondition(s, cond);
            s.jb("java.util.concurrent.LinkedBlockingQueue.poll", "LinkedBlockingQueue.java", 460)
                    .jb("java.util.concurrent.ThreadPoolExecutor.getTask", "ThreadPoolExecutor.java", 1069)
                    .jb("java.util.concurrent.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1130)
                    .jb("java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java", 642);
            threadTail(s);
        }
    }

    private void scheduled(int count) {
        String cond = obj();
        for (int n = 0; n < count; n++) {
            T t = add("scheduler (DelayedWorkQueue.take)", "scheduling-" + (n + 1), "waiting on condition",
                    "TIMED_WAITING (parking)");
            S s = s(t);
            parkNanosCondition(s, cond);
            s.jb("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take", "ScheduledThreadPoolExecutor.java", 1182)
                    .jb("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take", "ScheduledThreadPoolExecutor.java", 899)
                    .jb("java.util.concurrent.ThreadPoolExecutor.getTask", "ThreadPoolExecutor.java", 1070)
                    .jb("java.util.concurrent.ThreadPoolExecutor.runWorker", "ThreadPoolExecutor.java", 1130)
                    .jb("java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor.java", 642);
            threadTail(s);
        }
    }

    private void forkJoinIdle(int count) {
        String pool = obj();
        for (int n = 0; n < count; n++) {
            T t = add("idle ForkJoin worker", "ForkJoinPool.commonPool-worker-" + (n + 1), "waiting on condition",
                    "WAITING (parking)");
            s(t).jbNative("jdk.internal.misc.Unsafe.park")
                    .lock("parking to wait for ", pool, "java.util.concurrent.ForkJoinPool")
                    .jb("java.util.concurrent.ForkJoinPool.awaitWork", "ForkJoinPool.java", 2109)
                    .jb("java.util.concurrent.ForkJoinPool.deactivate", "ForkJoinPool.java", 2063)
                    .jb("java.util.concurrent.ForkJoinPool.runWorker", "ForkJoinPool.java", 2027)
                    .jb("java.util.concurrent.ForkJoinWorkerThread.run", "ForkJoinWorkerThread.java", 187);
        }
    }

    private void objectWaiters(int count) {
        String q = obj();
        for (int n = 0; n < count; n++) {
            T t = add("Object.wait() (legacy job queue)", "batch-worker-" + (n + 1), "in Object.wait()",
                    "WAITING (on object monitor)");
            S s = s(t);
            s.jbNative("java.lang.Object.wait0").lock("waiting on", q, "com.acme.batch.JobQueue")
                    .jb("java.lang.Object.wait", "Object.java", 389).jb("java.lang.Object.wait", "Object.java", 351)
                    .app("com.acme.batch.JobQueue.next", "JobQueue.java", 41)
                    .lock("locked", q, "com.acme.batch.JobQueue")
                    .app("com.acme.batch.BatchWorker.run", "BatchWorker.java", 29);
            threadTail(s);
        }
    }

    private void sleepers(int count) {
        for (int n = 0; n < count; n++) {
            T t = add("sleeping (TIMED_WAITING)", "metrics-publisher-" + (n + 1), "waiting on condition",
                    "TIMED_WAITING (sleeping)");
            S s = s(t);
            s.jbNative("java.lang.Thread.sleepNanos0").jb("java.lang.Thread.sleepNanos", "Thread.java", 509)
                    .jb("java.lang.Thread.sleep", "Thread.java", 540)
                    .app("io.micrometer.core.instrument.push.PushMeterRegistry.publishLoop", "PushMeterRegistry.java", 92)
                    .app("com.acme.metrics.Publisher.run", "Publisher.java", 55);
            threadTail(s);
        }
    }

    private void eventLoops(int count) {
        for (int n = 0; n < count; n++) {
            T t = add("RUNNABLE epoll (Netty event loop)", "nioEventLoopGroup-3-" + (n + 1), "runnable", "RUNNABLE");
            S s = s(t);
            s.jbNative("sun.nio.ch.EPoll.wait")
                    .jb("sun.nio.ch.EPollSelectorImpl.doSelect", "EPollSelectorImpl.java", 121)
                    .jb("sun.nio.ch.SelectorImpl.lockAndDoSelect", "SelectorImpl.java", 130)
                    .lock("locked", obj(), "io.netty.channel.nio.SelectedSelectionKeySet")
                    .lock("locked", obj(), "sun.nio.ch.EPollSelectorImpl")
                    .jb("sun.nio.ch.SelectorImpl.select", "SelectorImpl.java", 142)
                    .app("io.netty.channel.nio.SelectedSelectionKeySetSelector.select", "SelectedSelectionKeySetSelector.java", 62)
                    .app("io.netty.channel.nio.NioEventLoop.select", "NioEventLoop.java", 883)
                    .app("io.netty.channel.nio.NioEventLoop.run", "NioEventLoop.java", 526)
                    .app("io.netty.util.concurrent.SingleThreadEventExecutor$4.run", "SingleThreadEventExecutor.java", 997)
                    .app("io.netty.util.internal.ThreadExecutorMap$2.run", "ThreadExecutorMap.java", 74)
                    .app("io.netty.util.concurrent.FastThreadLocalRunnable.run", "FastThreadLocalRunnable.java", 30);
            threadTail(s);
        }
    }

    // ---- deadlocks ---------------------------------------------------------------------------------

    /** The JVM's deadlock report: per cycle, the "waiting … held by" lines and the stacks again. */
    private final List<List<String>> deadlockSections = new ArrayList<>();

    /** Two request threads over two Account monitors; three sync threads over three ReentrantLocks. */
    private int deadlocks() {
        int added = 0;
        // cycle 1: monitors
        String accA = obj();
        String accB = obj();
        String accCls = "com.acme.shop.account.Account";
        T a = requestThread("deadlock (monitors)", "waiting for monitor entry", "BLOCKED (on object monitor)");
        T b = requestThread("deadlock (monitors)", "waiting for monitor entry", "BLOCKED (on object monitor)");
        for (int i = 0; i < 2; i++) {
            T t = i == 0 ? a : b;
            S s = s(t);
            s.app("com.acme.shop.account.TransferService.transfer", "TransferService.java", 71)
                    .lock("waiting to lock", i == 0 ? accB : accA, accCls)
                    .lock("locked", i == 0 ? accA : accB, accCls);
            appFrames(s, 2);
            springRequest(s, 3);
            tomcatBusyTail(s, obj());
        }
        added += 2;
        // threads that need one of the two accounts
        for (int n = 0; n < 24; n++) {
            T t = requestThread("BLOCKED behind a deadlock", "waiting for monitor entry", "BLOCKED (on object monitor)");
            S s = s(t);
            s.app("com.acme.shop.account.Account.balance", "Account.java", 33).lock("waiting to lock", n % 2 == 0 ? accA : accB, accCls);
            appFrames(s, 3);
            springRequest(s, 3);
            tomcatBusyTail(s, obj());
            added++;
        }
        deadlockSections.add(List.of(
                "\"" + a.name + "\":",
                "  waiting to lock monitor " + hex16(0x00007fafc8068780L) + " (object " + accB + ", a " + accCls + "),",
                "  which is held by \"" + b.name + "\"",
                "",
                "\"" + b.name + "\":",
                "  waiting to lock monitor " + hex16(0x00007fafd4001450L) + " (object " + accA + ", a " + accCls + "),",
                "  which is held by \"" + a.name + "\""));
        deadlockStacks.add(List.of(a, b));

        // cycle 2: three ReentrantLocks
        String sync = "java.util.concurrent.locks.ReentrantLock$NonfairSync";
        String[] locks = {obj(), obj(), obj()};
        T[] ts = new T[3];
        for (int i = 0; i < 3; i++) {
            T t = add("deadlock (ReentrantLocks)", "order-sync-" + (i + 1), "waiting on condition", "WAITING (parking)");
            S s = s(t);
            parkLock(s, locks[(i + 1) % 3], sync);
            s.app("com.acme.shop.sync.OrderSync.lockBoth", "OrderSync.java", 48)
                    .app("com.acme.shop.sync.OrderSync.syncPair", "OrderSync.java", 31);
            jucWorkerTail(s);
            t.ownable.add("<" + locks[i] + "> (a " + sync + ")");
            t.ownable.add("<" + obj() + "> (a java.util.concurrent.ThreadPoolExecutor$Worker)");
            ts[i] = t;
            added++;
        }
        List<String> sec = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i > 0) sec.add("");
            sec.add("\"" + ts[i].name + "\":");
            sec.add("  waiting for ownable synchronizer " + locks[(i + 1) % 3] + ", (a " + sync + "),");
            sec.add("  which is held by \"" + ts[(i + 1) % 3].name + "\"");
        }
        deadlockSections.add(sec);
        deadlockStacks.add(List.of(ts));
        // threads parked behind the deadlocked locks
        for (int n = 0; n < 12; n++) {
            T t = add("parked behind a deadlock", "order-sync-" + (4 + n), "waiting on condition", "WAITING (parking)");
            S s = s(t);
            parkLock(s, locks[n % 3], sync);
            s.app("com.acme.shop.sync.OrderSync.lockBoth", "OrderSync.java", 47)
                    .app("com.acme.shop.sync.OrderSync.syncPair", "OrderSync.java", 31);
            jucWorkerTail(s);
            t.ownable.add("<" + obj() + "> (a java.util.concurrent.ThreadPoolExecutor$Worker)");
            added++;
        }
        return added;
    }

    private final List<List<T>> deadlockStacks = new ArrayList<>();

    // ---- output ------------------------------------------------------------------------------------

    private static final class LineWriter {
        private final Writer w;
        private final long[] count;

        LineWriter(Writer w, long[] count) {
            this.w = w;
            this.count = count;
        }

        void line(String s) throws IOException {
            w.write(s);
            w.write('\n');
            count[0]++;
        }
    }

    private void emit(LineWriter out) throws IOException {
        out.line("2026-11-21 23:04:36");
        out.line("Full thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):");
        out.line("");
        out.line("Threads class SMR info:");
        List<String> javaTids = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            if (!threads.get(i).vm) javaTids.add(tids.get(i));
        }
        out.line("_java_thread_list=" + hex16(0x00007fafdc002970L) + ", length=" + javaTids.size() + ", elements={");
        for (int i = 0; i < javaTids.size(); i += 4) {
            StringBuilder b = new StringBuilder();
            for (int j = i; j < Math.min(i + 4, javaTids.size()); j++) {
                if (j > i) b.append(", ");
                b.append(javaTids.get(j));
            }
            if (i + 4 < javaTids.size()) b.append(',');
            out.line(b.toString());
        }
        out.line("}");
        out.line("");
        for (T t : threads) {
            out.line(t.header);
            if (t.vm) {
                out.line("");
                continue;
            }
            out.line("   java.lang.Thread.State: " + t.state);
            if (t.name.startsWith("C2 ") || t.name.startsWith("C1 ")) out.line("   No compile task");
            for (String l : t.stack) out.line(l);
            out.line("");
            out.line("   Locked ownable synchronizers:");
            if (t.ownable.isEmpty()) {
                out.line("\t- None");
            } else {
                for (String o : t.ownable) out.line("\t- " + o);
            }
            out.line("");
        }
        out.line("JNI global refs: 31, weak refs: 12");
        out.line("");
        out.line("");
        for (int d = 0; d < deadlockSections.size(); d++) {
            out.line("Found one Java-level deadlock:");
            out.line("=============================");
            for (String l : deadlockSections.get(d)) out.line(l);
            out.line("");
            out.line("Java stack information for the threads listed above:");
            out.line("===================================================");
            for (T t : deadlockStacks.get(d)) {
                out.line("\"" + t.name + "\":");
                for (String l : t.stack) out.line(l);
            }
            out.line("");
        }
        out.line("Found " + deadlockSections.size() + " deadlocks.");
        out.line("");
    }
}
