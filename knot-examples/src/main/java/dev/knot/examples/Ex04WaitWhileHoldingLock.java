package dev.knot.examples;

import java.util.Map;

/**
 * A price cache reloads itself: {@code reload()} is {@code synchronized} on the cache, starts a loader
 * thread and waits on a separate {@code loadDone} monitor until the loader says it is done. But the loader
 * installs the new prices through {@code install()}, which is also {@code synchronized} on the cache, before
 * it would notify {@code loadDone}. {@code Object.wait()} releases only the monitor it waits on
 * ({@code loadDone}), so the reloader keeps the cache locked while it waits, and the loader can never get in
 * to notify it.
 *
 * <p>Expected: <b>deadlock</b> between {@code cache-reloader} (WAITING (on object monitor),
 * {@code - waiting on <..> (a ...$LoadDone)} while still {@code - locked <..> (a ...$PriceCache)}) and
 * {@code cache-loader} (BLOCKED, {@code - waiting to lock <..> (a ...$PriceCache)}). jstack does not report
 * it: one edge is a wait for a notification, not for a lock. Beware: the waiter's frame also shows
 * {@code - locked <..> (a ...$LoadDone)} (and the JSON {@code monitorsOwned} lists it), although
 * {@code wait()} has released that monitor; only the other monitor is really held.
 */
@Expected(kind = "deadlock", threads = {"cache-reloader", "cache-loader"}, minJava = 17)
public final class Ex04WaitWhileHoldingLock {

    /** Its own class so the monitor is easy to recognise in a dump. */
    static final class LoadDone {
        boolean loaded;
    }

    static final class PriceCache {
        private final LoadDone loadDone = new LoadDone();
        private Map<String, Long> pricesInCents = Map.of();
        volatile Thread loader;

        synchronized void reload() throws InterruptedException {
            loadDone.loaded = false;
            loader = ExampleSupport.startDaemon("cache-loader", () -> install(fetchPrices()));
            synchronized (loadDone) {
                while (!loadDone.loaded) {
                    loadDone.wait(); // releases loadDone only; "this" stays locked
                }
            }
        }

        synchronized void install(Map<String, Long> fresh) {
            pricesInCents = fresh;
            synchronized (loadDone) {
                loadDone.loaded = true;
                loadDone.notifyAll();
            }
        }

        private static Map<String, Long> fetchPrices() {
            return Map.of("espresso", 250L, "croissant", 180L);
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex04WaitWhileHoldingLock.class, args);
        PriceCache cache = new PriceCache();

        Thread reloader = ExampleSupport.startDaemon("cache-reloader", () -> {
            try {
                cache.reload();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "the loader to start", () -> cache.loader != null,
                reloader);
        Thread loader = cache.loader;
        ExampleSupport.awaitStates(ExampleSupport.HANG_TIMEOUT, reloader, loader);
        ExampleSupport.hangFormed(options, reloader);
    }
}
