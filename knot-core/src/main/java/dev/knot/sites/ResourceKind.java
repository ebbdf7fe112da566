package dev.knot.sites;

/** What a thread can wait for. */
public enum ResourceKind {
    MONITOR("monitor", true),
    EXCLUSIVE_LOCK("lock", true),
    READ_WRITE_LOCK("read-write lock", true),
    SEMAPHORE("semaphore", false),
    LATCH("latch", false),
    BARRIER("barrier", false),
    CONDITION("condition", false),
    BOUNDED_QUEUE("queue", false),
    FUTURE("future", false),
    COMPLETABLE_FUTURE("CompletableFuture", false),
    EXECUTOR("executor", false),
    OBJECT_POOL("object pool", false),
    CLASS_INIT("class initialisation", true),
    THREAD_EXIT("thread termination", true),
    UNKNOWN_PARK("park", false);

    private final String noun;
    private final boolean owned;

    ResourceKind(String noun, boolean owned) {
        this.noun = noun;
        this.owned = owned;
    }

    /** What a thread does to let a waiter go ("count it down"), for a resource nobody is shown holding. */
    public String releaseVerb() {
        switch (this) {
            case LATCH: return "count it down";
            case SEMAPHORE: return "release a permit";
            case FUTURE:
            case COMPLETABLE_FUTURE: return "complete it";
            case BOUNDED_QUEUE: return "take from or put into it";
            case THREAD_EXIT: return "end it";
            default: return "signal it";
        }
    }

    /** Plain word used in stories. */
    public String noun() {
        return noun;
    }

    /**
     * Owned resources are released only by their owner (a monitor, a lock's holder, the thread running a
     * class initialiser). The others (permits, signals, queue slots, results) can be released by any thread,
     * and dumps never say which.
     */
    public boolean owned() {
        return owned;
    }

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
