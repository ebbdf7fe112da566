package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.model.WaitGraph;
import java.util.List;

/** One kind of problem, looked for in one snapshot. */
interface Rule {
    /**
     * @param graph   the snapshot
     * @param claimed threads already explained by an earlier rule; a rule does not report them again
     */
    List<Finding> apply(WaitGraph graph, Claimed claimed);
}
