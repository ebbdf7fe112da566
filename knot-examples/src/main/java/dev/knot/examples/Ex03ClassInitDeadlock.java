package dev.knot.examples;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * Two classes whose static initialisers need each other: {@code Currency} builds its base currency with a
 * rate from {@code ExchangeRates}, and {@code ExchangeRates} keys its table by {@code Currency.BASE}. One
 * thread happens to touch {@code Currency} first while another touches {@code ExchangeRates} first: each
 * thread runs one initialiser and waits for the other thread to finish the other class. The JVM lets a
 * thread wait for a class's initialisation forever; no lock object is involved.
 *
 * <p>Expected: <b>deadlock</b> (class-initialisation cycle) between {@code price-loader} and
 * {@code rate-refresher}. Both show {@code java.lang.Thread.State: RUNNABLE} ("in Object.wait()") with a
 * {@code <clinit>} frame on top followed by {@code - waiting on the Class initialization monitor for ...}
 * naming the other class (printed by JDK 17.0.15 as well as 25). jstack does not report it as a deadlock;
 * ThreadMXBean sees no lock at all. The JSON dump (JDK 25) shows only {@code "state": "RUNNABLE"} with the
 * {@code <clinit>} frame on top: no line says what the thread waits for.
 */
@Expected(kind = "deadlock", threads = {"price-loader", "rate-refresher"}, minJava = 17, dumpCertainty = "certain")
public final class Ex03ClassInitDeadlock {

    /** Reached inside each initialiser: makes the two initialisations overlap, which is rare in production. */
    private static final CountDownLatch BOTH_INITIALISING = new CountDownLatch(2);
    /** Counted down just before each initialiser touches the other class. */
    private static final CountDownLatch BOTH_REACH_OTHER_CLASS = new CountDownLatch(2);

    static final class Currency {
        static final Currency BASE;

        static {
            bothInitialising();
            BASE = new Currency("EUR", ExchangeRates.UNIT);
        }

        final String code;
        final BigDecimal rateToBase;

        Currency(String code, BigDecimal rateToBase) {
            this.code = code;
            this.rateToBase = rateToBase;
        }
    }

    static final class ExchangeRates {
        static final BigDecimal UNIT = BigDecimal.ONE;
        static final Map<String, BigDecimal> RATES;

        static {
            bothInitialising();
            RATES = Map.of(Currency.BASE.code, UNIT);
        }
    }

    private static void bothInitialising() {
        BOTH_INITIALISING.countDown();
        try {
            BOTH_INITIALISING.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        BOTH_REACH_OTHER_CLASS.countDown();
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex03ClassInitDeadlock.class, args);

        Thread priceLoader = ExampleSupport.startDaemon("price-loader",
                () -> System.out.println("base currency " + Currency.BASE.code));
        Thread rateRefresher = ExampleSupport.startDaemon("rate-refresher",
                () -> System.out.println("rates " + ExchangeRates.RATES));

        // A thread waiting for another thread's class initialisation is RUNNABLE and has no lock, so the
        // states say nothing. Instead: both are past the latch (next step: touch the other class), both are
        // in a static initialiser, and they stay there over several polls.
        StablePolls stuckInInitialisers = new StablePolls(5, () -> BOTH_REACH_OTHER_CLASS.getCount() == 0
                && topFrameIsInitialiserOf(priceLoader, Currency.class)
                && topFrameIsInitialiserOf(rateRefresher, ExchangeRates.class));
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both threads stuck in a static initialiser",
                stuckInInitialisers, priceLoader, rateRefresher);
        ExampleSupport.hangFormed(options, priceLoader);
    }

    private static boolean topFrameIsInitialiserOf(Thread thread, Class<?> type) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].getMethodName().equals("<clinit>")
                && stack[0].getClassName().equals(type.getName());
    }

    /** True once the condition has held on {@code required} consecutive polls. */
    private static final class StablePolls implements BooleanSupplier {
        private final int required;
        private final BooleanSupplier condition;
        private int consecutive;

        StablePolls(int required, BooleanSupplier condition) {
            this.required = required;
            this.condition = condition;
        }

        @Override
        public boolean getAsBoolean() {
            consecutive = condition.getAsBoolean() ? consecutive + 1 : 0;
            return consecutive >= required;
        }
    }
}
