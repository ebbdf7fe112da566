package dev.knot.render;

import dev.knot.findings.Evidence;
import dev.knot.findings.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings of one shape, for the renderers meant for people: the same kind and certainty over edges that differ only
 * in their threads and objects (same relations, kinds and classes of resource, modes and code sites). 5,000 two-thread
 * deadlocks from one transfer method read as one story and a list of the other pairs, not 5,000 stories. The JSON
 * report keeps every finding.
 */
final class FindingGroups {
    private FindingGroups() {
    }

    /** The first finding of a shape, and the others of that shape in report order. */
    record Group(Finding first, List<Finding> others) {
    }

    private record EdgeShape(Evidence.Relation relation, String kind, String typeName, String mode, boolean timed, Object certainty,
                             Object site) {
    }

    private record Shape(Object kind, Object certainty, List<EdgeShape> edges) {
    }

    static List<Group> of(List<Finding> findings) {
        Map<Object, Group> groups = new LinkedHashMap<>();
        for (Finding f : findings) {
            List<EdgeShape> edges = new ArrayList<>(f.edges().size());
            for (Evidence e : f.edges()) {
                edges.add(new EdgeShape(e.relation(), e.resource().kind(), e.resource().type(), e.mode(), e.timed(),
                        e.certainty(), e.site() == null ? null : e.site().site()));
            }
            // a finding without edges says nothing comparable: never merged
            Shape s = edges.isEmpty() ? null : new Shape(f.kind(), f.certainty(), edges);
            Group g = s == null ? null : groups.get(s);
            if (g == null) {
                groups.put(s == null ? new Object() : s, new Group(f, new ArrayList<>()));
            } else {
                g.others().add(f);
            }
        }
        return new ArrayList<>(groups.values());
    }

    /** "N more of this shape: "a" and "b"; "c" and "d"; ... and K more", naming at most {@code shown} findings. */
    static String others(Group g, int shown) {
        List<Finding> o = g.others();
        StringBuilder s = new StringBuilder();
        s.append(o.size()).append(" more ").append(o.size() == 1 ? "finding" : "findings")
                .append(" of this same shape (the same kinds of wait at the same lines, other threads and objects): ");
        int n = Math.min(shown, o.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) s.append("; ");
            List<String> t = o.get(i).threads();
            s.append(t.size() <= 3 ? "\"" + String.join("\", \"", t) + "\""
                    : "\"" + String.join("\", \"", t.subList(0, 3)) + "\" and " + (t.size() - 3) + " more");
        }
        if (n < o.size()) s.append("; and ").append(o.size() - n).append(" more (all in the JSON report)");
        return s.toString();
    }
}
