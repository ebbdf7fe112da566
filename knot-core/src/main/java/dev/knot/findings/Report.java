package dev.knot.findings;

import dev.knot.snapshot.ThreadDump;
import java.util.List;

/**
 * What one analysis produced: the findings and what was read to get them.
 *
 * @param dumps    the snapshots analysed, oldest first
 * @param findings hangs first, then contention and stalls
 * @param warnings what was skipped while reading the inputs
 */
public record Report(List<ThreadDump> dumps, List<Finding> findings, List<String> warnings) {

    public Report {
        dumps = List.copyOf(dumps);
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
    }

    public boolean hangFound() {
        return findings.stream().anyMatch(f -> f.kind().hang());
    }
}
