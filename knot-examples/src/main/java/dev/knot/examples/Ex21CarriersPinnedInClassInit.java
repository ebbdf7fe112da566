package dev.knot.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A service on virtual threads (JDK 21+), with the virtual-thread scheduler at two carriers (set here so every
 * machine gets two; a small container gets as few). Two requests each touch a lazily built table whose static
 * initialiser waits until the warm-up request has filled the cache. A virtual thread that blocks inside a static
 * initialiser cannot unmount: it pins its carrier thread. Both carriers are pinned that way before the warm-up
 * request starts, so the warm-up, a virtual thread that is ready to run, never gets a carrier, and the latch the two
 * initialisers wait on is never counted down.
 *
 * <p>Expected: <b>starvation</b> of the virtual-thread scheduler: {@code vt-rates-request} and
 * {@code vt-fees-request}, WAITING (parking) on the {@code CountDownLatch} inside {@code Rates.<clinit>} and
 * {@code Fees.<clinit>}, each mounted on a carrier ({@code ForkJoinPool-1-worker-N}), pin both carriers;
 * {@code vt-cache-warmup} cannot run. Only the JSON dump ({@code jcmd Thread.dump_to_file -format=json}) and a live
 * snapshot list the unmounted warm-up thread; jstack shows the carriers and the two mounted threads. From a dump it is
 * likely (the scheduler's size is not printed: it might add a carrier), and live too for now (the snapshot does not
 * read the scheduler's size yet).
 */
@Expected(kind = "starvation", threads = {"vt-rates-request", "vt-fees-request"}, minJava = 21, virtualThreads = true,
        liveCertainty = "likely")
public final class Ex21CarriersPinnedInClassInit {

    static final int CARRIERS = 2;
    static final CountDownLatch CACHE_WARM = new CountDownLatch(1);
    static final CountDownLatch BOTH_PINNED = new CountDownLatch(CARRIERS);
    static final AtomicBoolean WARMED = new AtomicBoolean();

    static final class Rates {
        static final String TABLE;

        static {
            BOTH_PINNED.countDown();
            awaitCache();
            TABLE = "rates";
        }
    }

    static final class Fees {
        static final String TABLE;

        static {
            BOTH_PINNED.countDown();
            awaitCache();
            TABLE = "fees";
        }
    }

    static void awaitCache() {
        try {
            CACHE_WARM.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        // Before the first virtual thread: the scheduler reads these once, when it is made.
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(CARRIERS));
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", Integer.toString(CARRIERS));
        ExampleSupport.Options options = ExampleSupport.start(Ex21CarriersPinnedInClassInit.class, args);
        Thread rates = ExampleSupport.startVirtual("vt-rates-request", () -> System.out.println(Rates.TABLE));
        Thread fees = ExampleSupport.startVirtual("vt-fees-request", () -> System.out.println(Fees.TABLE));
        BOTH_PINNED.await();
        ExampleSupport.startVirtual("vt-cache-warmup", () -> {
            WARMED.set(true);
            CACHE_WARM.countDown();
        });
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both carriers pinned, the warm-up not run",
                () -> rates.getState() == Thread.State.WAITING && fees.getState() == Thread.State.WAITING && !WARMED.get(),
                rates, fees);
        ExampleSupport.hangFormed(options, rates);
    }
}
