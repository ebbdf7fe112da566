package dev.knot.model;

import dev.knot.sites.ResourceKind;
import dev.knot.sites.WaitMode;
import dev.knot.findings.Certainty;
import dev.knot.sites.Frames;
import dev.knot.sites.WaitSites;
import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import dev.knot.snapshot.InTwo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a dump says into the wait-for model: which resource each thread waits for, what it holds,
 * and, where the dump is silent, what can be inferred (marked {@link Certainty#LIKELY}).
 */
public final class GraphBuilder {

    private final ThreadDump dump;
    private final boolean ownersListed;
    private final List<ThreadNode> threads = new ArrayList<>();
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Map<String, List<String>> notes = new HashMap<>();
    private final Set<Resource> holdersComplete = new HashSet<>();
    private final Map<Resource, String> releasersComplete = new HashMap<>();
    private final Map<String, ThreadNode> threadObjects = new HashMap<>();

    /** See {@link #inferUnlistedOwners()}. */
    static final int MAX_LOCKS_FOR_OWNER_INFERENCE = 64;

    private GraphBuilder(ThreadDump dump) {
        this.dump = dump;
        // From what the input carries, never from its format: a live snapshot without reflection may lack them too.
        this.ownersListed = dump.listsOwnableSynchronizers();
    }

    public static WaitGraph build(ThreadDump dump) {
        return new GraphBuilder(dump).run();
    }

    private WaitGraph run() {
        List<DumpedThread> dumped = dump.threads();
        Reading[] readings = new Reading[dumped.size()];
        // Each thread's stack is read on its own (roles, pools, what it holds and waits for), so big dumps
        // share that work between two cores; resources and edges are then made in thread order, as one pass would.
        InTwo.forEach(dumped.size(), PARALLEL_THRESHOLD, i -> readings[i] = Reading.of(dumped.get(i)));
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < dumped.size(); i++) {
            DumpedThread d = dumped.get(i);
            String name = d.name().isEmpty() && d.virtual() ? "virtual thread #" + d.id() : d.name();
            String key = d.id().isEmpty() ? name : "#" + d.id() + (d.virtual() ? "v" : "");
            int n = seen.merge(key, 1, Integer::sum);
            if (n > 1) key = key + "~" + n;
            threads.add(new ThreadNode(key, name, readings[i].role, readings[i].pool, d));
        }
        for (int i = 0; i < threads.size(); i++) {
            ThreadNode t = threads.get(i);
            for (Claim c : readings[i].claims) add(t, c);
        }
        applyFacts();
        inferUnlistedOwners();
        resolveClassInitWaits();
        inferClassInitWaits();
        inferReleasersBlockedBehindWaiter();
        return new WaitGraph(dump, threads, resources, edges, ownersListed, notes, holdersComplete, releasersComplete,
                threadObjects);
    }

    /** Below this many threads a second thread costs more than it saves. */
    static final int PARALLEL_THRESHOLD = 2_000;

    /**
     * What one thread's stack says it holds or waits for, before resources are shared between threads.
     *
     * @param classInit the class whose initialisation this is about, or null for an object's resource
     * @param ref       the object; null for a park without a blocker (the thread's own placeholder)
     * @param ownerListed     whether {@code jstack -l} would list the resource's holder (see {@link Resource#ownerListed})
     * @param placeholderType for a park without a blocker, the class the catalogue names it by
     */
    private record Claim(Edge.Type type, ResourceKind kind, ObjectRef ref, String objectId, String classInit,
                         WaitMode mode, boolean timed, StackFrame site, List<String> evidence, boolean ownerListed,
                         String placeholderType) {
        Claim(Edge.Type type, ResourceKind kind, ObjectRef ref, String objectId, String classInit,
              WaitMode mode, boolean timed, StackFrame site, List<String> evidence) {
            this(type, kind, ref, objectId, classInit, mode, timed, site, evidence, true, "");
        }
    }

    /** Everything worked out from one thread alone: safe to compute for many threads at once. */
    private record Reading(Role role, String pool, List<Claim> claims) {
        static Reading of(DumpedThread d) {
            List<Claim> claims = new ArrayList<>(2);
            holds(d, claims);
            waits(d, claims);
            return new Reading(Roles.classify(d), Pools.poolOf(d), claims);
        }
    }

    private void add(ThreadNode t, Claim c) {
        Resource r;
        if (c.classInit() != null) {
            r = classInit(c.classInit());
        } else if (c.ref() == null) {
            r = resource(c.kind(), new ObjectRef("park:" + t.key(), c.placeholderType()), "", c.ownerListed());
        } else {
            r = resource(c.kind(), c.ref(), c.objectId(), c.ownerListed());
        }
        edges.add(new Edge(c.type(), t, r, c.mode(), c.timed(), Certainty.CERTAIN, c.site(), c.evidence()));
    }

    // ---- holds ----------------------------------------------------------------------------------

    private static void holds(DumpedThread d, List<Claim> out) {
        List<StackFrame> frames = d.frames();
        Set<String> waitingOn = null;
        for (int fi = 0; fi < frames.size(); fi++) {
            List<LockLine> locks = frames.get(fi).locks();
            for (int li = 0; li < locks.size(); li++) {
                LockLine l = locks.get(li);
                // in Object.wait() or re-entering after it: either way the monitor is released, whatever "locked" says
                if (l.action() != LockLine.Action.WAITING_ON && l.action() != LockLine.Action.WAITING_TO_RELOCK) continue;
                if (waitingOn == null) waitingOn = new HashSet<>();
                waitingOn.add(l.object().id());
                // jstack may print "<no object reference available>" for the object: join waits on the Thread it locked
                ObjectRef joined = l.object().id().equals("?") ? Frames.joinedThread(frames) : null;
                if (joined != null) waitingOn.add(joined.id());
            }
        }
        Set<String> done = null;
        for (int fi = 0; fi < frames.size(); fi++) {
            StackFrame f = frames.get(fi);
            List<LockLine> locks = f.locks();
            for (int li = 0; li < locks.size(); li++) {
                LockLine l = locks.get(li);
                if (l.action() != LockLine.Action.LOCKED) continue;
                String id = l.object().id();
                // Object.wait() releases the monitor; jstack still prints "locked" for the frame that entered it.
                if (waitingOn != null && waitingOn.contains(id) || id.equals("?")) continue;
                if (done == null) done = new HashSet<>();
                if (!done.add(id)) continue;
                out.add(new Claim(Edge.Type.HELD_BY, ResourceKind.MONITOR, l.object(), id, null, null, false, f,
                        List.of(f.text(), l.text())));
            }
            if (f.method().equals("<clinit>")) {
                if (done == null) done = new HashSet<>();
                if (done.add("class:" + f.className())) {
                    out.add(new Claim(Edge.Type.HELD_BY, ResourceKind.CLASS_INIT, null, "", f.className(), null, false, f,
                            List.of(f.text() + "   (this thread is running the class initialiser)")));
                }
            }
        }
        List<ObjectRef> owned = d.ownableSynchronizers();
        if (owned != null) {
            for (ObjectRef o : owned) {
                out.add(new Claim(Edge.Type.HELD_BY, WaitSites.ownableKind(o.className()), o, o.id(), null, null, false,
                        null, List.of("Locked ownable synchronizers: - " + o)));
            }
        }
    }

    // ---- waits ----------------------------------------------------------------------------------

    private static void waits(DumpedThread d, List<Claim> out) {
        List<StackFrame> frames = d.frames();
        boolean timed = d.state() == ThreadState.TIMED_WAITING || WaitSites.timed(frames);
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            List<LockLine> locks = f.locks();
            for (int li = 0; li < locks.size(); li++) {
                LockLine l = locks.get(li);
                switch (l.action()) {
                    case WAITING_TO_LOCK:
                    case WAITING_TO_RELOCK: {
                        WaitMode m = l.action() == LockLine.Action.WAITING_TO_LOCK ? WaitMode.LOCK : WaitMode.RELOCK;
                        out.add(waitClaim(d, ResourceKind.MONITOR, l.object(), l.object().id(), null, m, false, f, f.text(), l.text()));
                        return;
                    }
                    case CLASS_INIT: {
                        out.add(waitClaim(d, ResourceKind.CLASS_INIT, null, "", l.object().id(), WaitMode.INIT, false, f, f.text(), l.text()));
                        return;
                    }
                    case WAITING_ON: {
                        if (l.object().className().equals("java.lang.Thread") || Frames.near(frames, 6, "java.lang.Thread", "join")) {
                            ObjectRef joined = Frames.joinedThread(frames);
                            ObjectRef t = joined != null ? joined : l.object();
                            out.add(waitClaim(d, ResourceKind.THREAD_EXIT, t, t.id(), null, WaitMode.JOIN,
                                    timed, f, f.text(), l.text()));
                            return;
                        }
                        ObjectRef signal = new ObjectRef("wait:" + l.object().id(), l.object().className());
                        // a library waiting in Object.wait (Netty's DefaultPromise.await, c3p0 before 0.10): its entry names it
                        WaitSites.Wait lib = Blockers.classify(l.object().className(), frames);
                        if (lib != null && lib.frame() != null && lib.site().library().indexOf("JDK") < 0
                                && lib.kind() != ResourceKind.UNKNOWN_PARK) {
                            out.add(parkClaim(d, lib, new ObjectRef(signal.id(), lib.typeName()), l.object().id(), timed, f,
                                    f.text(), l.text()));
                            return;
                        }
                        out.add(waitClaim(d, ResourceKind.CONDITION, signal, l.object().id(), null, WaitMode.NOTIFY, timed, f,
                                f.text(), l.text()));
                        return;
                    }
                    case PARKING: {
                        WaitSites.Wait c = Blockers.classify(l.object().className(), frames);
                        if (c == null) return; // idle pool/scheduler park: not a wait on a resource
                        ObjectRef o = c.typeName().equals(l.object().className()) ? l.object()
                                : new ObjectRef(l.object().id(), c.typeName());
                        out.add(parkClaim(d, c, o, timed, f, f.text(), l.text()));
                        return;
                    }
                    default:
                        break;
                }
            }
        }
        // A park with no printed blocker, or a class-initialisation wait on JDK 17 ("in Object.wait()" while RUNNABLE)
        if (!frames.isEmpty() && d.state() != ThreadState.RUNNABLE) {
            StackFrame top = frames.get(0);
            if (top.method().equals("park") && top.className().endsWith("Unsafe")) {
                WaitSites.Wait c = Blockers.classify("", frames);
                if (c != null) out.add(parkClaim(d, c, null, timed, top, top.text() + "   (no blocker object printed)"));
            }
        } else if (!frames.isEmpty() && d.stateDetail().contains("Object.wait()")
                && !Frames.near(frames, 3, "java.lang.Object", "wait") && !Frames.near(frames, 3, "java.lang.Object", "wait0")) {
            // JDK 17 prints a thread blocked on another thread's class initialisation as RUNNABLE "in Object.wait()"
            // with the frame that touched the class on top and no lock line.
            StackFrame top = frames.get(0);
            out.add(waitClaim(d, ResourceKind.CLASS_INIT, null, "", Blockers.classBeingInitialised(frames), WaitMode.INIT, false,
                    top, d.headerLine(), top.text()
                            + "   (RUNNABLE \"in Object.wait()\" outside Object.wait: waiting for a class initialiser)"));
        }
    }

    /** A park the catalogue read: a library's wait site is named in the evidence (the JDK's speak for themselves). */
    private static Claim parkClaim(DumpedThread d, WaitSites.Wait c, ObjectRef o, boolean timed, StackFrame f, String... ev) {
        return parkClaim(d, c, o, o == null ? "" : o.id(), timed, f, ev);
    }

    /** @param objectId the object's id as printed (a key may carry a prefix, as a monitor's wait resource does) */
    private static Claim parkClaim(DumpedThread d, WaitSites.Wait c, ObjectRef o, String objectId, boolean timed, StackFrame f,
                                   String... ev) {
        Claim w = waitClaim(d, c.kind(), o, objectId, null, c.mode(), timed, f, ev);
        List<String> evidence = w.evidence();
        if (c.site() != null && c.frame() != null && !c.site().library().equals("JDK") && !c.site().library().equals("any")) {
            evidence.add(c.frame().text() + "   (" + c.site().library() + ": " + c.mode().verb() + " " + c.kind().noun() + ")");
        }
        return new Claim(w.type(), w.kind(), o, w.objectId(), null, w.mode(), w.timed(), w.site(), evidence, c.ownerListed(),
                o == null ? c.typeName() : "");
    }

    private static Claim waitClaim(DumpedThread d, ResourceKind kind, ObjectRef ref, String objectId, String classInit,
                                   WaitMode mode, boolean timed, StackFrame f, String... ev) {
        List<String> evidence = new ArrayList<>(ev.length + 1);
        evidence.add("java.lang.Thread.State: " + d.state() + (d.stateDetail().isEmpty() ? "" : " (" + d.stateDetail() + ")"));
        evidence.addAll(Arrays.asList(ev));
        StackFrame site = Frames.applicationSite(d.frames());
        return new Claim(Edge.Type.WAITS_FOR, kind, ref, objectId, classInit, mode, timed, site != null ? site : f, evidence);
    }

    // ---- what a live snapshot proved ---------------------------------------------------------------

    /** Live facts become CERTAIN edges: permit and read-lock holders, task runners, queued-for workers, queue consumers. */
    private void applyFacts() {
        if (dump.facts().isEmpty()) return;
        Map<String, ThreadNode> byId = new HashMap<>();
        for (ThreadNode t : threads) byId.putIfAbsent(t.dumped().id(), t);
        // A fact repeated (once per waiter, by an older agent or a fact source) counts once: the copies would
        // otherwise multiply with the waiters below.
        Set<LiveFact> distinct = new HashSet<>();
        for (LiveFact f : dump.facts()) {
            if (!distinct.add(f)) continue;
            if (f.kind() == LiveFact.Kind.STATE) {
                notes.computeIfAbsent(f.objectId(), k -> new ArrayList<>()).add(f.detail());
                continue;
            }
            if (f.kind() == LiveFact.Kind.THREAD_OBJECT) {
                ThreadNode t = byId.get(f.threadId());
                if (t != null) threadObjects.put(f.objectId(), t);
                continue;
            }
            Resource r = resources.get(f.objectId());
            if (r == null) {
                int at = f.objectId().lastIndexOf('@');
                String cls = at > 0 ? f.objectId().substring(0, at) : f.objectId();
                WaitSites.Wait c = Blockers.classify(cls, List.of());
                r = resource(c == null ? ResourceKind.UNKNOWN_PARK : c.kind(), new ObjectRef(f.objectId(), cls), f.objectId(),
                        c == null || c.ownerListed());
            }
            if (f.kind() == LiveFact.Kind.HOLDERS_COMPLETE) {
                holdersComplete.add(r);
                continue;
            }
            if (f.kind() == LiveFact.Kind.RELEASERS_COMPLETE) {
                releasersComplete.put(r, f.detail());
                continue;
            }
            ThreadNode t = byId.get(f.threadId());
            if (t == null) continue;
            Edge.Type type = f.kind() == LiveFact.Kind.HOLDS ? Edge.Type.HELD_BY : Edge.Type.CAN_BE_RELEASED_BY;
            edges.add(new Edge(type, t, r, null, false, Certainty.CERTAIN, null,
                    List.of("live: \"" + t.name() + "\" " + f.detail())));
        }
        if (notes.isEmpty()) return;
        // state notes become part of the waits' evidence: their lines are made once per resource, then shared
        Map<Resource, List<String>> lines = new IdentityHashMap<>();
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            if (e.type() != Edge.Type.WAITS_FOR) continue;
            List<String> n = lines.computeIfAbsent(e.resource(), r -> {
                List<String> ns = notes.get(r.key());
                if (ns == null) return List.of();
                List<String> out = new ArrayList<>(ns.size());
                for (String s : ns) out.add("live: " + r.label() + ": " + s);
                return out;
            });
            if (n.isEmpty()) continue;
            List<String> ev = new ArrayList<>(e.evidence().size() + n.size());
            ev.addAll(e.evidence());
            ev.addAll(n);
            edges.set(i, new Edge(e.type(), e.thread(), e.resource(), e.mode(), e.timed(), e.certainty(), e.site(), ev));
        }
    }

    // ---- inference where the input is silent ------------------------------------------------------

    /**
     * Exclusive locks whose owner the format does not print (jstack without -l, JSON dumps): the owner must
     * be some other thread stuck on another such lock, if any are. Links them as LIKELY holders so a cycle
     * among them shows up; with -l (owners listed) only for locks no dump lists holders of (StampedLock).
     */
    private void inferUnlistedOwners() {
        Map<Resource, Set<ThreadNode>> waitersByLock = new LinkedHashMap<>();
        for (Edge e : edges) {
            // with -l only the locks no dump lists holders of (StampedLock, library locks) are left to guess
            if (e.type() == Edge.Type.WAITS_FOR && !e.timed() && isExclusiveWait(e) && !(ownersListed && e.resource().ownerListed())) {
                waitersByLock.computeIfAbsent(e.resource(), k -> new LinkedHashSet<>()).add(e.thread());
            }
        }
        // Beyond a few dozen such locks the guess "one of the others holds it" says nothing, and costs locks × waiters.
        if (waitersByLock.size() < 2 || waitersByLock.size() > MAX_LOCKS_FOR_OWNER_INFERENCE) return;
        Set<Resource> withHolder = new HashSet<>();
        for (Edge e : edges) {
            if (e.type() == Edge.Type.HELD_BY) withHolder.add(e.resource());
        }
        List<ThreadNode> candidates = new ArrayList<>();
        for (Set<ThreadNode> w : waitersByLock.values()) candidates.addAll(w);
        for (Map.Entry<Resource, Set<ThreadNode>> en : waitersByLock.entrySet()) {
            Resource lock = en.getKey();
            if (withHolder.contains(lock)) continue;
            for (ThreadNode c : candidates) {
                if (en.getValue().contains(c)) continue;
                edges.add(new Edge(Edge.Type.HELD_BY, c, lock, null, false, Certainty.LIKELY, null,
                        List.of("owner not printed by this format; " + c.name()
                                + " is one of the threads stuck on another lock and may hold it")));
            }
        }
    }

    /**
     * A thread cannot run code of a class another thread is initialising: it blocks at the first call into it. So a
     * thread whose top frame is in class C (or in a lambda of C's, which calls C's static lambda body), while another
     * thread is inside C's {@code <clinit>}, waits for C's initialisation. JDK 17 text prints such a thread as RUNNABLE
     * "in Object.wait()" without naming the class (the model keeps "a class used at …" for it): here it gets the
     * class. JSON dumps print nothing of the wait at all (the thread looks RUNNABLE in C): here it gets a LIKELY wait,
     * as it does when a parallel stream's workers run lambdas of the class whose initialiser waits for them.
     */
    private void resolveClassInitWaits() {
        Map<String, ThreadNode> initialising = new HashMap<>();
        for (Edge e : edges) {
            if (e.type() == Edge.Type.HELD_BY && e.resource().kind() == ResourceKind.CLASS_INIT) {
                initialising.putIfAbsent(e.resource().typeName(), e.thread());
            }
        }
        if (initialising.isEmpty()) return;
        Set<ThreadNode> waiting = new HashSet<>();
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            if (e.type() != Edge.Type.WAITS_FOR) continue;
            waiting.add(e.thread());
            if (e.resource().kind() != ResourceKind.CLASS_INIT || !e.resource().typeName().startsWith("(")) continue;
            String c = classOfCode(e.thread().frames().get(0).className());
            ThreadNode holder = initialising.get(c);
            if (holder == null || holder == e.thread()) continue;
            List<String> ev = new ArrayList<>(e.evidence());
            ev.add("\"" + holder.name() + "\" is running the initialiser of " + c + ", the class of the top frame");
            edges.set(i, new Edge(e.type(), e.thread(), classInit(c), e.mode(), e.timed(), e.certainty(), e.site(), ev));
        }
        if (dump.format() == DumpFormat.JSTACK) return; // jstack and Thread.print print the wait itself
        String streamClass = null;
        boolean streamLooked = false;
        for (ThreadNode t : threads) {
            if (t.state() != ThreadState.RUNNABLE || t.frames().isEmpty() || waiting.contains(t)) continue;
            StackFrame top = t.frames().get(0);
            if (top.method().equals("<clinit>")) continue; // an initialiser of its own: see inferClassInitWaits
            String c = classOfCode(top.className());
            ThreadNode holder = initialising.get(c);
            if (holder != null && holder != t && !onStack(t, c)) {
                edges.add(new Edge(Edge.Type.WAITS_FOR, t, classInit(c), WaitMode.INIT, false, Certainty.LIKELY, top,
                        List.of(top.text() + "   (RUNNABLE in " + c + " while \"" + holder.name() + "\" runs its static"
                                + " initialiser: no other thread can run the class's code before that ends; this format"
                                + " does not print class-initialisation waits)")));
                continue;
            }
            if (!WaitSites.atAParallelStreamsLambdaCall(t.frames())) continue;
            if (!streamLooked) {
                streamClass = streamStartedInInitialiser(initialising);
                streamLooked = true;
            }
            if (streamClass != null) {
                ThreadNode starter = initialising.get(streamClass);
                edges.add(new Edge(Edge.Type.WAITS_FOR, t, classInit(streamClass), WaitMode.INIT, false, Certainty.LIKELY, top,
                        List.of(top.text() + "   (a parallel stream's worker RUNNABLE where the stream calls its lambda,"
                                + " while \"" + starter.name() + "\" waits for that stream inside the static initialiser of "
                                + streamClass + ": the lambda is most likely " + streamClass + "'s, which no other thread can"
                                + " run before the initialiser ends; this format shows neither the lambda's frame nor"
                                + " class-initialisation waits)")));
            }
        }
    }

    /**
     * The one class whose initialiser started a parallel stream and waits for it (untimed, on its ForkJoin task), or
     * null if none or several.
     */
    private String streamStartedInInitialiser(Map<String, ThreadNode> initialising) {
        String found = null;
        for (Map.Entry<String, ThreadNode> en : initialising.entrySet()) {
            ThreadNode h = en.getValue();
            Edge w = null;
            for (Edge e : edges) {
                if (e.thread() == h && e.type() == Edge.Type.WAITS_FOR) w = e;
            }
            if (w == null || w.timed() || w.resource().kind() != ResourceKind.FUTURE) continue;
            List<StackFrame> f = h.frames();
            for (int i = 0; i < f.size(); i++) {
                if (f.get(i).method().equals("<clinit>") && f.get(i).className().equals(en.getKey())) {
                    if (WaitSites.runsAStreamAbove(f, i)) {
                        if (found != null) return null;
                        found = en.getKey();
                    }
                    break;
                }
            }
        }
        return found;
    }

    /** {@code app.Config$$Lambda/0x…} (a lambda's hidden class) → {@code app.Config}: whose code it runs. */
    private static String classOfCode(String className) {
        int lambda = className.indexOf("$$Lambda");
        return lambda > 0 ? className.substring(0, lambda) : className;
    }

    /** The thread has entered the class's code further down, so it is past the initialisation check. */
    private static boolean onStack(ThreadNode t, String c) {
        List<StackFrame> f = t.frames();
        for (int i = 1; i < f.size(); i++) {
            if (classOfCode(f.get(i).className()).equals(c)) return true;
        }
        return false;
    }

    /**
     * JSON dumps do not print class-initialisation waits: such a thread shows as RUNNABLE with a
     * {@code <clinit>} frame on top. If several threads are like that, each most likely waits for a class
     * another one is initialising.
     */
    private void inferClassInitWaits() {
        if (dump.format() == DumpFormat.JSTACK) return;
        List<ThreadNode> inInit = new ArrayList<>();
        for (ThreadNode t : threads) {
            if (t.state() == ThreadState.RUNNABLE && !t.frames().isEmpty() && t.frames().get(0).method().equals("<clinit>")
                    && !hasWait(t)) {
                inInit.add(t);
            }
        }
        if (inInit.size() < 2) return;
        for (ThreadNode t : inInit) {
            StackFrame top = t.frames().get(0);
            Resource r = classInit("(a class used at " + top.location() + ")");
            edges.add(new Edge(Edge.Type.WAITS_FOR, t, r, WaitMode.INIT, false, Certainty.LIKELY, top,
                    List.of(top.text() + "   (RUNNABLE on a static initialiser's line while other threads are in static"
                            + " initialisers: this format does not print class-initialisation waits)")));
            for (ThreadNode other : inInit) {
                if (other == t) continue;
                for (Edge h : new ArrayList<>(edges)) {
                    if (h.type() == Edge.Type.HELD_BY && h.thread() == other && h.resource().kind() == ResourceKind.CLASS_INIT) {
                        edges.add(new Edge(Edge.Type.HELD_BY, other, r, null, false, Certainty.LIKELY, h.site(),
                                List.of("\"" + other.name() + "\" is initialising " + h.resource().typeName()
                                        + ", possibly the class " + t.name() + " needs")));
                    }
                }
            }
        }
    }

    /**
     * A thread waiting (without timeout) for a signal nobody is known to give, while holding a lock that other
     * threads are blocked on: whoever would give the signal is most likely among those blocked threads (a
     * notifier that must take the lock first, consumers that need the producer's lock). Recorded as LIKELY
     * can-be-released-by edges, which close the cycle the deadlock rule reports.
     */
    private void inferReleasersBlockedBehindWaiter() {
        Set<Resource> unblocked = new HashSet<>();
        Map<ThreadNode, List<Edge>> certainHolds = new HashMap<>();
        Map<Resource, List<Edge>> waitsOn = new HashMap<>();
        for (Edge e : edges) {
            if (e.type() != Edge.Type.WAITS_FOR) {
                unblocked.add(e.resource());
                if (e.type() == Edge.Type.HELD_BY && e.certainty() == Certainty.CERTAIN) {
                    certainHolds.computeIfAbsent(e.thread(), k -> new ArrayList<>()).add(e);
                }
            } else if (!e.timed()) {
                waitsOn.computeIfAbsent(e.resource(), k -> new ArrayList<>()).add(e);
            }
        }
        List<Edge> added = new ArrayList<>();
        for (Edge w : edges) {
            if (w.type() != Edge.Type.WAITS_FOR || w.timed() || w.resource().kind().owned() || w.mode() == WaitMode.TAKE
                    || w.thread().role() != Role.APPLICATION || unblocked.contains(w.resource())) {
                continue;
            }
            for (Edge h : certainHolds.getOrDefault(w.thread(), List.of())) {
                List<Edge> behind = waitsOn.getOrDefault(h.resource(), List.of());
                if (behind.isEmpty()) continue;
                // worded without the edge's own thread, so that identical edges render as one group (and made once)
                List<String> why = List.of("blocked on " + h.resource().label() + ", held by \"" + w.thread().name()
                        + "\" while it waits: the thread that would release " + w.resource().label()
                        + " is most likely among such threads");
                for (Edge b : behind) {
                    if (b.thread() == w.thread()) continue;
                    added.add(new Edge(Edge.Type.CAN_BE_RELEASED_BY, b.thread(), w.resource(), null, false, Certainty.LIKELY,
                            b.site(), why));
                }
            }
        }
        edges.addAll(added);
    }

    private boolean hasWait(ThreadNode t) {
        if (waiting == null) {
            waiting = new HashSet<>();
            for (Edge e : edges) {
                if (e.type() == Edge.Type.WAITS_FOR) waiting.add(e.thread());
            }
        }
        return waiting.contains(t);
    }

    private Set<ThreadNode> waiting;

    private static boolean isExclusiveWait(Edge e) {
        ResourceKind k = e.resource().kind();
        return k == ResourceKind.EXCLUSIVE_LOCK || k == ResourceKind.READ_WRITE_LOCK && e.mode() == WaitMode.WRITE_LOCK;
    }

    // ---- resources --------------------------------------------------------------------------------

    private Resource resource(ResourceKind kind, ObjectRef o, String objectId, boolean ownerListed) {
        String key = o.id();
        Resource existing = resources.get(key);
        if (existing != null) return existing;
        Resource r = new Resource(key, kind, o.className(), objectId, ownerListed);
        resources.put(key, r);
        return r;
    }

    private Resource classInit(String className) {
        String key = "class:" + className;
        return resources.computeIfAbsent(key, k -> new Resource(k, ResourceKind.CLASS_INIT, className, "", true));
    }
}
