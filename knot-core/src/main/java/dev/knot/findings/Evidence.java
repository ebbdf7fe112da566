package dev.knot.findings;

import dev.knot.snapshot.StackFrame;
import java.util.List;
import java.util.Locale;

/**
 * One fact a finding rests on: a thread waits for a resource, or a resource is held by, or can only be released by,
 * a thread. The renderers draw a finding's evidence; nothing in it refers back to the analysis that made it.
 *
 * @param relation  how the thread and the resource are linked
 * @param thread    the thread's name as the snapshot gives it
 * @param threadKey the thread's key in its snapshot (its id where the input has one): unique, unlike names
 * @param resource  what is waited for or held
 * @param mode      for {@link Relation#WAITS_FOR}: what the thread tries to do ({@code lock}, {@code read-lock},
 *                  {@code acquire} …); otherwise null
 * @param timed     for {@link Relation#WAITS_FOR}: the wait has a timeout and will end by itself
 * @param certainty certain when every step is printed in the input
 * @param site      the frame where the thread waits or acquired the resource; null if unknown
 * @param evidence  the input lines proving it, or the reasoning for an inferred link
 */
public record Evidence(Relation relation, String thread, String threadKey, Subject resource, String mode, boolean timed,
                       Certainty certainty, StackFrame site, List<String> evidence) {

    public Evidence {
        evidence = List.copyOf(evidence);
    }

    public enum Relation {
        WAITS_FOR, HELD_BY, CAN_BE_RELEASED_BY;

        /** {@code waits-for}, {@code held-by}, {@code can-be-released-by}: the report's names. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A lock, queue, latch, pool … as the report names it. One instance stands for one resource of a snapshot, so
     * two resources that print alike (no object id) stay apart: compare by identity.
     */
    public static final class Subject {
        private final String kind;
        private final String type;
        private final String id;
        private final String label;

        /**
         * @param kind  the report's resource kind ({@code monitor}, {@code exclusive-lock}, {@code latch} …)
         * @param type  the class as printed
         * @param id    the object id as printed, or empty
         * @param label what a reader recognises ({@code Semaphore <0x…69ed2b650>})
         */
        public Subject(String kind, String type, String id, String label) {
            this.kind = kind;
            this.type = type;
            this.id = id;
            this.label = label;
        }

        public String kind() {
            return kind;
        }

        public String type() {
            return type;
        }

        public String id() {
            return id;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
