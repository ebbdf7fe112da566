package dev.knot.model;

import dev.knot.sites.ResourceKind;

/**
 * Something threads wait for. Identity ({@link #key}) is the object id the input printed, so two threads
 * parked on the same object share one Resource.
 *
 * @param key      unique within one snapshot
 * @param kind     what it is
 * @param typeName the class as printed ({@code java.util.concurrent.Semaphore$NonfairSync}), or a class name
 *                 for class initialisation
 * @param objectId the object id as printed ({@code 0x000000069ed02828}), may be empty
 * @param ownerListed {@code jstack -l} lists this kind of resource's holder (monitors, ReentrantLock, the write lock of
 *                 ReentrantReadWriteLock), so with listed owners a missing holder is a fact; false for StampedLock and
 *                 the library locks that are no ownable synchronizer
 */
public record Resource(String key, ResourceKind kind, String typeName, String objectId, boolean ownerListed) {

    /** {@code Semaphore <0x…69ed2b650>} : what a reader recognises. */
    public String label() {
        String type = typeName;
        // The sync object is what the dump names; users know the outer class.
        int sync = type.indexOf('$');
        String outer = sync > 0 && (type.endsWith("Sync") || type.contains("$NonfairSync") || type.contains("$FairSync"))
                ? type.substring(0, sync) : type;
        String simple = outer.substring(outer.lastIndexOf('.') + 1);
        if (kind == ResourceKind.CLASS_INIT) {
            // JDK 17 text and JSON dumps do not name the class; the builder then stores where it was touched.
            return typeName.startsWith("(") ? "initialisation of a class this format does not name"
                    : "initialisation of class " + typeName;
        }
        if (kind == ResourceKind.THREAD_EXIT) return "end of thread " + objectId;
        if (simple.isEmpty()) simple = "an unnamed blocker";
        if (objectId.isEmpty()) return simple;
        // Queues and barriers park on an internal condition: its id is not the queue's own.
        if (kind == ResourceKind.BOUNDED_QUEUE || kind == ResourceKind.BARRIER || kind == ResourceKind.OBJECT_POOL) {
            return simple + " (condition <" + objectId + ">)";
        }
        return simple + " <" + objectId + ">";
    }

    /** Identity: resources are made once per key and snapshot by the graph builder (hashing four fields costs more). */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
