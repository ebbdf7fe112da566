package dev.knot.sites;

import static dev.knot.sites.ResourceKind.BARRIER;
import static dev.knot.sites.ResourceKind.BOUNDED_QUEUE;
import static dev.knot.sites.ResourceKind.COMPLETABLE_FUTURE;
import static dev.knot.sites.ResourceKind.CONDITION;
import static dev.knot.sites.ResourceKind.EXCLUSIVE_LOCK;
import static dev.knot.sites.ResourceKind.EXECUTOR;
import static dev.knot.sites.ResourceKind.FUTURE;
import static dev.knot.sites.ResourceKind.LATCH;
import static dev.knot.sites.ResourceKind.OBJECT_POOL;
import static dev.knot.sites.ResourceKind.READ_WRITE_LOCK;
import static dev.knot.sites.ResourceKind.SEMAPHORE;
import static dev.knot.sites.WaitMode.ACQUIRE;
import static dev.knot.sites.WaitMode.AWAIT;
import static dev.knot.sites.WaitMode.BORROW;
import static dev.knot.sites.WaitMode.GET;
import static dev.knot.sites.WaitMode.LOCK;
import static dev.knot.sites.WaitMode.PUT;
import static dev.knot.sites.WaitMode.READ_LOCK;
import static dev.knot.sites.WaitMode.TAKE;
import static dev.knot.sites.WaitMode.WRITE_LOCK;
import static dev.knot.sites.WaitSite.Naming.BLOCKER;
import static dev.knot.sites.WaitSite.Naming.FRAME;

import dev.knot.sites.WaitSite.Meaning;
import dev.knot.sites.WaitSite.Naming;
import dev.knot.snapshot.StackFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue of wait sites: for each JDK and library method a thread can wait in, what it waits for, which
 * resource kind that is, and which frames between the park and that method are incidental. The model reads a stack
 * through this class only; rules read the model. Adding a library is adding its entries here (and an example program
 * that waits there), never a rule.
 *
 * <p>How a stack is read ({@link #classify}): from the top frame down, incidental frames are skipped, catalogued
 * frames are remembered, and the first frame that is neither catalogued nor JDK code (the application, or a library
 * the catalogue does not know) ends the walk. The <em>outermost</em> catalogued frame wins: a commons-pool2 borrow parks
 * in a deque's {@code takeFirst}, a HikariCP borrow in a {@code SynchronousQueue.poll}, an idle pool worker in its
 * queue's {@code take} under {@code ThreadPoolExecutor.getTask}; what the caller asked for is the borrow, the borrow,
 * and "no work", not the queue. When no frame is catalogued the class of the object parked on decides
 * ({@link #BLOCKERS}), else it is a plain park.
 *
 * <p>Waits a dump states in its own words are not frame knowledge and are read by the model from the lock lines:
 * {@code waiting to lock} (monitor entry), {@code waiting to re-lock in wait()}, {@code waiting on} (Object.wait, and
 * Thread.join when the object is a Thread), and class initialisation ({@code waiting on the Class initialization
 * monitor}; JDK 17's RUNNABLE "in Object.wait()" outside Object.wait).
 */
public final class WaitSites {
    private WaitSites() {
    }

    /** The entries, grouped by library; the README's "how to teach Knot a new library" points here. */
    static final List<WaitSite> ENTRIES = List.of(
            // ---- machinery between the park and the method that was called ----------------------------------
            incidental("JDK", "jdk.internal.misc.Unsafe.park"),
            incidental("JDK", "sun.misc.Unsafe.park"),
            incidental("JDK", "java.util.concurrent.locks.LockSupport.*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedSynchronizer.doAcquire*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedSynchronizer.tryAcquire*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedSynchronizer.parkAndCheckInterrupt"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode.block"),
            // JDK 25's ReentrantReadWriteLock (and other long-state synchronizers) park through this one
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedLongSynchronizer.acquire*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedLongSynchronizer.doAcquire*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedLongSynchronizer.tryAcquire*"),
            incidental("JDK", "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionNode.block"),
            incidental("JDK", "java.util.concurrent.ForkJoinPool.managedBlock"),
            incidental("JDK", "java.util.concurrent.ForkJoinPool.unmanagedBlock"),
            incidental("JDK", "java.util.concurrent.ForkJoinPool.compensatedBlock"),
            incidental("JDK", "java.util.concurrent.CompletableFuture$Signaller.block"),
            incidental("JDK", "java.util.concurrent.Phaser$QNode.block"),
            incidental("JDK", "java.util.concurrent.SynchronousQueue$TransferStack$SNode.block"),
            incidental("JDK", "java.util.concurrent.LinkedTransferQueue$DualNode.await"),
            incidental("JDK", "java.util.concurrent.LinkedTransferQueue.awaitMatch"),
            // a virtual thread's park unmounts it; these frames are the same for every wait
            incidental("JDK", "java.lang.VirtualThread.park*"),
            incidental("JDK", "java.lang.VirtualThread.yieldContinuation"),
            incidental("JDK", "java.lang.VirtualThread.tryYield"),
            incidental("JDK", "jdk.internal.vm.Continuation.*"),
            incidental("JDK", "jdk.internal.misc.VirtualThreads.park*"),
            incidental("JDK", "java.lang.System$2.parkVirtualThread"),
            incidental("JDK", "java.lang.access.JavaLangAccess.parkVirtualThread"),

            // ---- java.util.concurrent.locks -----------------------------------------------------------------
            waits("JDK", "java.util.concurrent.locks.ReentrantLock.lock*", EXCLUSIVE_LOCK, LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.locks.ReentrantLock.tryLock", EXCLUSIVE_LOCK, LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.locks.ReentrantLock$Sync.*", EXCLUSIVE_LOCK, LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.*", READ_WRITE_LOCK, READ_LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.*", READ_WRITE_LOCK, WRITE_LOCK, BLOCKER, true),
            // StampedLock is no AbstractOwnableSynchronizer: no dump lists who holds it
            waits("JDK", "java.util.concurrent.locks.StampedLock.readLock*", READ_WRITE_LOCK, READ_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock.tryReadLock", READ_WRITE_LOCK, READ_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock.acquireRead", READ_WRITE_LOCK, READ_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock$ReadLockView.*", READ_WRITE_LOCK, READ_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock.writeLock*", READ_WRITE_LOCK, WRITE_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock.tryWriteLock", READ_WRITE_LOCK, WRITE_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock.acquireWrite", READ_WRITE_LOCK, WRITE_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock$WriteLockView.*", READ_WRITE_LOCK, WRITE_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.StampedLock$ReadWriteLockView.*", READ_WRITE_LOCK, WRITE_LOCK, FRAME, false),
            waits("JDK", "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await*", CONDITION, AWAIT, BLOCKER, false),
            waits("JDK", "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionObject.await*", CONDITION, AWAIT, BLOCKER, false),

            // ---- java.util.concurrent synchronizers ---------------------------------------------------------
            waits("JDK", "java.util.concurrent.Semaphore.acquire*", SEMAPHORE, ACQUIRE, BLOCKER, false),
            waits("JDK", "java.util.concurrent.Semaphore.tryAcquire", SEMAPHORE, ACQUIRE, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CountDownLatch.await", LATCH, AWAIT, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CyclicBarrier.*", BARRIER, AWAIT, FRAME, false),
            waits("JDK", "java.util.concurrent.Phaser.*", BARRIER, AWAIT, FRAME, false),
            waits("JDK", "java.util.concurrent.Exchanger.*", BARRIER, AWAIT, FRAME, false),

            // ---- blocking queues: every JDK one, and any class named like one --------------------------------
            queue("JDK", "java.util.concurrent.ArrayBlockingQueue"),
            queue("JDK", "java.util.concurrent.LinkedBlockingQueue"),
            queue("JDK", "java.util.concurrent.LinkedBlockingDeque"),
            queue("JDK", "java.util.concurrent.PriorityBlockingQueue"),
            queue("JDK", "java.util.concurrent.DelayQueue"),
            queue("JDK", "java.util.concurrent.SynchronousQueue"),
            queue("JDK", "java.util.concurrent.LinkedTransferQueue"),
            queue("any", "*BlockingQueue"),
            queue("any", "*BlockingDeque"),

            // ---- results of other threads' work -------------------------------------------------------------
            waits("JDK", "java.util.concurrent.FutureTask.get", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.FutureTask.awaitDone", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ForkJoinTask.join", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ForkJoinTask.get", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ForkJoinTask.invoke*", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ForkJoinTask.awaitDone", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ForkJoinTask.quietlyJoin", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CompletableFuture.get", COMPLETABLE_FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CompletableFuture.join", COMPLETABLE_FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CompletableFuture.waitingGet", COMPLETABLE_FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CompletableFuture.timedGet", COMPLETABLE_FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ThreadPoolExecutor.awaitTermination", EXECUTOR, AWAIT, FRAME, false),
            waits("JDK", "java.util.concurrent.ForkJoinPool.awaitTermination", EXECUTOR, AWAIT, FRAME, false),
            waits("JDK", "java.util.concurrent.ThreadPerTaskExecutor.awaitTermination", EXECUTOR, AWAIT, FRAME, false),
            // JDK 21+ structured concurrency: the owner waits for its forked subtasks (preview API, name kept by 25)
            waits("JDK", "java.util.concurrent.StructuredTaskScope*.join*", FUTURE, GET, FRAME, false),
            incidental("JDK", "jdk.internal.misc.ThreadFlock.awaitAll"),

            // ---- waiting for work ---------------------------------------------------------------------------
            idle("JDK", "java.util.concurrent.ThreadPoolExecutor.getTask"),
            idle("JDK", "java.util.concurrent.ForkJoinPool.awaitWork"),
            idle("JDK", "java.util.concurrent.ForkJoinPool.awaitQuiescence"),
            idle("JDK", "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take"),
            idle("JDK", "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.poll"),
            idle("JDK", "java.util.TimerThread.mainLoop"),
            idle("JDK", "java.lang.ref.ReferenceQueue.remove*"),
            idle("JDK", "jdk.internal.misc.InnocuousThread.*"),
            idle("JDK", "java.lang.VirtualThread.takeVirtualThreadListToUnblock"),
            idle("JDK", "java.net.ServerSocket.accept*"),
            idle("JDK", "java.net.ServerSocket.implAccept"),
            idle("JDK", "java.net.PlainSocketImpl.socketAccept*"),
            idle("JDK", "sun.nio.ch.*.wait"),
            idle("JDK", "sun.nio.ch.*.doSelect"),
            idle("JDK", "sun.nio.ch.*.poll"),
            idle("JDK", "sun.nio.ch.*.accept"),
            idle("JDK", "sun.nio.ch.*.accept0"),
            idle("JDK", "sun.nio.ch.*.epollWait"),
            idle("JDK", "sun.nio.ch.*.kqueueWait"),
            idle("Netty", "io.netty.channel.*.epollWait*"),
            idle("Netty", "io.netty.channel.*.select"),
            idle("Netty", "io.netty.util.concurrent.SingleThreadEventExecutor.takeTask"),
            idle("Netty", "io.netty.util.concurrent.GlobalEventExecutor.takeTask"),
            idle("Netty", "io.netty.util.HashedWheelTimer$Worker.waitForNextTick"),
            idle("Kafka", "org.apache.kafka.common.network.Selector.select"),

            // ---- object pools -------------------------------------------------------------------------------
            waits("commons-pool2", "org.apache.commons.pool2.impl.GenericObjectPool.borrowObject", OBJECT_POOL, BORROW, FRAME, false),
            waits("commons-pool2", "org.apache.commons.pool2.impl.GenericKeyedObjectPool.borrowObject", OBJECT_POOL, BORROW, FRAME, false),
            // commons-pool2 before 2.12 parks in its own copy of LinkedBlockingDeque (a queue, but the borrow above wins)
            queue("commons-pool2", "org.apache.commons.pool2.impl.LinkedBlockingDeque"),
            waits("commons-pool", "org.apache.commons.pool.impl.GenericObjectPool.borrowObject", OBJECT_POOL, BORROW, FRAME, false),
            waits("commons-dbcp2", "org.apache.commons.dbcp2.PoolingDataSource.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("commons-dbcp2", "org.apache.commons.dbcp2.BasicDataSource.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("HikariCP", "com.zaxxer.hikari.util.ConcurrentBag.borrow", OBJECT_POOL, BORROW, FRAME, false),
            waits("HikariCP", "com.zaxxer.hikari.pool.HikariPool.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("HikariCP", "com.zaxxer.hikari.HikariDataSource.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("c3p0", "com.mchange.v2.resourcepool.BasicResourcePool.awaitAvailable", OBJECT_POOL, BORROW, FRAME, false),
            // c3p0 0.10+ (RealLibraryWaitsTest, 0.11.2): a ReentrantLock's condition through cscAwait, and two more c3p0
            // frames between awaitAvailable and getConnection that ended the walk at the bare condition
            incidental("c3p0", "com.mchange.v2.resourcepool.BasicResourcePool.cscAwait"),
            incidental("c3p0", "com.mchange.v2.resourcepool.BasicResourcePool.prelimCheckoutResource"),
            incidental("c3p0", "com.mchange.v2.c3p0.impl.C3P0PooledConnectionPool.checkoutAndScacheMarkConnectionInUse"),
            waits("c3p0", "com.mchange.v2.resourcepool.BasicResourcePool.checkoutResource", OBJECT_POOL, BORROW, FRAME, false),
            waits("c3p0", "com.mchange.v2.c3p0.impl.C3P0PooledConnectionPool.checkoutPooledConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("c3p0", "com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("Tomcat JDBC", "org.apache.tomcat.jdbc.pool.ConnectionPool.borrowConnection", OBJECT_POOL, BORROW, FRAME, false),
            // ConnectionPool.getConnection lies between the two (RealLibraryWaitsTest, 11.0): without it the walk ended there
            waits("Tomcat JDBC", "org.apache.tomcat.jdbc.pool.ConnectionPool.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("Tomcat JDBC", "org.apache.tomcat.jdbc.pool.DataSourceProxy.getConnection", OBJECT_POOL, BORROW, FRAME, false),
            waits("Jedis", "redis.clients.jedis.util.Pool.getResource", OBJECT_POOL, BORROW, FRAME, false),
            waits("Jedis", "redis.clients.util.Pool.getResource", OBJECT_POOL, BORROW, FRAME, false),
            waits("Jedis", "redis.clients.jedis.JedisPool.getResource", OBJECT_POOL, BORROW, FRAME, false),
            // Lettuce's pool is a GenericObjectPool whose borrowObject(Duration) it overrides: its frame lies between the
            // application's borrowObject() and commons-pool2's, so the walk reaches the application (RealLibraryWaitsTest).
            // Removed: BoundedAsyncPool.acquire, which returns a future at once (a caller waits in the future's join) and
            // fails it when the pool is exhausted; and OkHttp's RealConnectionPool and ConnectionPool, which have no
            // limit and never make a caller wait: an OkHttp call waits in its socket read (RealLibraryWaitsTest)
            waits("Lettuce", "io.lettuce.core.support.ConnectionPoolSupport*.borrowObject", OBJECT_POOL, BORROW, FRAME, false),
            waits("Apache HttpClient", "org.apache.http.pool.AbstractConnPool.getPoolEntryBlocking", OBJECT_POOL, BORROW, FRAME, false),
            // httpcore 4.4 is compiled for Java 6: a synthetic accessor lies between the future's get and the pool
            incidental("Apache HttpClient", "org.apache.http.pool.AbstractConnPool.access$*"),
            waits("Apache HttpClient", "org.apache.http.pool.AbstractConnPool$*.get", OBJECT_POOL, BORROW, FRAME, false),
            waits("Apache HttpClient", "org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection", OBJECT_POOL, BORROW, FRAME, false),
            // HttpClient 5's pools lease without blocking (lease returns a future; the lease entries were removed): the caller
            // waits in the future's get, the pool's own future and the connection manager's around it (RealLibraryWaitsTest)
            waits("Apache HttpClient 5", "org.apache.hc.core5.concurrent.BasicFuture.get", FUTURE, GET, FRAME, false),
            waits("Apache HttpClient 5", "org.apache.hc.core5.pool.StrictConnPool$*.get", OBJECT_POOL, BORROW, FRAME, false),
            waits("Apache HttpClient 5", "org.apache.hc.core5.pool.LaxConnPool*.get", OBJECT_POOL, BORROW, FRAME, false),
            waits("Apache HttpClient 5", "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager$*.get", OBJECT_POOL, BORROW, FRAME, false),
            waits("Kafka", "org.apache.kafka.clients.producer.internals.BufferPool.allocate", OBJECT_POOL, BORROW, FRAME, false),
            // kafka-clients 3.x/4.x waits for memory in awaitMemory, under allocate (RealLibraryWaitsTest)
            incidental("Kafka", "org.apache.kafka.clients.producer.internals.BufferPool.awaitMemory"),

            // ---- library futures, monitors and async logging ------------------------------------------------
            waits("Guava", "com.google.common.util.concurrent.AbstractFuture.get", FUTURE, GET, FRAME, false),
            waits("Guava", "com.google.common.util.concurrent.AbstractFuture$TrustedFuture.get", FUTURE, GET, FRAME, false),
            waits("Guava", "com.google.common.util.concurrent.Uninterruptibles.getUninterruptibly", FUTURE, GET, FRAME, false),
            waits("Guava", "com.google.common.util.concurrent.Futures.getUnchecked", FUTURE, GET, FRAME, false),
            // Guava 33.4+ parks in AbstractFutureState (and, timed, OverflowAvoidingLockSupport) under Platform.get: three
            // frames that ended the walk before AbstractFuture.get was reached (RealLibraryWaitsTest, 33.8)
            incidental("Guava", "com.google.common.util.concurrent.AbstractFutureState.blockingGet"),
            incidental("Guava", "com.google.common.util.concurrent.OverflowAvoidingLockSupport.*"),
            incidental("Guava", "com.google.common.util.concurrent.Platform.get"),
            // Monitor: enter* took enterWhen (waiting for a guard) for a lock; a guard is waited for in the private
            // await* helpers, under waitFor* or enterWhen*, and enterWhen's own lock shows as the ReentrantLock it is
            waits("Guava", "com.google.common.util.concurrent.Monitor.enter", EXCLUSIVE_LOCK, LOCK, FRAME, true),
            waits("Guava", "com.google.common.util.concurrent.Monitor.enterInterruptibly", EXCLUSIVE_LOCK, LOCK, FRAME, true),
            waits("Guava", "com.google.common.util.concurrent.Monitor.enterIf*", EXCLUSIVE_LOCK, LOCK, FRAME, true),
            waits("Guava", "com.google.common.util.concurrent.Monitor.await*", CONDITION, AWAIT, FRAME, false),
            waits("Guava", "com.google.common.util.concurrent.Monitor.waitFor*", CONDITION, AWAIT, FRAME, false),
            incidental("Guava", "com.google.common.util.concurrent.Monitor.enterWhen*"),
            waits("Reactor", "reactor.core.publisher.BlockingSingleSubscriber.blockingGet", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("Reactor", "reactor.core.publisher.Mono.block*", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("Reactor", "reactor.core.publisher.Flux.block*", COMPLETABLE_FUTURE, GET, FRAME, false),
            // not only BlockingBaseObserver: Single.blockingGet and Completable.blockingAwait wait in BlockingMultiObserver,
            // Flowable's in the Blocking*Subscribers (RealLibraryWaitsTest, 3.1)
            waits("RxJava", "io.reactivex.rxjava3.internal.observers.Blocking*.blockingGet*", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("RxJava", "io.reactivex.rxjava3.internal.subscribers.Blocking*.blockingGet*", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("RxJava", "io.reactivex.internal.observers.Blocking*.blockingGet*", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("RxJava", "io.reactivex.internal.subscribers.Blocking*.blockingGet*", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("RxJava", "io.reactivex.rxjava3.core.*.blocking*", COMPLETABLE_FUTURE, GET, FRAME, false),
            waits("Netty", "io.netty.util.concurrent.DefaultPromise.await*", FUTURE, GET, FRAME, false),
            waits("Netty", "io.netty.util.concurrent.DefaultPromise.sync*", FUTURE, GET, FRAME, false),
            waits("Netty", "io.netty.util.concurrent.DefaultPromise.get", FUTURE, GET, FRAME, false),
            // an application thread logging into a full queue waits for the appender's thread to take
            waits("log4j2", "org.apache.logging.log4j.core.appender.AsyncAppender.*", BOUNDED_QUEUE, PUT, FRAME, false),
            waits("log4j2", "org.apache.logging.log4j.core.async.AsyncLoggerConfigDisruptor.enqueue*", BOUNDED_QUEUE, PUT, FRAME, false),
            waits("logback", "ch.qos.logback.core.AsyncAppenderBase.put", BOUNDED_QUEUE, PUT, FRAME, false),
            waits("logback", "ch.qos.logback.core.AsyncAppenderBase.putUninterruptibly", BOUNDED_QUEUE, PUT, FRAME, false),
            waits("log4j 1", "org.apache.log4j.AsyncAppender.append", BOUNDED_QUEUE, PUT, FRAME, false),

            // ---- blocking socket I/O: a call waiting for its peer (a database, a mail server, a web service) -----
            // JDK 13+ (NioSocketImpl): a read with SO_TIMEOUT goes through timedRead, one without through park
            // ("JDK 13+": waiting only when one of the two is on the stack; without either the data is being read)
            io("JDK 13+", "sun.nio.ch.NioSocketImpl.read"),
            io("JDK 13+", "sun.nio.ch.NioSocketImpl.implRead"),
            io("JDK 13+", "sun.nio.ch.NioSocketImpl.connect"),
            io("JDK 13+", "sun.nio.ch.SocketChannelImpl.read"),
            io("JDK 13+", "sun.nio.ch.SocketChannelImpl.blockingConnect"),
            ioTimed("JDK 13+", "sun.nio.ch.NioSocketImpl.timedRead"),
            ioTimed("JDK 13+", "sun.nio.ch.NioSocketImpl.timedFinishConnect"),
            ioUntimed("JDK 13+", "sun.nio.ch.NioSocketImpl.park"),
            ioUntimed("JDK 13+", "sun.nio.ch.SocketChannelImpl.park"),
            ioUntimed("JDK 13+", "sun.nio.ch.SelChImpl.park"),
            // JDK 8 to 12: the timeout is an argument of socketRead0, which no dump prints
            io("JDK", "java.net.SocketInputStream.socketRead0"),
            io("JDK", "java.net.PlainSocketImpl.socketConnect"),
            io("JDK", "java.net.DualStackPlainSocketImpl.connect0"),
            // a server waiting for the next request on a kept-alive connection is idle, not waiting for a reply
            idle("Tomcat", "org.apache.coyote.http11.InternalInputBuffer.fill"),
            idle("Tomcat", "org.apache.tomcat.util.net.JIoEndpoint$SocketProcessor.run"),
            idle("RMI", "sun.rmi.transport.tcp.TCPTransport$ConnectionHandler.run*"),

            // ---- where a thread lives -----------------------------------------------------------------------
            poolLoop("JDK", "java.util.concurrent.ThreadPoolExecutor.runWorker"),
            poolLoop("JDK", "java.util.concurrent.ForkJoinWorkerThread.run"),
            runsTask("JDK", "java.util.concurrent.FutureTask.run"),
            runsTask("JDK", "java.util.concurrent.FutureTask.runAndReset"),
            runsTask("JDK", "java.util.concurrent.CompletableFuture$Async*.run"),
            runsTask("JDK", "java.util.concurrent.CompletableFuture$AsyncSupply.exec"),
            runsTask("JDK", "java.util.concurrent.CompletableFuture$AsyncRun.exec"),
            takesDump("JDK", "sun.management.ThreadImpl.dumpThreads*"),
            takesDump("JDK", "sun.management.ThreadImpl.getThreadInfo*"),
            takesDump("JDK", "com.sun.management.internal.DiagnosticCommandImpl.*"),
            takesDump("JDK", "jdk.internal.vm.ThreadDumper.*"),
            takesDump("JDK", "java.lang.Thread.dumpThreads"),
            takesDump("JDK", "java.lang.Thread.getAllStackTraces"),
            // Knot's own live snapshot, whatever package a shaded copy lives in
            takesDump("Knot", "*.knot.live.LiveSnapshot.*"));

    /**
     * What the object a thread parked on says, when no frame does (a park called from application code, or a stack
     * cut short). First match wins.
     */
    static final List<WaitSite> BLOCKERS = List.of(
            idle("JDK", "java.util.concurrent.ForkJoinPool.*"),
            waits("JDK", "java.util.concurrent.locks.ReentrantLock$*.*", EXCLUSIVE_LOCK, LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.locks.ReentrantReadWriteLock$*.*", READ_WRITE_LOCK, WRITE_LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.locks.StampedLock.*", READ_WRITE_LOCK, WRITE_LOCK, BLOCKER, false),
            // a worker's lock, taken by shutdownNow/interruptIdleWorkers
            waits("JDK", "java.util.concurrent.ThreadPoolExecutor$Worker.*", EXCLUSIVE_LOCK, LOCK, BLOCKER, true),
            waits("JDK", "java.util.concurrent.Semaphore*.*", SEMAPHORE, ACQUIRE, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CountDownLatch*.*", LATCH, AWAIT, BLOCKER, false),
            waits("JDK", "java.util.concurrent.FutureTask.*", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.ForkJoinTask*.*", FUTURE, GET, BLOCKER, false),
            waits("JDK", "*ForkJoinTask$AdaptedCallable.*", FUTURE, GET, BLOCKER, false),
            waits("JDK", "java.util.concurrent.CompletableFuture*.*", COMPLETABLE_FUTURE, GET, BLOCKER, false),
            waits("JDK", "*ConditionObject.*", CONDITION, AWAIT, BLOCKER, false),
            waits("HikariCP", "com.zaxxer.hikari.pool.HikariPool.*", OBJECT_POOL, BORROW, BLOCKER, false));

    /**
     * The packages of the libraries the catalogue knows: their frames are the library's business, not where a user
     * looks first (a borrow is looked for where the application asked for the connection).
     */
    static final List<String> LIBRARY_PACKAGES = List.of("org.apache.commons.pool2.", "org.apache.commons.pool.",
            "org.apache.commons.dbcp2.", "com.zaxxer.hikari.", "com.mchange.", "org.apache.tomcat.jdbc.", "redis.clients.",
            "io.lettuce.", "okhttp3.", "org.apache.http.", "org.apache.hc.", "org.apache.kafka.", "com.google.common.",
            "reactor.core.", "io.reactivex.", "io.netty.", "org.apache.logging.log4j.", "ch.qos.logback.", "org.apache.log4j.");

    /** True for a class of a library the catalogue knows (see {@link #LIBRARY_PACKAGES}). */
    public static boolean inCataloguedLibrary(String className) {
        for (int i = 0; i < LIBRARY_PACKAGES.size(); i++) {
            if (className.startsWith(LIBRARY_PACKAGES.get(i))) return true;
        }
        return false;
    }

    /** Waits that end by themselves: the JDK method names say so even when the state line is missing. */
    private static final Set<String> TIMED_METHODS = Set.of("parkNanos", "parkUntil", "sleep", "sleepNanos", "sleep0",
            "sleepNanos0");

    /** How deep a wait's entry point can be below the park (deeper frames are the caller's business). */
    static final int MAX_WALK = 48;

    // ---- lookup ---------------------------------------------------------------------------------------

    private static final Map<String, List<WaitSite>> BY_CLASS = new HashMap<>();
    private static final List<WaitSite> PATTERNS = new ArrayList<>();

    static {
        for (WaitSite s : ENTRIES) {
            String c = s.classPattern();
            if (c.startsWith("*") || c.endsWith("*")) PATTERNS.add(s);
            else BY_CLASS.computeIfAbsent(c, k -> new ArrayList<>(2)).add(s);
        }
    }

    private static final WaitSite[] NONE = new WaitSite[0];
    /** Per class name, the entries whose class part matches it (exact ones first): each class is matched once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, WaitSite[]> FOR_CLASS =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Distinct class names remembered; beyond, they are matched each time (a JVM's class names are finite anyway). */
    private static final int MAX_CLASSES_CACHED = 8_192;

    /** The catalogue's entry for this frame, or null. */
    public static WaitSite entryFor(String className, String method) {
        WaitSite[] candidates = FOR_CLASS.get(className);
        if (candidates == null) {
            candidates = candidatesFor(className);
            if (FOR_CLASS.size() < MAX_CLASSES_CACHED) FOR_CLASS.putIfAbsent(className, candidates);
        }
        for (WaitSite s : candidates) {
            if (s.matchesMethod(method)) return s;
        }
        return null;
    }

    private static WaitSite[] candidatesFor(String className) {
        List<WaitSite> out = new ArrayList<>(BY_CLASS.getOrDefault(className, List.of()));
        for (WaitSite p : PATTERNS) {
            if (p.matchesClass(className)) out.add(p);
        }
        return out.isEmpty() ? NONE : out.toArray(new WaitSite[0]);
    }

    /** Every entry, for documentation and tests. */
    public static List<WaitSite> entries() {
        return Collections.unmodifiableList(ENTRIES);
    }

    /**
     * What a parked thread waits for.
     *
     * @param typeName the class a report names the resource by
     * @param site     the catalogue entry that decided it
     * @param frame    the frame of that entry, or null when the blocker's class decided
     */
    public record Wait(ResourceKind kind, WaitMode mode, String typeName, boolean ownerListed, WaitSite site, StackFrame frame) {
    }

    /**
     * @param blockerClass the class of the object the thread parked on ({@code - parking to wait for}), or "" if none
     * @return what the thread waits for, or null when it waits for work (an idle pool worker, a scheduler)
     */
    public static Wait classify(String blockerClass, List<StackFrame> frames) {
        WaitSite best = null;
        StackFrame at = null;
        for (int i = 0; i < Math.min(frames.size(), MAX_WALK); i++) {
            StackFrame f = frames.get(i);
            WaitSite s = entryFor(f.className(), f.method());
            if (s == null) {
                if (PlatformCode.isPlatform(f.className())) continue; // JDK code the catalogue need not know
                break; // the application (or a library not catalogued) called whatever is above
            }
            if (s.meaning() == Meaning.WAITS && s.mode() == null) {
                WaitMode m = queueMode(f.method());
                if (m == null) continue; // a queue's helper (signalNotEmpty …) under its put or take
                best = new WaitSite(s.library(), s.where(), s.meaning(), s.kind(), m, s.naming(), s.ownerListed());
                at = f;
            } else if (s.meaning() == Meaning.WAITS || s.meaning() == Meaning.IDLE) {
                best = s;
                at = f;
            } else if (s.meaning() != Meaning.INCIDENTAL) {
                break; // a pool's loop, a task's run: what is above it is the task's own wait
            }
        }
        if (best != null) {
            if (best.meaning() == Meaning.IDLE) return null;
            String type = best.naming() == Naming.FRAME || blockerClass.isEmpty() ? named(at.className()) : blockerClass;
            return new Wait(best.kind(), best.mode(), type, best.ownerListed(), best, at);
        }
        if (!blockerClass.isEmpty()) {
            WaitSite b = blockerEntry(blockerClass);
            if (b != null) {
                if (b.meaning() == Meaning.IDLE) return null;
                return new Wait(b.kind(), b.mode(), blockerClass, b.ownerListed(), b, null);
            }
        }
        return new Wait(ResourceKind.UNKNOWN_PARK, WaitMode.PARK, blockerClass, false, null, null);
    }

    /**
     * The class a user knows for a frame's class: an anonymous class ({@code PoolingHttpClientConnectionManager$2}, the
     * future a connection manager's lease returns) is named by the class it is written in.
     */
    static String named(String frameClass) {
        int end = frameClass.length();
        while (true) {
            int d = frameClass.lastIndexOf('$', end - 1);
            if (d <= 0 || d == end - 1) break;
            boolean digits = true;
            for (int i = d + 1; i < end; i++) digits &= Character.isDigit(frameClass.charAt(i));
            if (!digits) break;
            end = d;
        }
        return end == frameClass.length() ? frameClass : frameClass.substring(0, end);
    }

    /** The kind of resource an object of this class is, from its class alone, or null if the catalogue cannot say. */
    public static WaitSite blockerEntry(String className) {
        for (int i = 0; i < BLOCKERS.size(); i++) {
            if (BLOCKERS.get(i).matches(className, "")) return BLOCKERS.get(i);
        }
        return null;
    }

    /** Kind of a lock listed under "Locked ownable synchronizers". */
    public static ResourceKind ownableKind(String className) {
        WaitSite b = blockerEntry(className);
        return b != null && b.kind() == READ_WRITE_LOCK ? READ_WRITE_LOCK : EXCLUSIVE_LOCK;
    }

    /** An ownable synchronizer that is a pool's bookkeeping, not a lock the application took: a worker's own lock. */
    public static boolean bookkeepingLock(String className) {
        return className.endsWith("ThreadPoolExecutor$Worker");
    }

    /** A consumer waiting for messages on a queue (healthy, unless it holds something others need). */
    public static boolean consumerWaiting(List<StackFrame> frames) {
        Wait w = classify("", frames);
        return w != null && w.mode() == TAKE;
    }

    /**
     * True if the thread waits for work: one of its first frames is an idle entry, and it is not waiting for the
     * reply to a socket call it made (a read parks in the same {@code Net.poll} an idle accept does).
     */
    public static boolean idle(List<StackFrame> frames) {
        return idleFrame(frames) && io(frames) == null;
    }

    private static boolean idleFrame(List<StackFrame> frames) {
        for (int i = 0; i < Math.min(frames.size(), 16); i++) {
            StackFrame f = frames.get(i);
            WaitSite s = entryFor(f.className(), f.method());
            if (s != null && s.meaning() == Meaning.IDLE) return true;
        }
        return false;
    }

    /** Same question for a live stack (knot-junit's leak checks). */
    public static boolean idle(StackTraceElement[] frames) {
        for (int i = 0; i < Math.min(frames.length, 16); i++) {
            WaitSite s = entryFor(frames[i].getClassName(), frames[i].getMethodName());
            if (s != null && s.meaning() == Meaning.IDLE) return true;
        }
        return false;
    }

    /** The two entries that mean "a pool's worker between tasks" (not any idle wait: a task may itself accept or select). */
    private static final Set<String> NEXT_TASK = Set.of("java.util.concurrent.ThreadPoolExecutor.getTask",
            "java.util.concurrent.ForkJoinPool.awaitWork");

    /** A live stack of a pool worker waiting for its next task (knot-junit's leak checks). */
    public static boolean waitsForNextTask(StackTraceElement[] frames) {
        for (int i = 0; i < Math.min(frames.length, 16); i++) {
            WaitSite s = entryFor(frames[i].getClassName(), frames[i].getMethodName());
            if (s != null && NEXT_TASK.contains(s.where())) return true;
        }
        return false;
    }

    /** A live stack with a pool's worker loop ({@link Meaning#POOL_LOOP}) or a task's run ({@link Meaning#RUNS_TASK}). */
    public static boolean has(StackTraceElement[] frames, Meaning meaning) {
        for (int i = frames.length - 1; i >= 0; i--) {
            WaitSite s = entryFor(frames[i].getClassName(), frames[i].getMethodName());
            if (s != null && s.meaning() == meaning) return true;
        }
        return false;
    }

    /** The thread is producing the very dump being read. */
    public static boolean takesDump(List<StackFrame> frames) {
        for (int i = 0; i < Math.min(frames.size(), 16); i++) {
            StackFrame f = frames.get(i);
            WaitSite s = entryFor(f.className(), f.method());
            if (s != null && s.meaning() == Meaning.TAKES_DUMP) return true;
        }
        return false;
    }

    /** The thread runs a pool's worker loop (from the bottom of its stack, where the loop is). */
    public static boolean poolWorker(List<StackFrame> frames) {
        return anyFrame(frames, Meaning.POOL_LOOP);
    }

    /** The thread is running a submitted task. */
    public static boolean runsTask(List<StackFrame> frames) {
        return anyFrame(frames, Meaning.RUNS_TASK);
    }

    private static boolean anyFrame(List<StackFrame> frames, Meaning m) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            StackFrame f = frames.get(i);
            WaitSite s = entryFor(f.className(), f.method());
            if (s != null && s.meaning() == m) return true;
        }
        return false;
    }

    /**
     * A thread in a blocking socket call.
     *
     * @param frame   the outermost socket frame of the JDK (the read or connect the caller made)
     * @param timed   TRUE if the call has a timeout, FALSE if it has none, null if the JDK does not show it (8 to 12)
     */
    public record Io(StackFrame frame, Boolean timed) {
    }

    /**
     * The socket call a thread is blocked in, or null: not in socket I/O, accepting a connection, or a server waiting
     * for the next request. As for waits, the outermost catalogued frame decides: a read parks in {@code Net.poll}
     * like an accept does, and what the caller asked for is the read.
     */
    public static Io io(List<StackFrame> frames) {
        WaitSite outer = null;
        StackFrame at = null;
        Boolean timed = null;
        for (int i = 0; i < Math.min(frames.size(), 24); i++) {
            StackFrame f = frames.get(i);
            WaitSite s = entryFor(f.className(), f.method());
            if (s == null) {
                if (PlatformCode.isPlatform(f.className())) continue;
                break;
            }
            switch (s.meaning()) {
                case IO, IDLE -> {
                    outer = s;
                    at = f;
                }
                case IO_TIMED -> timed = Boolean.TRUE;
                case IO_UNTIMED -> timed = timed == null ? Boolean.FALSE : timed;
                default -> {
                }
            }
        }
        if (outer == null || outer.meaning() != Meaning.IO) return null;
        if (timed == null && outer.library().equals("JDK 13+")) return null; // not parked: reading data that has arrived
        // further down, a server library may say the connection is idle between requests
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            WaitSite s = entryFor(f.className(), f.method());
            if (s != null && s.meaning() == Meaning.IDLE && !s.library().startsWith("JDK")) return null;
        }
        return new Io(at, timed);
    }

    /**
     * A worker of a parallel stream stopped where the stream calls the user's lambda: a stream frame on top (the lambda's
     * own frame, in a hidden class, is not in JSON dumps) while it runs a ForkJoin task. RUNNABLE there in a dump, with
     * the lambda's class being initialised by the thread that started the stream, it waits for that initialisation.
     */
    public static boolean atAParallelStreamsLambdaCall(List<StackFrame> frames) {
        if (frames.isEmpty() || !frames.get(0).className().startsWith("java.util.stream.")) return false;
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).is("java.util.concurrent.ForkJoinTask", "doExec")) return true;
        }
        return false;
    }

    /** True if the frames above {@code below} (exclusive) run a stream operation: the thread started a stream there. */
    public static boolean runsAStreamAbove(List<StackFrame> frames, int below) {
        for (int i = 0; i < Math.min(below, frames.size()); i++) {
            if (frames.get(i).className().startsWith("java.util.stream.")) return true;
        }
        return false;
    }

    /**
     * Why a virtual thread that waits while mounted on its carrier could not unmount (it pins the carrier), from its
     * frames: a static initialiser it runs, a monitor it holds (before JDK 24, {@code synchronized} pins), or a native
     * frame; "the dump does not say why" when none shows.
     */
    public static String pinReason(List<StackFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            if (f.method().equals("<clinit>")) {
                return "it runs the static initialiser of " + f.className() + " (a virtual thread cannot unmount inside a"
                        + " class initialiser)";
            }
        }
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            for (var l : f.locks()) {
                if (l.action() == dev.knot.snapshot.LockLine.Action.LOCKED) {
                    return "it holds the monitor of " + l.object() + " (before JDK 24 a virtual thread cannot unmount inside"
                            + " synchronized)";
                }
            }
        }
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            if (f.nativeMethod() && !f.method().equals("park") && !f.className().startsWith("jdk.internal.vm.Continuation")) {
                return "it is inside the native method " + f.qualifiedMethod() + " (a virtual thread cannot unmount there)";
            }
        }
        return "it is pinned; the dump does not say why";
    }

    /** A wait with a timeout, told by the JDK method names near the top. */
    public static boolean timed(List<StackFrame> frames) {
        for (int i = 0; i < Math.min(frames.size(), 4); i++) {
            if (TIMED_METHODS.contains(frames.get(i).method())) return true;
        }
        return false;
    }

    // ---- the DSL the entries are written in ------------------------------------------------------------

    private static WaitSite waits(String library, String where, ResourceKind kind, WaitMode mode, Naming naming,
                                  boolean ownerListed) {
        return new WaitSite(library, where, Meaning.WAITS, kind, mode, naming, ownerListed);
    }

    /** A queue's blocking methods; which one ({@link #queueMode}) says whether it waits for space or for an element. */
    private static WaitSite queue(String library, String cls) {
        return new WaitSite(library, cls + ".*", Meaning.WAITS, BOUNDED_QUEUE, null, FRAME, false);
    }

    /** {@code put*}, {@code offer*}, {@code transfer}: space; {@code take*}, {@code poll*}: an element; others: neither. */
    static WaitMode queueMode(String method) {
        if (method.startsWith("put") || method.startsWith("offer") || method.equals("transfer") || method.equals("tryTransfer")) {
            return PUT;
        }
        if (method.startsWith("take") || method.startsWith("poll")) return TAKE;
        return null;
    }

    private static WaitSite incidental(String library, String where) {
        return new WaitSite(library, where, Meaning.INCIDENTAL, null, null, null, false);
    }

    private static WaitSite idle(String library, String where) {
        return new WaitSite(library, where, Meaning.IDLE, null, null, null, false);
    }

    private static WaitSite poolLoop(String library, String where) {
        return new WaitSite(library, where, Meaning.POOL_LOOP, null, null, null, false);
    }

    private static WaitSite runsTask(String library, String where) {
        return new WaitSite(library, where, Meaning.RUNS_TASK, null, null, null, false);
    }

    private static WaitSite io(String library, String where) {
        return new WaitSite(library, where, Meaning.IO, null, null, null, false);
    }

    private static WaitSite ioTimed(String library, String where) {
        return new WaitSite(library, where, Meaning.IO_TIMED, null, null, null, false);
    }

    private static WaitSite ioUntimed(String library, String where) {
        return new WaitSite(library, where, Meaning.IO_UNTIMED, null, null, null, false);
    }

    private static WaitSite takesDump(String library, String where) {
        return new WaitSite(library, where, Meaning.TAKES_DUMP, null, null, null, false);
    }
}
