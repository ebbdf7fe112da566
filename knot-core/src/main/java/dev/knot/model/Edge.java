package dev.knot.model;

import dev.knot.sites.WaitMode;
import dev.knot.findings.Certainty;
import dev.knot.snapshot.StackFrame;
import java.util.List;

/**
 * A fact (or an inference) linking a thread and a resource.
 *
 * @param type      WAITS_FOR (thread → resource), HELD_BY (resource → thread) or
 *                  CAN_BE_RELEASED_BY (resource → thread that is the only one able to release it)
 * @param mode      for WAITS_FOR: what the thread tries to do; otherwise null
 * @param timed     for WAITS_FOR: the wait has a timeout and will end by itself
 * @param site      the frame where the thread waits or where it acquired the resource; null if unknown
 * @param evidence  input lines proving the edge, or the reasoning for an inferred one
 */
public record Edge(Type type, ThreadNode thread, Resource resource, WaitMode mode, boolean timed,
                   Certainty certainty, StackFrame site, List<String> evidence) {

    public enum Type { WAITS_FOR, HELD_BY, CAN_BE_RELEASED_BY }

    public Edge {
        evidence = List.copyOf(evidence);
    }
}
