package dev.knot.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The jstack target: starts N platform threads that recurse to a given depth and park, so that each has
 * about 30 frames (Unsafe.park, LockSupport.park, depth+1 x descend, the lambda, Thread.run). Prints
 * {@code READY <pid>} when every thread is parked, then waits until its standard input is closed.
 *
 * <p>Run with a small stack ({@code -Xss256k}): {@code java -Xss256k -cp knot-bench.jar dev.knot.bench.ParkedThreads 10000 25}
 */
public final class ParkedThreads {

    private ParkedThreads() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int depth = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        CountDownLatch started = new CountDownLatch(n);
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> descend(depth, started), "parked-" + i);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
        started.await();
        // the latch is counted down just before park(): wait until every thread is really parked
        for (int i = 0; i < n; i++) {
            while (threads[i].getState() != Thread.State.WAITING) Thread.sleep(1);
        }
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
    }

    static void descend(int depth, CountDownLatch started) {
        if (depth > 0) {
            descend(depth - 1, started);
            return;
        }
        started.countDown();
        while (true) LockSupport.park();
    }
}
