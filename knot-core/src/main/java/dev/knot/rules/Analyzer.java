package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.ThreadDump;
import dev.knot.model.GraphBuilder;
import dev.knot.model.WaitGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine: builds the wait-for model of each snapshot and runs every rule. Snapshot rules look at the
 * latest dump (the current state); the stall rule compares all of them.
 */
public final class Analyzer {
    private Analyzer() {
    }

    /** Rules in order of specificity: a thread is reported once, by the first rule that explains it. */
    private static List<Rule> snapshotRules() {
        return List.of(new DeadlockRule(), new SelfDeadlockRule(), new StarvationRule(), new OrphanedLockRule(),
                new ContentionRule(), new BlockingIoRule());
    }

    /** Signs of virtual threads in a text dump, which only shows the mounted ones. */
    static boolean hidesVirtualThreads(ThreadDump d) {
        if (d.format() != dev.knot.snapshot.DumpFormat.JSTACK) return false;
        for (var t : d.threads()) {
            if (t.virtual() || !t.carrierOf().isEmpty() || t.name().equals("VirtualThread-unblocker")
                    || t.name().equals("Read-Poller") || t.name().equals("Write-Poller")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each process's snapshots analysed on their own (a stall is only a stall across dumps of one JVM), as one
     * report that says the inputs came from several processes.
     *
     * @param processes snapshots grouped by process, each group oldest first
     */
    public static Report analyzeApart(List<List<ThreadDump>> processes) {
        if (processes.size() == 1) return analyze(processes.get(0));
        List<ThreadDump> dumps = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (List<ThreadDump> p : processes) {
            Report r = analyze(p);
            dumps.addAll(r.dumps());
            findings.addAll(r.findings());
            warnings.addAll(r.warnings());
            List<String> names = new ArrayList<>();
            for (ThreadDump d : p) names.add(d.source());
            sources.add(String.join(", ", names));
        }
        findings.sort((a, b) -> Boolean.compare(b.kind().hang(), a.kind().hang()));
        warnings.add(0, "the inputs come from " + processes.size() + " different processes (different pid, JVM version or"
                + " JVM threads), analysed each on its own: " + String.join("; ", sources.stream().map(s -> "[" + s + "]").toList()));
        return new Report(dumps, findings, warnings);
    }

    /** @param dumps snapshots of one process, oldest first */
    public static Report analyze(List<ThreadDump> dumps) {
        if (dumps.isEmpty()) throw new IllegalArgumentException("no dumps");
        List<WaitGraph> graphs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (ThreadDump d : dumps) {
            graphs.add(GraphBuilder.build(d));
            for (String w : d.warnings()) warnings.add(d.source() + ": " + w);
        }
        WaitGraph latest = graphs.get(graphs.size() - 1);
        if (hidesVirtualThreads(latest.dump())) {
            warnings.add(latest.dump().source() + ": this JVM runs virtual threads, and this format leaves out every"
                    + " virtual thread that is not mounted; for the full picture take `jcmd <pid> Thread.dump_to_file"
                    + " -format=json <file>` (JDK 21+) or run `knot attach <pid>`");
        }
        Claimed claimed = new Claimed(latest);
        List<Finding> findings = new ArrayList<>();
        for (Rule r : snapshotRules()) {
            findings.addAll(r.apply(latest, claimed));
        }
        List<Finding> stalls = new StallRule().apply(graphs, claimed);
        findings.addAll(stalls);
        // a socket call that made no progress across the dumps is told as a stall; the one-dump note would repeat it
        java.util.Set<String> stalled = new java.util.HashSet<>();
        for (Finding f : stalls) stalled.addAll(f.threads());
        findings.removeIf(f -> f.kind() == dev.knot.findings.Kind.BLOCKING_IO && stalled.containsAll(f.threads()));
        findings.sort((a, b) -> Boolean.compare(b.kind().hang(), a.kind().hang()));
        return new Report(dumps, findings, warnings);
    }
}
