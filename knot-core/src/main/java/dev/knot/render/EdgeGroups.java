package dev.knot.render;

import dev.knot.model.Edge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;

/**
 * A finding's edges with identical waits collapsed: edges that differ only in their thread (same relation,
 * resource, mode, timeout, certainty, site and evidence) render once, with every thread's name. Ten thousand
 * threads queued on one lock are one entry, not ten thousand.
 */
final class EdgeGroups {
    private EdgeGroups() {
    }

    /** One rendered edge: the first of its kind, and the names of all threads that share it (in order). */
    record Group(Edge edge, List<String> threads) {
    }

    private record Key(Edge.Type type, Object resource, Object mode, boolean timed, Object certainty, Object site,
                       List<String> evidence) {
    }

    /** Groups and threads compare by identity (resources and thread nodes are made once per snapshot). */
    private record Pair(Group group, Object thread) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.group == group && p.thread == thread;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(group) + System.identityHashCode(thread);
        }
    }

    static List<Group> of(List<Edge> edges) {
        Map<Key, Group> groups = new LinkedHashMap<>();
        Set<Pair> seen = new HashSet<>(); // a thread listed twice in one group (an edge repeated) is named once
        for (Edge e : edges) {
            Key k = new Key(e.type(), e.resource(), e.mode(), e.timed(), e.certainty(),
                    e.site() == null ? null : e.site().site(), e.evidence());
            Group g = groups.get(k);
            if (g == null) {
                g = new Group(e, new ArrayList<>(1));
                groups.put(k, g);
            }
            if (seen.add(new Pair(g, e.thread()))) g.threads().add(e.thread().name());
        }
        return new ArrayList<>(groups.values());
    }
}
