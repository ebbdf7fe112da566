package dev.knot.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A settings cache guarded by a {@link ReentrantReadWriteLock}. A reader finds the settings stale and,
 * still holding the read lock, takes the write lock to refresh them ("upgrading" the lock). The write lock
 * waits until all readers are gone, including the thread asking for it, which never leaves.
 *
 * <p>Expected: <b>self-deadlock</b> of {@code settings-reader}, WAITING (parking) on a
 * {@code ReentrantReadWriteLock$NonfairSync} in {@code ReentrantReadWriteLock$WriteLock.lock}. Read-lock
 * holders are not listed under "Locked ownable synchronizers", so the dump shows no owner of anything, and
 * jstack reports no deadlock.
 */
@Expected(kind = "self-deadlock", threads = {"settings-reader"}, minJava = 17)
public final class Ex08ReadLockUpgrade {

    static final class SettingsCache {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final Map<String, String> settings = new HashMap<>();
        private boolean stale = true;

        String get(String key) {
            lock.readLock().lock();
            try {
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
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex08ReadLockUpgrade.class, args);
        SettingsCache cache = new SettingsCache();
        Thread reader = ExampleSupport.startDaemon("settings-reader",
                () -> System.out.println("currency " + cache.get("currency")));

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "settings-reader parked on the write lock",
                () -> cache.lock.hasQueuedThread(reader) && reader.getState() == Thread.State.WAITING, reader);
        ExampleSupport.hangFormed(options, reader);
    }
}
