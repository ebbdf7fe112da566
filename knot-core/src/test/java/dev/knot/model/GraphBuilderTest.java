package dev.knot.model;

import dev.knot.sites.ResourceKind;
import dev.knot.sites.WaitMode;
import static dev.knot.model.Jstack.app;
import static dev.knot.model.Jstack.awaiting;
import static dev.knot.model.Jstack.concat;
import static dev.knot.model.Jstack.jdk;
import static dev.knot.model.Jstack.lines;
import static dev.knot.model.Jstack.parked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Certainty;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GraphBuilder on small jstack dumps: which resource each kind of wait becomes (kind, wait mode, label, key), what
 * a thread holds and how sure the model is of it. The stacks follow real JDK 25 {@code jstack -l} output of a
 * program hanging in each way; see {@link Jstack}. Edges are compared as one line each (see {@link #show}).
 */
class GraphBuilderTest {

    private static final String WAITING_PARKING = "WAITING (parking)";
    private static final String BLOCKED = "BLOCKED (on object monitor)";

    /**
     * One thread waiting in one way.
     *
     * @param label  {@link Resource#label()}
     * @param key    {@link Resource#key()}
     * @param type   {@link Resource#typeName()}
     */
    record Wait(String name, String state, List<String> lines, ResourceKind kind, WaitMode mode, boolean timed,
                String label, String key, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Wait> waits() {
        String a = "0x000000069d5e1ae8";
        return Stream.of(
                new Wait("synchronized entry", BLOCKED,
                        lines("at app.Service.work(Service.java:20)", "- waiting to lock <" + a + "> (a app.Account)",
                                jdk("java.lang.Thread.run(Thread.java:1474)")),
                        ResourceKind.MONITOR, WaitMode.LOCK, false, "Account <" + a + ">", a, "app.Account"),
                new Wait("re-entering a monitor after wait()", BLOCKED,
                        concat(lines(jdk("java.lang.Object.wait0(Native Method)"),
                                "- waiting to re-lock in wait() <" + a + "> (a app.Box)",
                                jdk("java.lang.Object.wait(Object.java:389)"), jdk("java.lang.Object.wait(Object.java:351)"),
                                "at app.Service.work(Service.java:20)", "- locked <" + a + "> (a app.Box)"),
                                lines(jdk("java.lang.Thread.run(Thread.java:1474)"))),
                        ResourceKind.MONITOR, WaitMode.RELOCK, false, "Box <" + a + ">", a, "app.Box"),
                new Wait("Object.wait()", "WAITING (on object monitor)",
                        lines(jdk("java.lang.Object.wait0(Native Method)"), "- waiting on <" + a + "> (a app.Box)",
                                jdk("java.lang.Object.wait(Object.java:389)"), jdk("java.lang.Object.wait(Object.java:351)"),
                                "at app.Service.work(Service.java:20)", "- locked <" + a + "> (a app.Box)"),
                        // the signal is its own resource, apart from the monitor (held by nobody while waiting)
                        ResourceKind.CONDITION, WaitMode.NOTIFY, false, "Box <" + a + ">", "wait:" + a, "app.Box"),
                new Wait("Object.wait(ms)", "TIMED_WAITING (on object monitor)",
                        lines(jdk("java.lang.Object.wait0(Native Method)"), "- waiting on <" + a + "> (a app.Box)",
                                jdk("java.lang.Object.wait(Object.java:389)"),
                                "at app.Service.work(Service.java:20)", "- locked <" + a + "> (a app.Box)"),
                        ResourceKind.CONDITION, WaitMode.NOTIFY, true, "Box <" + a + ">", "wait:" + a, "app.Box"),
                new Wait("Thread.join()", "WAITING (on object monitor)",
                        concat(lines(jdk("java.lang.Object.wait0(Native Method)"), "- waiting on <" + a + "> (a java.lang.Thread)",
                                jdk("java.lang.Object.wait(Object.java:389)"), jdk("java.lang.Thread.join(Thread.java:1887)"),
                                "- locked <" + a + "> (a java.lang.Thread)", jdk("java.lang.Thread.join(Thread.java:1963)")), app()),
                        ResourceKind.THREAD_EXIT, WaitMode.JOIN, false, "end of thread " + a, a, "java.lang.Thread"),
                new Wait("Thread.join() where jstack prints no object", "WAITING (on object monitor)",
                        concat(lines(jdk("java.lang.Object.wait0(Native Method)"), "- waiting on <no object reference available>",
                                jdk("java.lang.Object.wait(Object.java:389)"), jdk("java.lang.Thread.join(Thread.java:1887)"),
                                "- locked <" + a + "> (a java.lang.Thread)", jdk("java.lang.Thread.join(Thread.java:1963)")), app()),
                        ResourceKind.THREAD_EXIT, WaitMode.JOIN, false, "end of thread " + a, a, "java.lang.Thread"),
                new Wait("class initialisation (JDK 21+ names the class)", "RUNNABLE",
                        lines("at app.Service.work(Service.java:20)", "- waiting on the Class initialization monitor for app.Config",
                                jdk("java.lang.Thread.run(Thread.java:1474)")),
                        ResourceKind.CLASS_INIT, WaitMode.INIT, false, "initialisation of class app.Config", "class:app.Config",
                        "app.Config"),
                new Wait("ReentrantLock.lock", WAITING_PARKING,
                        parked(a, "java.util.concurrent.locks.ReentrantLock$NonfairSync",
                                "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire(AbstractQueuedSynchronizer.java:790)",
                                "java.util.concurrent.locks.ReentrantLock$Sync.lock(ReentrantLock.java:162)",
                                "java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:323)"),
                        ResourceKind.EXCLUSIVE_LOCK, WaitMode.LOCK, false, "ReentrantLock <" + a + ">", a,
                        "java.util.concurrent.locks.ReentrantLock$NonfairSync"),
                new Wait("ReentrantLock.tryLock(timeout)", "TIMED_WAITING (parking)",
                        lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)",
                                jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:271)"),
                                jdk("java.util.concurrent.locks.ReentrantLock.tryLock(ReentrantLock.java:460)"),
                                "at app.Service.work(Service.java:20)"),
                        ResourceKind.EXCLUSIVE_LOCK, WaitMode.LOCK, true, "ReentrantLock <" + a + ">", a,
                        "java.util.concurrent.locks.ReentrantLock$NonfairSync"),
                new Wait("ReentrantReadWriteLock read lock", WAITING_PARKING,
                        parked(a, "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                                "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquireShared(AbstractQueuedSynchronizer.java:1091)",
                                "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.lock(ReentrantReadWriteLock.java:738)"),
                        ResourceKind.READ_WRITE_LOCK, WaitMode.READ_LOCK, false, "ReentrantReadWriteLock <" + a + ">", a,
                        "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync"),
                new Wait("ReentrantReadWriteLock write lock", WAITING_PARKING,
                        parked(a, "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                                "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire(AbstractQueuedSynchronizer.java:1007)",
                                "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(ReentrantReadWriteLock.java:959)"),
                        ResourceKind.READ_WRITE_LOCK, WaitMode.WRITE_LOCK, false, "ReentrantReadWriteLock <" + a + ">", a,
                        "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync"),
                new Wait("StampedLock.writeLock", WAITING_PARKING,
                        parked(a, "java.util.concurrent.locks.StampedLock",
                                "java.util.concurrent.locks.StampedLock.acquireWrite(StampedLock.java:1251)",
                                "java.util.concurrent.locks.StampedLock.writeLock(StampedLock.java:480)"),
                        // a read-write lock whose holders no dump lists (it is no ownable synchronizer)
                        ResourceKind.READ_WRITE_LOCK, WaitMode.WRITE_LOCK, false, "StampedLock <" + a + ">", a,
                        "java.util.concurrent.locks.StampedLock"),
                new Wait("StampedLock.readLock", WAITING_PARKING,
                        parked(a, "java.util.concurrent.locks.StampedLock",
                                "java.util.concurrent.locks.StampedLock.acquireRead(StampedLock.java:1398)",
                                "java.util.concurrent.locks.StampedLock.readLock(StampedLock.java:633)"),
                        ResourceKind.READ_WRITE_LOCK, WaitMode.READ_LOCK, false, "StampedLock <" + a + ">", a,
                        "java.util.concurrent.locks.StampedLock"),
                new Wait("ReentrantReadWriteLock write lock on JDK 25 (AbstractQueuedLongSynchronizer)", WAITING_PARKING,
                        parked(a, "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                                "java.util.concurrent.locks.AbstractQueuedLongSynchronizer.acquire(AbstractQueuedLongSynchronizer.java:759)",
                                "java.util.concurrent.locks.AbstractQueuedLongSynchronizer.acquire(AbstractQueuedLongSynchronizer.java:1067)",
                                "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(ReentrantReadWriteLock.java:959)"),
                        ResourceKind.READ_WRITE_LOCK, WaitMode.WRITE_LOCK, false, "ReentrantReadWriteLock <" + a + ">", a,
                        "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync"),
                new Wait("Semaphore.acquire", WAITING_PARKING,
                        parked(a, "java.util.concurrent.Semaphore$NonfairSync",
                                "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquireSharedInterruptibly(AbstractQueuedSynchronizer.java:1133)",
                                "java.util.concurrent.Semaphore.acquire(Semaphore.java:318)"),
                        ResourceKind.SEMAPHORE, WaitMode.ACQUIRE, false, "Semaphore <" + a + ">", a,
                        "java.util.concurrent.Semaphore$NonfairSync"),
                new Wait("Semaphore.tryAcquire(timeout)", "TIMED_WAITING (parking)",
                        lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.Semaphore$NonfairSync)",
                                jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:271)"),
                                jdk("java.util.concurrent.Semaphore.tryAcquire(Semaphore.java:415)"),
                                "at app.Service.work(Service.java:20)"),
                        ResourceKind.SEMAPHORE, WaitMode.ACQUIRE, true, "Semaphore <" + a + ">", a,
                        "java.util.concurrent.Semaphore$NonfairSync"),
                new Wait("CountDownLatch.await", WAITING_PARKING,
                        parked(a, "java.util.concurrent.CountDownLatch$Sync",
                                "java.util.concurrent.CountDownLatch.await(CountDownLatch.java:230)"),
                        ResourceKind.LATCH, WaitMode.AWAIT, false, "CountDownLatch <" + a + ">", a,
                        "java.util.concurrent.CountDownLatch$Sync"),
                new Wait("Condition.await", WAITING_PARKING, awaiting(a),
                        ResourceKind.CONDITION, WaitMode.AWAIT, false, "AbstractQueuedSynchronizer$ConditionObject <" + a + ">", a,
                        "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject"),
                new Wait("CyclicBarrier.await", WAITING_PARKING,
                        awaiting(a, "java.util.concurrent.CyclicBarrier.dowait(CyclicBarrier.java:236)",
                                "java.util.concurrent.CyclicBarrier.await(CyclicBarrier.java:364)"),
                        ResourceKind.BARRIER, WaitMode.AWAIT, false, "CyclicBarrier (condition <" + a + ">)", a,
                        "java.util.concurrent.CyclicBarrier"),
                new Wait("Phaser.arriveAndAwaitAdvance", WAITING_PARKING,
                        parked(a, "java.util.concurrent.Phaser$QNode", "java.util.concurrent.Phaser$QNode.block(Phaser.java:1133)",
                                "java.util.concurrent.ForkJoinPool.managedBlock(ForkJoinPool.java:4310)",
                                "java.util.concurrent.Phaser.internalAwaitAdvance(Phaser.java:1063)",
                                "java.util.concurrent.Phaser.arriveAndAwaitAdvance(Phaser.java:685)"),
                        // the outermost Phaser frame names the type: the Phaser, not its wait node
                        ResourceKind.BARRIER, WaitMode.AWAIT, false, "Phaser (condition <" + a + ">)", a,
                        "java.util.concurrent.Phaser"),
                new Wait("Exchanger.exchange", WAITING_PARKING,
                        parked(a, "java.util.concurrent.Exchanger", "java.util.concurrent.Exchanger.slotExchange(Exchanger.java:503)",
                                "java.util.concurrent.Exchanger.exchange(Exchanger.java:566)"),
                        ResourceKind.BARRIER, WaitMode.AWAIT, false, "Exchanger (condition <" + a + ">)", a,
                        "java.util.concurrent.Exchanger"),
                new Wait("ArrayBlockingQueue.put", WAITING_PARKING,
                        awaiting(a, "java.util.concurrent.ArrayBlockingQueue.put(ArrayBlockingQueue.java:370)"),
                        ResourceKind.BOUNDED_QUEUE, WaitMode.PUT, false, "ArrayBlockingQueue (condition <" + a + ">)", a,
                        "java.util.concurrent.ArrayBlockingQueue"),
                new Wait("LinkedBlockingQueue.take", WAITING_PARKING,
                        awaiting(a, "java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:435)"),
                        ResourceKind.BOUNDED_QUEUE, WaitMode.TAKE, false, "LinkedBlockingQueue (condition <" + a + ">)", a,
                        "java.util.concurrent.LinkedBlockingQueue"),
                new Wait("SynchronousQueue.put", WAITING_PARKING,
                        parked(a, "java.util.concurrent.SynchronousQueue$TransferStack",
                                "java.util.concurrent.SynchronousQueue$TransferStack$SNode.block(SynchronousQueue.java:288)",
                                "java.util.concurrent.SynchronousQueue$TransferStack.transfer(SynchronousQueue.java:397)",
                                "java.util.concurrent.SynchronousQueue.put(SynchronousQueue.java:839)"),
                        ResourceKind.BOUNDED_QUEUE, WaitMode.PUT, false, "SynchronousQueue (condition <" + a + ">)", a,
                        "java.util.concurrent.SynchronousQueue"),
                new Wait("FutureTask.get", WAITING_PARKING,
                        parked(a, "java.util.concurrent.FutureTask", "java.util.concurrent.FutureTask.awaitDone(FutureTask.java:447)",
                                "java.util.concurrent.FutureTask.get(FutureTask.java:190)"),
                        ResourceKind.FUTURE, WaitMode.GET, false, "FutureTask <" + a + ">", a, "java.util.concurrent.FutureTask"),
                new Wait("CompletableFuture.join", WAITING_PARKING,
                        parked(a, "java.util.concurrent.CompletableFuture$Signaller",
                                "java.util.concurrent.CompletableFuture$Signaller.block(CompletableFuture.java:1864)",
                                "java.util.concurrent.ForkJoinPool.managedBlock(ForkJoinPool.java:4310)",
                                "java.util.concurrent.CompletableFuture.waitingGet(CompletableFuture.java:1898)",
                                "java.util.concurrent.CompletableFuture.join(CompletableFuture.java:2117)"),
                        ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET, false, "CompletableFuture$Signaller <" + a + ">", a,
                        "java.util.concurrent.CompletableFuture$Signaller"),
                new Wait("a pool's borrow (HikariPool.getConnection on the park)", WAITING_PARKING,
                        lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a com.zaxxer.hikari.pool.HikariPool)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:223)"),
                                "at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:162)",
                                "at app.Service.work(Service.java:20)"),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, false, "HikariPool (condition <" + a + ">)", a,
                        "com.zaxxer.hikari.pool.HikariPool"),
                // the borrow, not the queue it parks in: the outermost catalogued frame names the wait
                new Wait("commons-pool2 borrowObject (parks in its deque's takeFirst)", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)"),
                                jdk("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode.block(AbstractQueuedSynchronizer.java:519)"),
                                jdk("java.util.concurrent.ForkJoinPool.unmanagedBlock(ForkJoinPool.java:4364)"),
                                jdk("java.util.concurrent.ForkJoinPool.managedBlock(ForkJoinPool.java:4310)"),
                                jdk("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(AbstractQueuedSynchronizer.java:1752)"),
                                "at org.apache.commons.pool2.impl.LinkedBlockingDeque.takeFirst(LinkedBlockingDeque.java:1324)",
                                "at org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:319)",
                                "at org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:233)"), app()),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, false, "GenericObjectPool (condition <" + a + ">)", a,
                        "org.apache.commons.pool2.impl.GenericObjectPool"),
                new Wait("HikariCP getConnection (parks in the bag's SynchronousQueue.poll)", "TIMED_WAITING (parking)",
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.SynchronousQueue$Transferer)",
                                jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:271)"),
                                jdk("java.util.concurrent.LinkedTransferQueue$DualNode.await(LinkedTransferQueue.java:458)"),
                                jdk("java.util.concurrent.SynchronousQueue$Transferer.xferLifo(SynchronousQueue.java:194)"),
                                jdk("java.util.concurrent.SynchronousQueue.xfer(SynchronousQueue.java:235)"),
                                jdk("java.util.concurrent.SynchronousQueue.poll(SynchronousQueue.java:338)"),
                                "at com.zaxxer.hikari.util.ConcurrentBag.borrow(ConcurrentBag.java:152)",
                                "at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:178)",
                                "at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:159)",
                                "at com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:101)"), app()),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, true, "HikariDataSource (condition <" + a + ">)", a,
                        "com.zaxxer.hikari.HikariDataSource"),
                // libraries: the outermost catalogued frame, the one the application called, names the wait
                new Wait("Jedis getResource (a commons-pool2 borrow underneath)", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)"),
                                jdk("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(AbstractQueuedSynchronizer.java:1752)"),
                                "at org.apache.commons.pool2.impl.LinkedBlockingDeque.takeFirst(LinkedBlockingDeque.java:1324)",
                                "at org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:319)",
                                "at org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:233)",
                                "at redis.clients.jedis.util.Pool.getResource(Pool.java:38)",
                                "at redis.clients.jedis.JedisPool.getResource(JedisPool.java:378)"), app()),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, false, "JedisPool (condition <" + a + ">)", a,
                        "redis.clients.jedis.JedisPool"),
                // kafka-clients 4.4 as RealLibraryWaitsTest sees it: awaitMemory under allocate
                new Wait("Kafka producer waiting for buffer memory", "TIMED_WAITING (parking)",
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                                jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:271)"),
                                jdk("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(AbstractQueuedSynchronizer.java:1847)"),
                                "at org.apache.kafka.clients.producer.internals.BufferPool.awaitMemory(BufferPool.java:238)",
                                "at org.apache.kafka.clients.producer.internals.BufferPool.allocate(BufferPool.java:177)",
                                "at org.apache.kafka.clients.producer.internals.RecordAccumulator.append(RecordAccumulator.java:300)",
                                "at org.apache.kafka.clients.producer.KafkaProducer.doSend(KafkaProducer.java:1054)"), app()),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, true, "BufferPool (condition <" + a + ">)", a,
                        "org.apache.kafka.clients.producer.internals.BufferPool"),
                new Wait("log4j2 AsyncAppender with its queue full", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)"),
                                jdk("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(AbstractQueuedSynchronizer.java:1752)"),
                                jdk("java.util.concurrent.ArrayBlockingQueue.put(ArrayBlockingQueue.java:370)"),
                                "at org.apache.logging.log4j.core.appender.AsyncAppender.enqueue(AsyncAppender.java:203)",
                                "at org.apache.logging.log4j.core.appender.AsyncAppender.append(AsyncAppender.java:178)",
                                "at org.apache.logging.log4j.core.config.AppenderControl.tryCallAppender(AppenderControl.java:161)"), app()),
                        // the walk ends at log4j's own uncatalogued frame (AppenderControl): the appender names the queue
                        ResourceKind.BOUNDED_QUEUE, WaitMode.PUT, false, "AsyncAppender (condition <" + a + ">)", a,
                        "org.apache.logging.log4j.core.appender.AsyncAppender"),
                // Guava 33.4+ (33.8 as RealLibraryWaitsTest sees it): the park is in AbstractFutureState, under Platform.get
                new Wait("Guava ListenableFuture.get (33.4+)", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a com.google.common.util.concurrent.SettableFuture)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:211)"),
                                "at com.google.common.util.concurrent.AbstractFutureState.blockingGet(AbstractFutureState.java:242)",
                                "at com.google.common.util.concurrent.Platform.get(Platform.java:54)",
                                "at com.google.common.util.concurrent.AbstractFuture.get(AbstractFuture.java:263)",
                                "at com.google.common.util.concurrent.AbstractFuture$TrustedFuture.get(AbstractFuture.java:96)"), app()),
                        ResourceKind.FUTURE, WaitMode.GET, false, "AbstractFuture$TrustedFuture <" + a + ">", a,
                        "com.google.common.util.concurrent.AbstractFuture$TrustedFuture"),
                // c3p0 0.10+ (0.11.2 as RealLibraryWaitsTest sees it): a ReentrantLock's condition, three more c3p0 frames
                new Wait("c3p0 getConnection from an exhausted pool", "TIMED_WAITING (parking)",
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                                jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:252)"),
                                jdk("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(AbstractQueuedSynchronizer.java:1764)"),
                                "at com.mchange.v2.resourcepool.BasicResourcePool.cscAwait(BasicResourcePool.java:37)",
                                "at com.mchange.v2.resourcepool.BasicResourcePool.awaitAvailable(BasicResourcePool.java:1655)",
                                "at com.mchange.v2.resourcepool.BasicResourcePool.prelimCheckoutResource(BasicResourcePool.java:710)",
                                "at com.mchange.v2.resourcepool.BasicResourcePool.checkoutResource(BasicResourcePool.java:616)",
                                "at com.mchange.v2.c3p0.impl.C3P0PooledConnectionPool.checkoutAndScacheMarkConnectionInUse(C3P0PooledConnectionPool.java:966)",
                                "at com.mchange.v2.c3p0.impl.C3P0PooledConnectionPool.checkoutPooledConnection(C3P0PooledConnectionPool.java:894)",
                                "at com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource.getConnection(AbstractPoolBackedDataSource.java:105)"),
                                app()),
                        ResourceKind.OBJECT_POOL, WaitMode.BORROW, true, "AbstractPoolBackedDataSource (condition <" + a + ">)", a,
                        "com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource"),
                new Wait("Guava ListenableFuture.get (before 33.4)", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                "- parking to wait for  <" + a + "> (a com.google.common.util.concurrent.SettableFuture)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:221)"),
                                "at com.google.common.util.concurrent.AbstractFuture.get(AbstractFuture.java:502)",
                                "at com.google.common.util.concurrent.AbstractFuture$TrustedFuture.get(AbstractFuture.java:104)"), app()),
                        ResourceKind.FUTURE, WaitMode.GET, false, "AbstractFuture$TrustedFuture <" + a + ">", a,
                        "com.google.common.util.concurrent.AbstractFuture$TrustedFuture"),
                // a library that waits in Object.wait: the catalogue's entry, not a bare notify-wait, names it
                new Wait("Netty DefaultPromise.await (in Object.wait)", "WAITING (on object monitor)",
                        concat(lines(jdk("java.lang.Object.wait0(Native Method)"),
                                "- waiting on <" + a + "> (a io.netty.util.concurrent.DefaultPromise)",
                                jdk("java.lang.Object.wait(Object.java:389)"), jdk("java.lang.Object.wait(Object.java:351)"),
                                "at io.netty.util.concurrent.DefaultPromise.await(DefaultPromise.java:254)",
                                "- locked <" + a + "> (a io.netty.util.concurrent.DefaultPromise)",
                                "at io.netty.util.concurrent.DefaultPromise.sync(DefaultPromise.java:405)"), app()),
                        ResourceKind.FUTURE, WaitMode.GET, false, "DefaultPromise <" + a + ">", "wait:" + a,
                        "io.netty.util.concurrent.DefaultPromise"),
                new Wait("LockSupport.park on an application object", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"), "- parking to wait for  <" + a + "> (a app.Gate)",
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:223)"), "at app.Gate.pass(Gate.java:9)"),
                                app()),
                        ResourceKind.UNKNOWN_PARK, WaitMode.PARK, false, "Gate <" + a + ">", a, "app.Gate"),
                new Wait("LockSupport.park without a blocker", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)")), app()),
                        // each such thread gets a placeholder of its own: nothing says two of them wait for one thing
                        ResourceKind.UNKNOWN_PARK, WaitMode.PARK, false, "an unnamed blocker", "park:#20", ""),
                new Wait("Semaphore.acquire without a blocker (a mounted virtual thread)", WAITING_PARKING,
                        concat(lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                                jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)"),
                                jdk("java.util.concurrent.Semaphore.acquire(Semaphore.java:318)")), app()),
                        // a placeholder of its own, named by the frame that says what it is
                        ResourceKind.SEMAPHORE, WaitMode.ACQUIRE, false, "Semaphore", "park:#20", "java.util.concurrent.Semaphore"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waits")
    void eachWaitBecomesOneCertainEdgeToItsResource(Wait w) {
        WaitGraph g = new Jstack().thread("t", w.state(), w.lines()).graph();
        ThreadNode t = g.thread("#20");
        Edge e = g.waitOf(t);
        assertTrue(e != null, "no wait for " + w);
        assertEquals(w.kind(), e.resource().kind());
        assertEquals(w.mode(), e.mode());
        assertEquals(w.timed(), e.timed(), "timed");
        assertEquals(w.label(), e.resource().label());
        assertEquals(w.key(), e.resource().key());
        assertEquals(w.type(), e.resource().typeName());
        assertEquals(Certainty.CERTAIN, e.certainty(), "what the dump prints is certain");
        String site = w.lines().stream().filter(l -> l.startsWith("at app.")).findFirst().orElseThrow().substring(3);
        assertEquals(site, e.site().location(), "the site is the innermost frame outside the JDK and the catalogued libraries");
        // the evidence: the state line first, then the printed lines that show the wait
        assertTrue(e.evidence().get(0).startsWith("java.lang.Thread.State: " + w.state()), e.evidence().get(0));
        String lockLine = w.lines().stream().filter(l -> l.startsWith("- ") && !l.startsWith("- locked")).findFirst().orElse(null);
        if (lockLine != null) {
            assertTrue(e.evidence().stream().anyMatch(l -> l.endsWith(lockLine)), lockLine + " in " + e.evidence());
        } else {
            assertTrue(e.evidence().get(e.evidence().size() - 1).endsWith("(no blocker object printed)"), e.evidence().toString());
        }
        assertEquals(List.of(e), g.edges().stream().filter(x -> x.type() == Edge.Type.WAITS_FOR).toList());
        assertEquals(List.of(), g.holdsOf(t), "a waiting thread that holds nothing else holds nothing");
        assertEquals(List.of(e), g.waitersOf(e.resource()));
    }

    /** Schedulers and ForkJoinPool workers waiting for work, and sleeping threads, wait for no resource. */
    static Stream<List<String>> notWaits() {
        return Stream.of(
                awaiting("0x0000000000000b02",
                        "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take(ScheduledThreadPoolExecutor.java:1177)"),
                parked("0x0000000000000b03", "java.util.concurrent.ForkJoinPool",
                        "java.util.concurrent.ForkJoinPool.awaitWork(ForkJoinPool.java:2145)"),
                lines(jdk("java.lang.Thread.sleep0(Native Method)"), jdk("java.lang.Thread.sleep(Thread.java:509)"),
                        "at app.Service.work(Service.java:20)"));
    }

    @ParameterizedTest
    @MethodSource("notWaits")
    void idleSchedulersAndSleepersWaitForNothing(List<String> stack) {
        WaitGraph g = new Jstack().thread("t", WAITING_PARKING, stack).graph();
        assertEquals(List.of(), g.edges().stream().map(GraphBuilderTest::show).toList());
        assertNull(g.waitOf(g.thread("#20")));
    }

    // ---- holds --------------------------------------------------------------------------------------------

    @Test
    void aLockedMonitorIsHeldCertainlyOnceWithTheFrameThatLockedIt() {
        String m = "0x0000000000000c01";
        WaitGraph g = new Jstack()
                .thread("holder", "TIMED_WAITING (sleeping)", lines(jdk("java.lang.Thread.sleep0(Native Method)"),
                        "at app.Store.save(Store.java:7)", "- locked <" + m + "> (a app.Store)",
                        "at app.Store.saveAll(Store.java:3)", "- locked <" + m + "> (a app.Store)", // re-entered
                        "at app.Store.flush(Store.java:1)", "- eliminated <0x0000000000000c09> (a app.Cache)"))
                .thread("waiter", BLOCKED, lines("at app.Store.load(Store.java:12)", "- waiting to lock <" + m + "> (a app.Store)"))
                .graph();
        assertEquals(List.of("holder held-by monitor \"Store <" + m + ">\" certain",
                "waiter waits-for monitor \"Store <" + m + ">\" lock certain"), shows(g));
        Edge held = g.holdsOf(g.thread("#20")).get(0);
        assertEquals("app.Store.save(Store.java:7)", held.site().location(), "the innermost frame that locked it");
        assertEquals(List.of("at app.Store.save(Store.java:7)", "- locked <" + m + "> (a app.Store)"),
                held.evidence().stream().map(String::strip).toList());
        assertSame(held.resource(), g.waitOf(g.thread("#21")).resource(), "one resource per object id");
        assertEquals(List.of(held), g.unblockers(held.resource()));
        assertTrue(g.stuck(g.thread("#21")));
        assertFalse(g.stuck(g.thread("#20")));
    }

    @Test
    void inObjectWaitTheWaitedMonitorIsReleasedButOuterMonitorsStayHeld() {
        String box = "0x0000000000000c02";
        String outer = "0x0000000000000c03";
        WaitGraph g = new Jstack().thread("waiter", "WAITING (on object monitor)", lines(
                jdk("java.lang.Object.wait0(Native Method)"), "- waiting on <" + box + "> (a app.Box)",
                jdk("java.lang.Object.wait(Object.java:389)"), "at app.Box.take(Box.java:5)", "- locked <" + box + "> (a app.Box)",
                "at app.Service.work(Service.java:20)", "- locked <" + outer + "> (a app.Registry)")).graph();
        assertEquals(List.of("waiter held-by monitor \"Registry <" + outer + ">\" certain",
                "waiter waits-for condition \"Box <" + box + ">\" notify certain"), shows(g));
    }

    @Test
    void aThreadReenteringAfterWaitDoesNotHoldTheMonitorItWaitsFor() {
        // jstack prints "- locked" for the frame that entered the monitor before wait() released it
        String m = "0x000000069c9b11b8";
        WaitGraph g = new Jstack()
                .thread("relock-waiter", BLOCKED, lines(jdk("java.lang.Object.wait0(Native Method)"),
                        "- waiting to re-lock in wait() <" + m + "> (a app.RelockMon)", jdk("java.lang.Object.wait(Object.java:389)"),
                        "at app.Service.work(Service.java:52)", "- locked <" + m + "> (a app.RelockMon)"))
                .thread("relock-holder", "TIMED_WAITING (sleeping)", lines(jdk("java.lang.Thread.sleep0(Native Method)"),
                        "at app.Service.notifyAndSleep(Service.java:55)", "- locked <" + m + "> (a app.RelockMon)"))
                .graph();
        assertEquals(List.of("relock-waiter waits-for monitor \"RelockMon <" + m + ">\" relock certain",
                "relock-holder held-by monitor \"RelockMon <" + m + ">\" certain"), shows(g));
    }

    @Test
    void aThreadInAStaticInitialiserHoldsThatClassesInitialisation() {
        WaitGraph g = new Jstack()
                .thread("init-owner", "TIMED_WAITING (sleeping)", lines(jdk("java.lang.Thread.sleep0(Native Method)"),
                        "at app.Config.<clinit>(Config.java:6)", "at app.Main.lambda$main$0(Main.java:3)"))
                .thread("init-waiter", "RUNNABLE", lines("at app.Main.lambda$main$1(Main.java:4)",
                        "- waiting on the Class initialization monitor for app.Config"))
                .graph();
        assertEquals(List.of("init-owner held-by class-init \"initialisation of class app.Config\" certain",
                "init-waiter waits-for class-init \"initialisation of class app.Config\" init certain"), shows(g));
        Edge held = g.holdsOf(g.thread("#20")).get(0);
        assertEquals(List.of("at app.Config.<clinit>(Config.java:6)   (this thread is running the class initialiser)"),
                held.evidence().stream().map(String::strip).toList());
        assertEquals("class:app.Config", held.resource().key());
    }

    @Test
    void jdk17PrintsAClassInitialisationWaitAsRunnableInObjectWaitWithoutALockLine() {
        // JDK 17 jstack: header "in Object.wait()", state RUNNABLE, and the frame that touched the class on top
        String dump = "2026-11-21 23:04:36\nFull thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):\n\n"
                + "\"init-waiter\" #35 daemon prio=5 os_prio=0 cpu=0.15ms elapsed=1.68s tid=0x00007f79c04cfbf0 nid=0x3f60"
                + " in Object.wait()  [0x00007f798dcfe000]\n"
                + "   java.lang.Thread.State: RUNNABLE\n"
                + "\tat app.Main.lambda$main$1(Main.java:4)\n"
                + "\tat java.lang.Thread.run(java.base@17.0.15/Thread.java:840)\n\n";
        WaitGraph g = GraphBuilder.build(read(dump));
        Edge e = g.waitOf(g.thread("#35"));
        assertEquals("init-waiter waits-for class-init \"initialisation of a class this format does not name\" init certain",
                show(e));
        assertEquals("class:(a class used at app.Main.lambda$main$1(Main.java:4))", e.resource().key());
        assertTrue(e.evidence().get(e.evidence().size() - 1).endsWith(
                "(RUNNABLE \"in Object.wait()\" outside Object.wait: waiting for a class initialiser)"), e.evidence().toString());
    }

    @Test
    void lockedOwnableSynchronizersAreCertainHoldersOfTheLockTheWaiterParksOn() {
        String lock = "0x000000069d5e1ae8";
        String rw = "0x000000069d219640";
        WaitGraph g = new Jstack()
                .thread("owner", "TIMED_WAITING (sleeping)", lines(jdk("java.lang.Thread.sleep0(Native Method)"),
                        "at app.Service.work(Service.java:20)"),
                        "<" + lock + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)",
                        "<" + rw + "> (a java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync)")
                .thread("waiter", WAITING_PARKING, parked(lock, "java.util.concurrent.locks.ReentrantLock$NonfairSync",
                        "java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:323)"))
                .graph();
        assertEquals(List.of("owner held-by exclusive-lock \"ReentrantLock <" + lock + ">\" certain",
                "owner held-by read-write-lock \"ReentrantReadWriteLock <" + rw + ">\" certain",
                "waiter waits-for exclusive-lock \"ReentrantLock <" + lock + ">\" lock certain"), shows(g));
        Edge held = g.holdsOf(g.thread("#20")).get(0);
        assertNull(held.site(), "jstack does not say where a j.u.c lock was taken");
        assertEquals(List.of("Locked ownable synchronizers: - <" + lock + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)"),
                held.evidence());
        assertSame(held.resource(), g.waitOf(g.thread("#21")).resource());
        assertTrue(g.ownersListed());
    }

    // ---- certainty where the dump is silent -----------------------------------------------------------------

    @Test
    void withOwnersListedAnUnownedLockGetsNoGuessedHolder() {
        WaitGraph g = lockCycle(new Jstack()).graph();
        assertTrue(g.ownersListed());
        assertEquals(List.of("a waits-for exclusive-lock \"ReentrantLock <0x0000000000000d01>\" lock certain",
                "b waits-for exclusive-lock \"ReentrantLock <0x0000000000000d02>\" lock certain"), shows(g));
    }

    @Test
    void withoutOwnersListedTheThreadsStuckOnOtherLocksAreLikelyHolders() {
        WaitGraph g = lockCycle(new Jstack().withoutOwners()).graph();
        assertFalse(g.ownersListed());
        assertEquals(List.of("a waits-for exclusive-lock \"ReentrantLock <0x0000000000000d01>\" lock certain",
                "b waits-for exclusive-lock \"ReentrantLock <0x0000000000000d02>\" lock certain",
                "b held-by exclusive-lock \"ReentrantLock <0x0000000000000d01>\" likely",
                "a held-by exclusive-lock \"ReentrantLock <0x0000000000000d02>\" likely"), shows(g));
        Edge guess = g.holdersOf(g.waitOf(g.thread("#20")).resource()).get(0);
        assertEquals(List.of("owner not printed by this format; b is one of the threads stuck on another lock and may hold it"),
                guess.evidence());
        assertNull(guess.site());
    }

    @Test
    void withoutOwnersListedNothingIsGuessedForOneLockTimedWaitsOrReadLocks() {
        String l1 = "0x0000000000000d01";
        String l2 = "0x0000000000000d02";
        // one lock only: whoever holds it is not in the dump's other waits
        WaitGraph one = new Jstack().withoutOwners().thread("a", WAITING_PARKING, lockWait(l1))
                .thread("b", WAITING_PARKING, lockWait(l1)).graph();
        assertEquals(0, one.edges().stream().filter(e -> e.type() == Edge.Type.HELD_BY).count(), shows(one).toString());
        // a timed wait ends by itself, a read lock is shared: neither can be one side of an exclusive cycle
        WaitGraph other = new Jstack().withoutOwners().thread("a", WAITING_PARKING, lockWait(l1))
                .thread("b", "TIMED_WAITING (parking)", lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                        "- parking to wait for  <" + l2 + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)",
                        jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:271)"),
                        jdk("java.util.concurrent.locks.ReentrantLock.tryLock(ReentrantLock.java:460)"), "at app.Service.work(Service.java:20)"))
                .thread("c", WAITING_PARKING, parked("0x0000000000000d03", "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                        "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.lock(ReentrantReadWriteLock.java:738)"))
                .graph();
        assertEquals(0, other.edges().stream().filter(e -> e.type() == Edge.Type.HELD_BY).count(), shows(other).toString());
    }

    @Test
    void withoutOwnersListedWriteLockWaitsAreGuessedLikeExclusiveOnesAndMonitorsStayCertain() {
        String rw = "0x0000000000000d04";
        String lock = "0x0000000000000d05";
        String mon = "0x0000000000000d06";
        WaitGraph g = new Jstack().withoutOwners()
                .thread("writer", WAITING_PARKING, parked(rw, "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                        "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(ReentrantReadWriteLock.java:959)"))
                .thread("locker", WAITING_PARKING, lockWait(lock))
                .thread("mon-holder", "RUNNABLE", lines("at app.Io.read(Io.java:1)", "- locked <" + mon + "> (a app.Io)"))
                .graph();
        assertEquals(List.of("writer waits-for read-write-lock \"ReentrantReadWriteLock <" + rw + ">\" write-lock certain",
                "locker waits-for exclusive-lock \"ReentrantLock <" + lock + ">\" lock certain",
                "mon-holder held-by monitor \"Io <" + mon + ">\" certain",
                "locker held-by read-write-lock \"ReentrantReadWriteLock <" + rw + ">\" likely",
                "writer held-by exclusive-lock \"ReentrantLock <" + lock + ">\" likely"), shows(g));
    }

    @Test
    void beyondSixtyFourLocksNoOwnerIsGuessed() {
        Jstack j = new Jstack().withoutOwners();
        int n = GraphBuilder.MAX_LOCKS_FOR_OWNER_INFERENCE + 1;
        for (int i = 0; i < n; i++) j.thread("w" + i, WAITING_PARKING, lockWait(String.format("0x%016x", 0xe00 + i)));
        WaitGraph g = j.graph();
        assertEquals(n, g.edges().size(), "only the waits");
        Jstack k = new Jstack().withoutOwners();
        for (int i = 0; i < n - 1; i++) k.thread("w" + i, WAITING_PARKING, lockWait(String.format("0x%016x", 0xe00 + i)));
        assertEquals((n - 1) + (n - 1) * (n - 2), k.graph().edges().size(), "at the limit, every other waiter is a candidate");
    }

    @Test
    void aSignalWaiterHoldingALockOthersNeedIsLikelyReleasedByThem() {
        String latch = "0x0000000000000f01";
        String mon = "0x0000000000000f02";
        WaitGraph g = new Jstack()
                .thread("owner", WAITING_PARKING, locking(mon, parked(latch, "java.util.concurrent.CountDownLatch$Sync",
                        "java.util.concurrent.CountDownLatch.await(CountDownLatch.java:230)")))
                .thread("needs-store", BLOCKED, lines("at app.Other.work(Other.java:9)", "- waiting to lock <" + mon + "> (a app.Store)"))
                .graph();
        assertEquals(List.of("owner held-by monitor \"Store <" + mon + ">\" certain",
                "owner waits-for latch \"CountDownLatch <" + latch + ">\" await certain",
                "needs-store waits-for monitor \"Store <" + mon + ">\" lock certain",
                "needs-store can-be-released-by latch \"CountDownLatch <" + latch + ">\" likely"), shows(g));
        Edge r = g.releasersOf(g.waitOf(g.thread("#20")).resource()).get(0);
        assertEquals(List.of("blocked on Store <" + mon + ">, held by \"owner\" while it waits: the thread that would release"
                + " CountDownLatch <" + latch + "> is most likely among such threads"), r.evidence());
        assertEquals("app.Other.work(Other.java:9)", r.site().location());
    }

    @Test
    void noReleaserIsGuessedForTakesTimedWaitsOrOwnedResources() {
        String mon = "0x0000000000000f02";
        for (List<String> wait : List.of(
                awaiting("0x0000000000000f03", "java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:435)"),
                lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                        "- parking to wait for  <0x0000000000000f04> (a java.util.concurrent.CountDownLatch$Sync)",
                        jdk("java.util.concurrent.locks.LockSupport.parkNanos(LockSupport.java:271)"),
                        jdk("java.util.concurrent.CountDownLatch.await(CountDownLatch.java:276)"), "at app.Service.work(Service.java:20)"),
                lockWait("0x0000000000000f05"))) {
            WaitGraph g = new Jstack().thread("owner", WAITING_PARKING, locking(mon, wait))
                    .thread("needs-store", BLOCKED, lines("at app.Other.work(Other.java:9)", "- waiting to lock <" + mon + "> (a app.Store)"))
                    .graph();
            assertEquals(0, g.edges().stream().filter(e -> e.type() == Edge.Type.CAN_BE_RELEASED_BY).count(), shows(g).toString());
        }
    }

    // ---- live facts -------------------------------------------------------------------------------------------

    @Test
    void liveFactsMakeHoldersAndReleasersCertainAndNotesJoinTheEvidence() {
        String sem = "0x0000000000000a10";
        String future = "0x0000000000000a11";
        WaitGraph g = new Jstack()
                .thread("acquirer", WAITING_PARKING, parked(sem, "java.util.concurrent.Semaphore$NonfairSync",
                        "java.util.concurrent.Semaphore.acquire(Semaphore.java:318)"))
                .thread("getter", WAITING_PARKING, parked(future, "java.util.concurrent.FutureTask",
                        "java.util.concurrent.FutureTask.get(FutureTask.java:190)"))
                .thread("permit-holder", "TIMED_WAITING (sleeping)", lines(jdk("java.lang.Thread.sleep0(Native Method)"),
                        "at app.Slow.run(Slow.java:4)"))
                .live(new LiveFact(LiveFact.Kind.HOLDS, sem, "22", "acquired at app.Slow.run(Slow.java:3)"),
                        new LiveFact(LiveFact.Kind.HOLDS, sem, "22", "acquired at app.Slow.run(Slow.java:3)"),
                        new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, sem, "", ""),
                        new LiveFact(LiveFact.Kind.STATE, sem, "", "permits available: 0 of 1"),
                        new LiveFact(LiveFact.Kind.RUNS, future, "22", "runs the task"),
                        new LiveFact(LiveFact.Kind.RELEASERS_COMPLETE, future, "", "only its runner"),
                        new LiveFact(LiveFact.Kind.HOLDS, sem, "99", "a thread not in the dump"));
        assertTrue(g.live());
        assertEquals(List.of("acquirer waits-for semaphore \"Semaphore <" + sem + ">\" acquire certain",
                "getter waits-for future \"FutureTask <" + future + ">\" get certain",
                "permit-holder held-by semaphore \"Semaphore <" + sem + ">\" certain",
                "permit-holder can-be-released-by future \"FutureTask <" + future + ">\" certain"), shows(g));
        Resource s = g.waitOf(g.thread("#20")).resource();
        assertEquals(List.of("live: \"permit-holder\" acquired at app.Slow.run(Slow.java:3)"), g.holdersOf(s).get(0).evidence());
        assertTrue(g.holdersComplete(s));
        assertEquals(List.of("permits available: 0 of 1"), g.notes(sem));
        List<String> ev = g.waitOf(g.thread("#20")).evidence();
        assertEquals("live: Semaphore <" + sem + ">: permits available: 0 of 1", ev.get(ev.size() - 1));
        Resource f = g.waitOf(g.thread("#21")).resource();
        assertEquals("only its runner", g.releasersComplete(f));
        assertFalse(g.holdersComplete(f));
        assertEquals(List.of("live: \"permit-holder\" runs the task"), g.releasersOf(f).get(0).evidence());
    }

    @Test
    void aLiveFactAboutAnObjectNoThreadWaitsOnMakesItsResourceFromTheClassName() {
        WaitGraph g = new Jstack()
                .thread("holder", "RUNNABLE", lines("at app.Slow.run(Slow.java:4)"))
                .live(new LiveFact(LiveFact.Kind.HOLDS, "java.util.concurrent.Semaphore@1f2e3d",
                        "20", "acquired at app.Slow.run(Slow.java:3)"));
        assertEquals(List.of("holder held-by semaphore \"Semaphore <java.util.concurrent.Semaphore@1f2e3d>\" certain"), shows(g));
    }

    @Test
    void aLiveThreadObjectFactNamesTheThreadAJoinWaitsFor() {
        String t = "0x0000000000000a12";
        WaitGraph g = new Jstack()
                .thread("joiner", "WAITING (on object monitor)", concat(lines(jdk("java.lang.Object.wait0(Native Method)"),
                        "- waiting on <" + t + "> (a java.lang.Thread)", jdk("java.lang.Thread.join(Thread.java:1887)"),
                        "- locked <" + t + "> (a java.lang.Thread)"), app()))
                .thread("worker", "RUNNABLE", lines("at app.Slow.run(Slow.java:4)"))
                .live(new LiveFact(LiveFact.Kind.THREAD_OBJECT, t, "21", ""));
        Resource r = g.waitOf(g.thread("#20")).resource();
        assertSame(g.thread("#21"), g.joinedThread(r));
        assertEquals(List.of("joiner waits-for thread-exit \"end of thread " + t + "\" join certain"), shows(g),
                "not an edge: findings about joins stay as they were");
    }

    // ---- class initialisation the format does not name -----------------------------------------------------

    /** main initialises app.Config, whose initialiser runs a parallel stream; a worker runs one of Config's lambdas. */
    private static Jstack parallelStreamInInitialiser(String workerHeader, String workerState) {
        return new Jstack()
                .thread("main", WAITING_PARKING, lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                        "- parking to wait for  <0x0000000000000e01> (a java.util.stream.ForEachOps$ForEachTask)",
                        jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)"),
                        jdk("java.util.concurrent.ForkJoinTask.awaitDone(ForkJoinTask.java:468)"),
                        jdk("java.util.concurrent.ForkJoinTask.invoke(ForkJoinTask.java:667)"),
                        jdk("java.util.stream.ForEachOps$ForEachOp.evaluateParallel(ForEachOps.java:160)"),
                        "at app.Config.<clinit>(Config.java:9)", "at app.Main.main(Main.java:3)"))
                .header(workerHeader)
                .thread("ForkJoinPool.commonPool-worker-1", workerState, lines(
                        "at app.Config$$Lambda/0x00007f0c8c00a000.accept(Unknown Source)",
                        jdk("java.util.stream.ForEachOps$ForEachOp$OfRef.accept(ForEachOps.java:184)"),
                        jdk("java.util.concurrent.ForkJoinTask.doExec(ForkJoinTask.java:507)"),
                        jdk("java.util.concurrent.ForkJoinPool.runWorker(ForkJoinPool.java:1458)"),
                        jdk("java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:188)")));
    }

    @Test
    void aJsonDumpWithoutTheLambdaFrameStillShowsTheStreamsWorkersWaitingForTheInitialiser() {
        // JDK 25's JSON dump leaves out the hidden lambda frame: the worker's top frame is the stream's call of it
        WaitGraph g = new Jstack()
                .thread("catalog-loader", WAITING_PARKING, lines(jdk("jdk.internal.misc.Unsafe.park(Native Method)"),
                        "- parking to wait for  <0x0000000000000e02> (a java.util.stream.Nodes$SizedCollectorTask$OfLong)",
                        jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:369)"),
                        jdk("java.util.concurrent.ForkJoinTask.awaitDone(ForkJoinTask.java:445)"),
                        jdk("java.util.concurrent.ForkJoinTask.join(ForkJoinTask.java:669)"),
                        jdk("java.util.concurrent.ForkJoinTask.invoke(ForkJoinTask.java:684)"),
                        jdk("java.util.stream.Nodes.collectLong(Nodes.java:401)"),
                        jdk("java.util.stream.LongPipeline.toArray(LongPipeline.java:548)"),
                        "at app.Catalog.<clinit>(Catalog.java:37)", "at app.Main.main(Main.java:3)"))
                .thread("ForkJoinPool.commonPool-worker-1", "RUNNABLE", lines(
                        jdk("java.util.stream.IntPipeline$5$1.accept(IntPipeline.java:269)"),
                        jdk("java.util.stream.Streams$RangeIntSpliterator.forEachRemaining(Streams.java:104)"),
                        jdk("java.util.stream.Nodes$SizedCollectorTask.compute(Nodes.java:1886)"),
                        jdk("java.util.concurrent.CountedCompleter.exec(CountedCompleter.java:759)"),
                        jdk("java.util.concurrent.ForkJoinTask.doExec(ForkJoinTask.java:511)"),
                        jdk("java.util.concurrent.ForkJoinPool.runWorker(ForkJoinPool.java:2019)"),
                        jdk("java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:187)")))
                .as(dev.knot.snapshot.DumpFormat.JCMD_JSON);
        Edge w = g.waitOf(g.thread("#21"));
        assertEquals("class:app.Catalog", w.resource().key());
        assertEquals(Certainty.LIKELY, w.certainty());
        assertEquals(ResourceKind.FUTURE, g.waitOf(g.thread("#20")).resource().kind(), "the stream's task, from its frames");
    }

    @Test
    void jdk17TextNamesTheClassAWorkerWaitsForFromWhoIsInItsInitialiser() {
        WaitGraph g = parallelStreamInInitialiser("in Object.wait()", "RUNNABLE").graph();
        Edge w = g.waitOf(g.thread("#21"));
        assertEquals("class:app.Config", w.resource().key());
        assertEquals(Certainty.CERTAIN, w.certainty(), "the dump prints the wait; only the class is worked out");
        assertTrue(w.evidence().get(w.evidence().size() - 1).contains("\"main\" is running the initialiser of app.Config"),
                w.evidence().toString());
        assertEquals(List.of(g.thread("#20")), g.holdersOf(w.resource()).stream().map(Edge::thread).toList());
    }

    @Test
    void aJsonDumpGetsTheClassInitialisationWaitItDoesNotPrint() {
        WaitGraph g = parallelStreamInInitialiser("runnable", "RUNNABLE").as(dev.knot.snapshot.DumpFormat.JCMD_JSON);
        Edge w = g.waitOf(g.thread("#21"));
        assertEquals("class:app.Config", w.resource().key());
        assertEquals(Certainty.LIKELY, w.certainty());
        assertEquals(WaitMode.INIT, w.mode());
        // the initialiser's own wait, on a task only the blocked worker can finish, closes the cycle
        assertTrue(g.releasersOf(g.waitOf(g.thread("#20")).resource()).stream().anyMatch(e -> e.thread() == g.thread("#21")),
                shows(g).toString());
        var report = dev.knot.rules.Analyzer.analyze(List.of(parallelStreamInInitialiser("runnable", "RUNNABLE")
                .dumpAs(dev.knot.snapshot.DumpFormat.JCMD_JSON)));
        assertEquals(List.of("deadlock likely [main, ForkJoinPool.commonPool-worker-1]"), report.findings().stream()
                .map(f -> f.kind().jsonName() + " " + f.certainty().name().toLowerCase(Locale.ROOT) + " " + f.threads()).toList());
        // jstack prints the wait when there is one: a RUNNABLE worker in a jstack dump is running
        WaitGraph text = parallelStreamInInitialiser("runnable", "RUNNABLE").graph();
        assertNull(text.waitOf(text.thread("#21")));
    }

    // ---- threads ------------------------------------------------------------------------------------------

    @Test
    void threadsAreKeyedByIdAndPoolWorkersGroupedByNameFamily() {
        List<String> idleWorker = awaiting("0x0000000000000a20",
                "java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:435)",
                "java.util.concurrent.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1070)",
                "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1130)",
                "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)");
        WaitGraph g = new Jstack().thread("pool-3-thread-1", WAITING_PARKING, idleWorker)
                .thread("pool-3-thread-2", WAITING_PARKING, idleWorker)
                .thread("main", "RUNNABLE", lines("at app.Main.main(Main.java:1)"))
                .graph();
        assertEquals(List.of("#20", "#21", "#22"), g.threads().stream().map(ThreadNode::key).toList());
        assertEquals(List.of("pool-3-thread-*"), List.copyOf(g.pools().keySet()));
        assertEquals(List.of("pool-3-thread-1", "pool-3-thread-2"), g.pools().get("pool-3-thread-*").stream().map(ThreadNode::name).toList());
        assertEquals(Role.IDLE, g.thread("#20").role());
        assertEquals(Role.APPLICATION, g.thread("#22").role());
        assertEquals(List.of(g.thread("#22")), g.activeThreads());
        // ThreadPoolExecutor.getTask, below the queue's take, is the outermost catalogued frame: waiting for work, no edge
        assertNull(g.waitOf(g.thread("#20")));
        assertFalse(g.stuck(g.thread("#20")));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** a waits for lock 1, b for lock 2: a cycle only if each holds the other's. */
    private static Jstack lockCycle(Jstack j) {
        return j.thread("a", WAITING_PARKING, lockWait("0x0000000000000d01"))
                .thread("b", WAITING_PARKING, lockWait("0x0000000000000d02"));
    }

    /** The stack with app.Service.work holding monitor {@code mon} (an app.Store). */
    private static List<String> locking(String mon, List<String> stack) {
        return stack.stream()
                .flatMap(l -> l.startsWith("at app.Service.work") ? Stream.of(l, "- locked <" + mon + "> (a app.Store)") : Stream.of(l))
                .toList();
    }

    private static List<String> lockWait(String lock) {
        return parked(lock, "java.util.concurrent.locks.ReentrantLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:323)");
    }

    private static ThreadDump read(String text) {
        try {
            return DumpReader.read("graph-test", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code thread relation kind "label" [mode] certainty [timed]}: one line per edge, in the graph's order. */
    static String show(Edge e) {
        return e.thread().name() + " " + e.type().name().toLowerCase(Locale.ROOT).replace('_', '-') + " "
                + e.resource().kind().jsonName() + " \"" + e.resource().label() + "\""
                + (e.mode() == null ? "" : " " + e.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                + " " + e.certainty().jsonName() + (e.timed() ? " timed" : "");
    }

    static List<String> shows(WaitGraph g) {
        return g.edges().stream().map(GraphBuilderTest::show).collect(Collectors.toList());
    }
}
