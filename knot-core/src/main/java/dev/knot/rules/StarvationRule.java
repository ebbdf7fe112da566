package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.sites.ResourceKind;
import dev.knot.model.Role;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every worker of a bounded pool is blocked waiting for work or units that only that same pool can provide:
 * tasks waiting on futures of tasks queued behind them, or connection-pool borrowers each holding a unit.
 */
final class StarvationRule implements Rule {

    @Override
    public List<Finding> apply(WaitGraph g, Claimed claimed) {
        List<Finding> out = new ArrayList<>();
        List<ThreadNode> ready = new ArrayList<>(); // virtual threads waiting for a carrier: rare, so looked for once
        for (ThreadNode t : g.threads()) {
            if (t.waitsForACarrier() && !claimed.has(t)) ready.add(t);
        }
        for (Map.Entry<String, List<ThreadNode>> pool : ready.isEmpty() ? List.<Map.Entry<String, List<ThreadNode>>>of()
                : g.pools().entrySet()) {
            Finding f = carriersPinned(g, pool.getKey(), pool.getValue(), ready, claimed);
            if (f != null) {
                out.add(f);
                claimed.add(f);
            }
        }
        for (Map.Entry<String, List<ThreadNode>> pool : g.pools().entrySet()) {
            Finding f = executor(g, pool.getKey(), pool.getValue(), claimed);
            if (f != null) {
                out.add(f);
                claimed.add(f);
            }
        }
        Finding f = objectPool(g, claimed);
        if (f != null) {
            out.add(f);
            claimed.add(f);
        }
        return out;
    }

    /**
     * The virtual-thread scheduler starved: every one of its carrier threads carries a virtual thread that waits
     * without unmounting (pinned: inside a class initialiser, in synchronized before JDK 24, in native code), while
     * other virtual threads are ready to run and get no carrier. Whatever those would do (count down the latch the
     * pinned ones wait on …) never happens. Only formats that list unmounted virtual threads (JSON dumps, live) show it.
     */
    private static Finding carriersPinned(WaitGraph g, String pool, List<ThreadNode> workers, List<ThreadNode> ready,
                                          Claimed claimed) {
        if (workers.isEmpty()) return null;
        List<ThreadNode> pinned = new ArrayList<>();
        List<String> story = new ArrayList<>();
        List<Edge> waits = new ArrayList<>();
        for (ThreadNode carrier : workers) {
            String vtId = carrier.dumped().carrierOf();
            if (vtId.isEmpty()) return null; // a free carrier: the ready ones will run
            ThreadNode vt = g.thread("#" + vtId + "v");
            if (vt == null || claimed.has(vt) || !g.stuck(vt)) return null;
            String why = vt.pinnedBecause();
            if (why == null) return null;
            pinned.add(vt);
            waits.add(g.waitOf(vt));
            story.add("\"" + vt.name() + "\" pins carrier \"" + carrier.name() + "\": " + why + ", and "
                    + g.waitOf(vt).mode().verb() + " " + g.waitOf(vt).resource().label() + " at " + Story.where(vt.site()));
        }
        story.add(ready.size() + " virtual thread(s) ready to run get no carrier: " + Story.list(ready));
        List<String> missing = new ArrayList<>();
        missing.add("a dump does not print the scheduler's size: if it may add carriers (jdk.virtualThreadScheduler"
                + ".maxPoolSize above the " + workers.size() + " it has), the ready threads would run on a new one");
        return Evidences.finding(Kind.STARVATION, Certainty.LIKELY, Story.names(pinned),
                "the virtual-thread scheduler " + pool.replaceFirst("/.*", "") + " is starved: all " + workers.size() + " carrier(s) are pinned by"
                        + " waiting virtual threads, and " + ready.size() + " ready virtual thread(s) cannot run",
                story,
                "A virtual thread that waits while pinned keeps its carrier thread; with every carrier kept, no other"
                        + " virtual thread runs, including those that would end the waits (count the latch down, release"
                        + " the lock, complete the result).",
                "Do not block inside a static initialiser on a virtual thread (initialise eagerly, or outside <clinit>);"
                        + " before JDK 24, do not block inside synchronized on virtual threads (use a ReentrantLock), or move"
                        + " to JDK 24+; raising jdk.virtualThreadScheduler.parallelism only hides it.",
                missing, Story.names(ready), waits);
    }

    private static Finding executor(WaitGraph g, String pool, List<ThreadNode> workers, Claimed claimed) {
        if (workers.size() < 2 || claimed.any(workers)) return null;
        List<Edge> waits = new ArrayList<>();
        List<Edge> proofs = new ArrayList<>();
        Set<ThreadNode> workerSet = new HashSet<>(workers);
        for (ThreadNode w : workers) {
            if (!g.stuck(w)) return null; // an idle or running worker could still pick the queued tasks up
            Edge e = g.waitOf(w);
            ResourceKind k = e.resource().kind();
            if (k.owned()) return null;
            for (Edge u : g.unblockers(e.resource())) {
                // only a live proof that the awaited task is queued for this same pool keeps the claim
                if (u.certainty() != Certainty.CERTAIN || u.type() != Edge.Type.CAN_BE_RELEASED_BY
                        || !workerSet.contains(u.thread())) {
                    return null;
                }
                proofs.add(u);
            }
            waits.add(e);
        }
        boolean proven = !proofs.isEmpty() && waits.stream().allMatch(e -> !g.releasersOf(e.resource()).isEmpty());
        if (proven) return provenStarvation(g, pool, workers, waits, proofs);
        // Tasks running outside this pool could complete what the workers wait for.
        List<ThreadNode> outside = new ArrayList<>();
        for (ThreadNode t : g.activeThreads()) {
            if (!workerSet.contains(t)) outside.add(t);
        }
        boolean futures = waits.stream().allMatch(e -> e.resource().kind() == ResourceKind.FUTURE
                || e.resource().kind() == ResourceKind.COMPLETABLE_FUTURE);
        if (!outside.isEmpty() && !futures) return null;
        if (!outside.isEmpty() && outside.stream().anyMatch(StarvationRule::runsATask)) return null;
        List<String> story = new ArrayList<>();
        for (Edge e : waits) story.add(Story.waits(e));
        story.add("all " + workers.size() + " workers of " + pool + " are busy this way; none is free to run another task");
        String why = futures
                ? "The results they wait for come from tasks that have not started: no thread in the dump is running them."
                  + " If those tasks were submitted to this same pool, they wait in its queue for a free worker, and no"
                  + " worker will be free until they complete."
                : "Each worker waits for something only another task can provide, and every thread that could run that"
                  + " task is one of these blocked workers.";
        return Evidences.finding(Kind.STARVATION, Certainty.LIKELY, Story.names(workers),
                "pool " + pool + " is starved: all " + workers.size() + " workers wait for work that needs a free worker",
                story, why,
                "Never block a pool's worker on a task of the same pool: compose asynchronously (thenCompose, callbacks),"
                        + " run nested work on a separate executor, or make the pool unbounded for nested work"
                        + " (ForkJoinPool with ManagedBlocker).",
                List.of("thread dumps do not show executor queues; " + Story.proofHint(g)
                        + " to prove the awaited tasks are queued in this pool"),
                List.of(), waits);
    }

    private static Finding provenStarvation(WaitGraph g, String pool, List<ThreadNode> workers, List<Edge> waits,
                                            List<Edge> proofs) {
        List<String> story = new ArrayList<>();
        for (Edge e : waits) {
            story.add(Story.waits(e));
            for (Edge p : proofs) {
                if (p.resource() == e.resource()) {
                    story.add("    " + p.evidence().get(0).replace("live: \"" + p.thread().name() + "\" ", ""));
                    break;
                }
            }
        }
        for (String n : g.notes(pool)) story.add("executor " + pool + ": " + n);
        List<Edge> edges = new ArrayList<>(waits);
        edges.addAll(proofs);
        return Evidences.finding(Kind.STARVATION, Certainty.CERTAIN, Story.names(workers),
                "pool " + pool + " is starved: all " + workers.size() + " workers wait for tasks queued behind them in"
                        + " the same pool",
                story,
                "Each awaited task is in this pool's queue, and only this pool's workers can run it; every worker is"
                        + " blocked waiting for one of those tasks, so none will ever start.",
                "Never block a pool's worker on a task of the same pool: compose asynchronously (thenCompose, callbacks),"
                        + " run nested work on a separate executor, or size the pool for the nesting.",
                List.of(), List.of(), edges);
    }

    private static boolean runsATask(ThreadNode t) {
        return t.runsTask();
    }

    /**
     * Borrowers of an object pool (commons-pool2, HikariCP, c3p0, … as the catalogue names them), with nobody running
     * who could give an object back. Objects come back only from the threads holding them; a thread waiting to borrow
     * returns nothing while it waits, even when its wait has a timeout (HikariCP's always has), so borrowers do not
     * count as running. Any other running application thread may be a holder about to return one: then no claim.
     */
    private static Finding objectPool(WaitGraph g, Claimed claimed) {
        List<ThreadNode> borrowers = new ArrayList<>();
        List<Edge> waits = new ArrayList<>();
        boolean timed = false;
        Set<ThreadNode> borrowing = new HashSet<>();
        for (ThreadNode t : g.threads()) {
            Edge e = g.waitOf(t);
            if (e != null && !claimed.has(t) && e.resource().kind() == ResourceKind.OBJECT_POOL && t.role() == Role.APPLICATION) {
                borrowers.add(t);
                borrowing.add(t);
                waits.add(e);
                timed |= e.timed();
            }
        }
        if (borrowers.isEmpty()) return null;
        for (ThreadNode t : g.activeThreads()) {
            if (!borrowing.contains(t)) return null;
        }
        List<String> story = new ArrayList<>();
        for (Edge e : waits) story.add(Story.waits(e));
        Set<String> pools = new java.util.LinkedHashSet<>();
        Set<dev.knot.model.Resource> poolResources = new java.util.LinkedHashSet<>();
        for (Edge e : waits) {
            pools.add(e.resource().label());
            poolResources.add(e.resource());
        }
        boolean tracked = false;
        for (dev.knot.model.Resource r : poolResources) {
            for (String n : Story.notes(g, r)) {
                story.add(n);
                tracked |= n.contains("tracking");
            }
        }
        List<String> missing = new ArrayList<>();
        if (tracked) {
            missing.add("tracking saw the pool but could not prove every holder (see the pool's line above): pool tracking"
                    + " is complete for pools created after it started (`-javaagent:knot-agent.jar=track=pools` at start-up)");
        } else if (g.live()) {
            missing.add("who holds pooled objects is not recorded by the pool; load the Knot agent with pool tracking from"
                    + " start-up (`-javaagent:knot-agent.jar=track=pools`), which records each borrow and return");
        } else {
            missing.add("thread dumps do not show which threads hold pooled objects, nor the pool's size; " + Story.proofHint(g));
        }
        if (timed) {
            missing.add("the borrows have a timeout, which a dump does not print: they end when it runs out (with an"
                    + " exception), but nothing is given back before then");
        }
        return Evidences.finding(Kind.STARVATION, Certainty.LIKELY, Story.names(borrowers),
                borrowers.size() + " thread(s) wait to borrow from " + String.join(", ", pools) + " and no thread that could"
                        + " return an object is running" + (timed ? " (until their borrows time out)" : ""),
                story,
                "Objects come back only when a holder returns one; every thread that could be holding one is waiting to"
                        + " borrow (a second object while holding one: a nested borrow), or the objects were leaked.",
                "Do not borrow a second object while holding one (pass the held connection down), size the pool for nested"
                        + " use, always return objects in finally, and keep borrow timeouts short enough to fail fast.",
                missing, List.of(), waits);
    }
}
