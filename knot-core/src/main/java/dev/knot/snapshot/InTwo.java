package dev.knot.snapshot;

import java.util.function.IntConsumer;

/**
 * Runs two halves of a job at once: the second on a short-lived helper thread, the first on the caller's.
 * Knot's CLI runs once per input in a fresh JVM, where a second core would otherwise idle; a pool would cost
 * more to start than it saves.
 */
public final class InTwo {
    private InTwo() {
    }

    /** Runs both, waits for both, and rethrows the helper's failure (the caller's own failure wins). */
    public static void run(Runnable first, Runnable second) {
        Throwable[] failure = new Throwable[1];
        Thread helper = new Thread(() -> {
            try {
                second.run();
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "knot-second-half");
        helper.setDaemon(true);
        helper.start();
        first.run();
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the halves share arrays: never return while the helper still writes them
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure[0] instanceof RuntimeException r) throw r;
        if (failure[0] instanceof Error e) throw e;
    }

    /** {@code action(i)} for every i in [0, n): in two halves when n reaches {@code threshold} and there are two cores. */
    public static void forEach(int n, int threshold, IntConsumer action) {
        if (n < threshold || Runtime.getRuntime().availableProcessors() < 2) {
            for (int i = 0; i < n; i++) action.accept(i);
            return;
        }
        int mid = n / 2;
        run(() -> {
            for (int i = 0; i < mid; i++) action.accept(i);
        }, () -> {
            for (int i = mid; i < n; i++) action.accept(i);
        });
    }
}
