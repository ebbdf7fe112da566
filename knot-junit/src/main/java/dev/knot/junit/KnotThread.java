package dev.knot.junit;

/**
 * A thread of Knot's own (a test runner, the deadline watcher, the warm-up). It inherits no thread-locals, so it
 * carries no test's marker, and leak checks never report it.
 */
final class KnotThread extends Thread {
    KnotThread(Runnable task, String name) {
        super(null, task, name, 0, false);
        setDaemon(true);
    }
}
