package dev.knot.model;

import dev.knot.sites.ResourceKind;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One snapshot as a wait-for graph: threads, the resources they wait for or hold, and the edges between
 * them, each with evidence and certainty. Built by {@link GraphBuilder}; read by the rules.
 */
public final class WaitGraph {

    private final ThreadDump dump;
    private final List<ThreadNode> threads;
    private final Map<String, ThreadNode> byKey = new HashMap<>();
    private final Map<String, Resource> resources;
    private final List<Edge> edges;
    private final Map<ThreadNode, Edge> waitOf = new HashMap<>();
    private final Map<ThreadNode, List<Edge>> holdsOf = new HashMap<>();
    private final Map<Resource, List<Edge>> holdersOf = new HashMap<>();
    private final Map<Resource, List<Edge>> waitersOf = new HashMap<>();
    private final Map<Resource, List<Edge>> releasersOf = new HashMap<>();
    private final Map<String, List<ThreadNode>> pools = new LinkedHashMap<>();
    private final boolean ownersListed;
    private final Map<String, List<String>> notes;
    private final java.util.Set<Resource> holdersComplete;
    private final Map<Resource, String> releasersComplete;
    private final Map<String, ThreadNode> threadObjects;

    WaitGraph(ThreadDump dump, List<ThreadNode> threads, Map<String, Resource> resources, List<Edge> edges,
              boolean ownersListed, Map<String, List<String>> notes, java.util.Set<Resource> holdersComplete,
              Map<Resource, String> releasersComplete, Map<String, ThreadNode> threadObjects) {
        this.threadObjects = Map.copyOf(threadObjects);
        this.notes = Map.copyOf(notes);
        this.releasersComplete = Map.copyOf(releasersComplete);
        this.holdersComplete = java.util.Set.copyOf(holdersComplete);
        this.dump = dump;
        this.threads = List.copyOf(threads);
        this.resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        this.edges = List.copyOf(edges);
        this.ownersListed = ownersListed;
        for (ThreadNode t : threads) {
            byKey.put(t.key(), t);
            if (!t.pool().isEmpty()) pools.computeIfAbsent(t.pool(), k -> new ArrayList<>()).add(t);
        }
        for (Edge e : edges) {
            switch (e.type()) {
                case WAITS_FOR:
                    waitOf.put(e.thread(), e);
                    waitersOf.computeIfAbsent(e.resource(), k -> new ArrayList<>()).add(e);
                    break;
                case HELD_BY:
                    holdsOf.computeIfAbsent(e.thread(), k -> new ArrayList<>()).add(e);
                    holdersOf.computeIfAbsent(e.resource(), k -> new ArrayList<>()).add(e);
                    break;
                case CAN_BE_RELEASED_BY:
                    releasersOf.computeIfAbsent(e.resource(), k -> new ArrayList<>()).add(e);
                    break;
                default:
                    throw new IllegalStateException(e.type().toString());
            }
        }
    }

    public ThreadDump dump() {
        return dump;
    }

    public List<ThreadNode> threads() {
        return threads;
    }

    public ThreadNode thread(String key) {
        return byKey.get(key);
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public List<Edge> edges() {
        return edges;
    }

    /** The thread's wait, or null if it is not waiting for a resource. */
    public Edge waitOf(ThreadNode t) {
        return waitOf.get(t);
    }

    public List<Edge> holdsOf(ThreadNode t) {
        return holdsOf.getOrDefault(t, List.of());
    }

    public List<Edge> holdersOf(Resource r) {
        return holdersOf.getOrDefault(r, List.of());
    }

    public List<Edge> waitersOf(Resource r) {
        return waitersOf.getOrDefault(r, List.of());
    }

    public List<Edge> releasersOf(Resource r) {
        return releasersOf.getOrDefault(r, List.of());
    }

    /** Pools by name, each with its worker threads in dump order. */
    public Map<String, List<ThreadNode>> pools() {
        return pools;
    }

    /**
     * True when the input says who owns j.u.c locks (jstack -l, a live snapshot), so an exclusive lock
     * with no listed owner really has no live platform owner.
     */
    public boolean ownersListed() {
        return ownersListed;
    }

    /** True when the input lists who holds this resource: it lists owners, and this kind of lock is one it lists. */
    public boolean ownersListed(Resource r) {
        return ownersListed && r.ownerListed();
    }

    /** What a live snapshot recorded about an object or a pool (by id or pool name): permits, counts, sizes. */
    public List<String> notes(String objectIdOrPool) {
        return notes.getOrDefault(objectIdOrPool, List.of());
    }

    /** A live snapshot saw every holder of this resource (its certain held-by edges are all there is). */
    public boolean holdersComplete(Resource r) {
        return holdersComplete.contains(r);
    }

    /**
     * Why the certain can-be-released-by edges of this resource name every thread that could release it (what
     * tracking saw, e.g. "tracked since the JVM started: only these threads ever took from …"), or null.
     */
    public String releasersComplete(Resource r) {
        return releasersComplete.get(r);
    }

    /** The thread whose end a join on this resource waits for (a live snapshot matched its Thread object), or null. */
    public ThreadNode joinedThread(Resource r) {
        return r.kind() == ResourceKind.THREAD_EXIT ? threadObjects.get(r.key()) : null;
    }

    /** True for a live snapshot, where permits, read locks and runners are facts rather than inferences. */
    public boolean live() {
        return dump.format() == dev.knot.snapshot.DumpFormat.LIVE;
    }

    /** Owned resources: their holders; others: their known releasers. The threads a waiter depends on. */
    public List<Edge> unblockers(Resource r) {
        List<Edge> h = holdersOf(r);
        List<Edge> rel = releasersOf(r);
        if (rel.isEmpty()) return h;
        if (h.isEmpty()) return rel;
        List<Edge> all = new ArrayList<>(h);
        all.addAll(rel);
        return all;
    }

    /** Waiting without a timeout in application code: will not move unless someone else acts. */
    public boolean stuck(ThreadNode t) {
        Edge w = waitOf(t);
        return w != null && !w.timed() && t.role() == Role.APPLICATION;
    }

    /**
     * Could this thread, as the dump shows it, go on to release something? Running application code, or in
     * a timed wait that will return. Sleeping, idle, system and stuck threads cannot, for now.
     */
    public boolean active(ThreadNode t) {
        if (t.role() != Role.APPLICATION) return false;
        if (stuck(t)) return false;
        if (t.sleeping()) return false;
        return t.state() == ThreadState.RUNNABLE || t.state() == ThreadState.TIMED_WAITING
                || t.state() == ThreadState.UNKNOWN && !t.frames().isEmpty();
    }

    /** Threads that could still release something (see {@link #active}); computed once. */
    public List<ThreadNode> activeThreads() {
        List<ThreadNode> a = active;
        if (a == null) {
            List<ThreadNode> out = new ArrayList<>();
            for (ThreadNode t : threads) {
                if (active(t)) out.add(t);
            }
            active = a = List.copyOf(out);
        }
        return a;
    }

    private List<ThreadNode> active;

    /** The format and version, for "how to get better evidence" hints. */
    public boolean mayHideVirtualThreads() {
        if (live()) return !notes(dev.knot.snapshot.LiveFact.JVM).contains(dev.knot.snapshot.LiveFact.ALL_VIRTUAL_THREADS_LISTED);
        String v = dump.jvmVersion();
        boolean textFormat = dump.format() == dev.knot.snapshot.DumpFormat.JSTACK
                || dump.format() == dev.knot.snapshot.DumpFormat.THREADINFO_TEXT
                || dump.format() == dev.knot.snapshot.DumpFormat.ACTUATOR_JSON;
        return textFormat && !v.isEmpty() && featureVersion(v) >= 21 || textFormat && v.isEmpty();
    }

    static int featureVersion(String v) {
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        if (end == 0) return -1;
        int major = Integer.parseInt(v.substring(0, end));
        if (major == 1 && v.length() > 2) { // 1.8.0_292
            int e2 = 2;
            while (e2 < v.length() && Character.isDigit(v.charAt(e2))) e2++;
            return e2 > 2 ? Integer.parseInt(v.substring(2, e2)) : major;
        }
        return major;
    }
}
