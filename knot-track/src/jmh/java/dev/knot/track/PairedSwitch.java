package dev.knot.track;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Benchmarks only: switches tracking on (transformer added, the JDK classes retransformed with hooks, hooks enabled)
 * and off (hooks disabled, transformer removed, the original classes restored) inside one JVM, so that a benchmark
 * can alternate the two from one iteration to the next (TrackBench's "paired" column). Needs the stand-alone
 * {@link TrackAgent} loaded with {@code track=none}.
 */
public final class PairedSwitch {
    private static Class<?> tracker;
    private static TrackTransformer transformer;
    private static Class<?>[] classes;
    private static boolean on;
    /** What is switched: {@code -Dknot.track.paired.kinds=futures,failures}; default all four kinds. */
    static final Set<String> KINDS = Set.of(System.getProperty("knot.track.paired.kinds", "semaphores,queues,futures,failures").split(","));

    private PairedSwitch() {
    }

    public static synchronized void set(boolean wantOn) throws Exception {
        Instrumentation inst = TrackAgent.instrumentation;
        if (inst == null) throw new IllegalStateException("TrackAgent not loaded");
        if (tracker == null) init(inst);
        if (wantOn == on) return;
        if (wantOn) {
            inst.addTransformer(transformer, true);
            inst.retransformClasses(classes);
            for (Class<?> c : classes) {
                String cls = c.getName().replace('.', '/');
                String why = transformer.failures.get(cls);
                if (why != null) throw new IllegalStateException("cannot instrument " + cls + ": " + why);
                if (!transformer.missing(cls).isEmpty()) throw new IllegalStateException(cls + " misses " + transformer.missing(cls));
            }
            tracker.getField("enabled").setBoolean(null, true);
        } else {
            tracker.getField("enabled").setBoolean(null, false);
            inst.removeTransformer(transformer);
            inst.retransformClasses(classes);
        }
        on = wantOn;
        if (KINDS.contains("semaphores") && seesAcquire() != wantOn) throw new IllegalStateException("tracking should be " + (wantOn ? "on" : "off"));
    }

    /** Whether a permit taken now shows up in this thread's tracked holdings. */
    private static boolean seesAcquire() {
        java.util.concurrent.Semaphore s = new java.util.concurrent.Semaphore(1);
        int before = dev.knot.track.boot.KnotTracker.current().holdings().length;
        s.acquireUninterruptibly();
        try {
            return dev.knot.track.boot.KnotTracker.current().holdings().length == before + 1;
        } finally {
            s.release();
        }
    }

    /** Hook errors so far (must stay 0). */
    public static long errors() throws Exception {
        return tracker == null ? 0 : (long) tracker.getMethod("errors").invoke(null);
    }

    private static void init(Instrumentation inst) throws Exception {
        tracker = Tracking.bootTracker(inst);
        Options o = Options.of(KINDS, false);
        transformer = new TrackTransformer(tracker.getName().replace('.', '/'), o);
        List<Class<?>> list = new ArrayList<>();
        for (String internal : transformer.classes()) list.add(Class.forName(internal.replace('/', '.'), false, null));
        classes = list.toArray(new Class<?>[0]);
        for (String kind : KINDS) tracker.getField(kind).setBoolean(null, true);
    }
}
