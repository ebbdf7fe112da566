package dev.knot.track.boot;

/** The tracker's ThreadLocal: a named class (no lambda) because it is loaded by the bootstrap loader. */
final class TrackerLocal extends ThreadLocal<ThreadState> {
    @Override
    protected ThreadState initialValue() {
        ThreadState s = new ThreadState(Thread.currentThread());
        KnotTracker.register(s);
        return s;
    }
}
