package dev.knot.rules;

import dev.knot.findings.Certainty;
import dev.knot.findings.Evidence;
import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.model.Edge;
import dev.knot.model.Resource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A finding's edges of the model, as the finding's own evidence records (the model stays inside knot-core). */
final class Evidences {
    private Evidences() {
    }

    /** A finding resting on these edges of the model. */
    static Finding finding(Kind kind, Certainty certainty, List<String> threads, String summary, List<String> story,
                           String why, String fix, List<String> missing, List<String> blocked, List<Edge> edges) {
        return new Finding(kind, certainty, threads, summary, story, why, fix, missing, blocked, of(edges));
    }

    static List<Evidence> of(List<Edge> edges) {
        // One subject per resource, so the renderers can tell resources apart by identity as the model does.
        Map<Resource, Evidence.Subject> subjects = new IdentityHashMap<>();
        List<Evidence> out = new ArrayList<>(edges.size());
        for (Edge e : edges) {
            Evidence.Subject s = subjects.computeIfAbsent(e.resource(),
                    r -> new Evidence.Subject(r.kind().jsonName(), r.typeName(), r.objectId(), r.label()));
            out.add(new Evidence(relation(e.type()), e.thread().name(), e.thread().key(), s,
                    e.mode() == null ? null : e.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.timed(),
                    e.certainty(), e.site(), e.evidence()));
        }
        return out;
    }

    private static Evidence.Relation relation(Edge.Type t) {
        return switch (t) {
            case WAITS_FOR -> Evidence.Relation.WAITS_FOR;
            case HELD_BY -> Evidence.Relation.HELD_BY;
            case CAN_BE_RELEASED_BY -> Evidence.Relation.CAN_BE_RELEASED_BY;
        };
    }
}
