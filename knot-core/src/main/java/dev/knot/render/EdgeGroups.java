package dev.knot.render;

import dev.knot.findings.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;

/**
 * A finding's evidence with identical waits collapsed: entries that differ only in their thread (same relation,
 * resource, mode, timeout, certainty, site and evidence) render once, with every thread's name. Ten thousand
 * threads queued on one lock are one entry, not ten thousand.
 */
final class EdgeGroups {
    private EdgeGroups() {
    }

    /** One rendered edge: the first of its kind, and the names of all threads that share it (in order). */
    record Group(Evidence edge, List<String> threads) {
    }

    private record Key(Evidence.Relation relation, Object resource, String mode, boolean timed, Object certainty, Object site,
                       List<String> evidence) {
    }

    /** A group by identity and a thread by its key (names repeat; keys are unique in a snapshot). */
    private record Pair(Group group, String threadKey) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.group == group && p.threadKey.equals(threadKey);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(group) + threadKey.hashCode();
        }
    }

    static List<Group> of(List<Evidence> edges) {
        Map<Key, Group> groups = new LinkedHashMap<>();
        Set<Pair> seen = new HashSet<>(); // a thread listed twice in one group (an edge repeated) is named once
        for (Evidence e : edges) {
            Key k = new Key(e.relation(), e.resource(), e.mode(), e.timed(), e.certainty(),
                    e.site() == null ? null : e.site().site(), e.evidence());
            Group g = groups.get(k);
            if (g == null) {
                g = new Group(e, new ArrayList<>(1));
                groups.put(k, g);
            }
            if (seen.add(new Pair(g, e.threadKey()))) g.threads().add(e.thread());
        }
        return new ArrayList<>(groups.values());
    }
}
