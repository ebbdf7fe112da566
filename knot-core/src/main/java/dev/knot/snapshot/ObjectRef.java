package dev.knot.snapshot;

import java.util.Objects;

/**
 * An object named in a dump: its identity as the format prints it and its class.
 * jstack prints addresses ({@code 0x000000069ed02828}); JSON dumps print {@code Class@identityHash}.
 * The two cannot be joined, so identity is only meaningful within one dump.
 */
public record ObjectRef(String id, String className) {
    public ObjectRef {
        Objects.requireNonNull(id, "id");
        className = className == null ? "" : className;
    }

    /** Short class name without package, keeping nested class names ({@code ReentrantLock$NonfairSync}). */
    public String simpleClassName() {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    @Override
    public String toString() {
        return className.isEmpty() ? "<" + id + ">" : "<" + id + "> (a " + className + ")";
    }
}
