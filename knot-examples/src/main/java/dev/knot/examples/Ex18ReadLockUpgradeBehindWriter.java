package dev.knot.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Ex08's settings cache, with a second thread in the picture: while {@code settings-reader} holds the read lock,
 * {@code settings-writer} asks for the write lock to store new settings and queues (a read lock is held). Then
 * the reader finds the settings stale and, still holding its read lock, asks for the write lock too: it queues
 * behind the writer, who waits for the reader's read lock to go. Neither moves again.
 *
 * <p>Expected: <b>self-deadlock</b> of {@code settings-reader} (the write lock waits for its own read lock),
 * with {@code settings-writer} stuck behind it; both WAITING (parking) in
 * {@code ReentrantReadWriteLock$WriteLock.lock} on the same {@code ReentrantReadWriteLock$NonfairSync}. On JDK 25
 * the lock's sync is an {@code AbstractQueuedLongSynchronizer}, whose frames the stacks show instead of
 * {@code AbstractQueuedSynchronizer}'s. No dump lists read-lock holders, and jstack reports no deadlock: from a dump,
 * a (likely) self-deadlock of both writers, one of which holds the read lock; live, of {@code settings-reader}.
 */
@Expected(kind = "self-deadlock", threads = {"settings-reader"}, minJava = 17,
        dumpThreads = {"settings-reader", "settings-writer"})
public final class Ex18ReadLockUpgradeBehindWriter {

    static final class SettingsCache {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final Map<String, String> settings = new HashMap<>();
        private final CountDownLatch writerQueued = new CountDownLatch(1);
        final CountDownLatch readerHolds = new CountDownLatch(1);
        private boolean stale = true;

        String get(String key) throws InterruptedException {
            lock.readLock().lock();
            try {
                readerHolds.countDown();
                writerQueued.await(); // in production the overlap is by chance
                if (stale) {
                    lock.writeLock().lock(); // never granted while a read lock is held, even by this thread
                    try {
                        settings.put("currency", "EUR");
                        stale = false;
                    } finally {
                        lock.writeLock().unlock();
                    }
                }
                return settings.get(key);
            } finally {
                lock.readLock().unlock();
            }
        }

        void put(String key, String value) {
            lock.writeLock().lock();
            try {
                settings.put(key, value);
                stale = false;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleSupport.Options options = ExampleSupport.start(Ex18ReadLockUpgradeBehindWriter.class, args);
        SettingsCache cache = new SettingsCache();
        Thread reader = ExampleSupport.startDaemon("settings-reader", () -> {
            try {
                System.out.println("currency " + cache.get("currency"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cache.readerHolds.await();
        Thread writer = ExampleSupport.startDaemon("settings-writer", () -> cache.put("currency", "CHF"));
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "settings-writer parked on the write lock",
                () -> cache.lock.hasQueuedThread(writer) && writer.getState() == Thread.State.WAITING, writer);
        cache.writerQueued.countDown();
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "settings-reader parked on the write lock behind the writer",
                () -> cache.lock.hasQueuedThread(reader) && reader.getState() == Thread.State.WAITING
                        && cache.lock.getQueueLength() == 2, reader, writer);
        ExampleSupport.hangFormed(options, reader);
    }
}
