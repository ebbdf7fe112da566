package dev.knot.track;

import dev.knot.live.LiveSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Installs light tracking of java.util.concurrent into this JVM (opt-in, see {@link Options}):
 * <ol>
 *   <li>puts the hook classes ({@code …track.boot.*}) on the boot class path, from a small temp jar;</li>
 *   <li>registers an ASM transformer and retransforms the selected classes (bodies only);</li>
 *   <li>runs a self-test on a private thread; on any failure removes the transformer, retransforms the classes
 *       back to their originals, prints one line {@value #DISABLED_PREFIX}reason and returns false;</li>
 *   <li>on success registers {@link TrackedFacts} with {@link LiveSnapshot}, so every live snapshot gets the
 *       tracked facts.</li>
 * </ol>
 * Idempotent: later calls in the same JVM return the first call's outcome and change nothing. Never throws.
 */
public final class Tracking {
    /** The one line printed when tracking cannot be used. */
    public static final String DISABLED_PREFIX = "knot-agent: tracking disabled: ";

    /** Boot classes, by simple name, in the package {@code <this package>.boot}. */
    static final List<String> BOOT_CLASSES = List.of("KnotTracker", "ThreadState", "TrackerLocal", "SiteFinder", "FailureLog",
            "FailureRecord", "PoolLoans", "PoolLoans$Loan", "PoolLoans$Key");

    private static final Object LOCK = new Object();
    private static Boolean outcome; // null until the first install finished
    private static String disabledReason;
    private static Options active;
    private static volatile TrackTransformer installed;

    private Tracking() {
    }

    /** Binary name of the boot tracker class, derived at run time so that a relocated copy names its own. */
    static String trackerName() {
        return Tracking.class.getPackageName() + ".boot.KnotTracker";
    }

    /**
     * Installs tracking as the options say. Returns true when tracking is active (now or from an earlier call),
     * false when nothing is tracked (track=none) or tracking failed (then one line was printed to stderr).
     */
    public static boolean install(Instrumentation inst, Options options) {
        synchronized (LOCK) {
            if (outcome != null) return outcome;
            outcome = doInstall(inst, options == null ? Options.defaults() : options);
            return outcome;
        }
    }

    /** Why tracking is off after a failed install, or null. */
    public static String disabledReason() {
        synchronized (LOCK) {
            return disabledReason;
        }
    }

    /** What the successful install tracks, or null. */
    public static Options active() {
        synchronized (LOCK) {
            return active;
        }
    }

    private static boolean doInstall(Instrumentation inst, Options o) {
        if (!o.any()) return false;
        TrackTransformer transformer = null;
        List<Class<?>> classes = new ArrayList<>();
        boolean switchedOn = false;
        try {
            if (inst == null) throw new IllegalStateException("no Instrumentation");
            if (!inst.isRetransformClassesSupported()) {
                throw new IllegalStateException("this JVM or agent jar does not allow retransforming classes"
                        + " (Can-Retransform-Classes: true is needed)");
            }
            Class<?> tracker = bootTracker(inst);
            if (tracker.getField("installed").getBoolean(null)) {
                throw new IllegalStateException("another copy of the Knot tracker is already installed in this JVM");
            }
            transformer = new TrackTransformer(tracker.getName().replace('.', '/'), o);
            for (String internal : transformer.classes()) {
                Class<?> c = Class.forName(internal.replace('/', '.'), false, null);
                if (!inst.isModifiableClass(c)) throw new IllegalStateException(c.getName() + " cannot be modified");
                classes.add(c);
            }
            tracker.getField("semaphores").setBoolean(null, o.semaphores());
            tracker.getField("queues").setBoolean(null, o.queues());
            tracker.getField("futures").setBoolean(null, o.futures());
            tracker.getField("failures").setBoolean(null, o.failures());
            tracker.getField("pools").setBoolean(null, o.pools());
            tracker.getField("sites").setBoolean(null, o.sites());
            tracker.getField("fromStart").setBoolean(null, o.startup());
            tracker.getField("enabled").setBoolean(null, true);
            switchedOn = true;
            inst.addTransformer(transformer, true);
            if (!classes.isEmpty()) inst.retransformClasses(classes.toArray(new Class<?>[0]));
            for (String cls : transformer.classes()) {
                String why = transformer.failures.get(cls);
                if (why != null) throw new IllegalStateException("cannot instrument " + cls.replace('/', '.') + ": " + why);
                Set<String> missing = transformer.missing(cls);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException(cls.replace('/', '.') + " has no method " + String.join(", ", missing)
                            + " (JDK " + Runtime.version() + ")");
                }
            }
            SelfTest.run(o);
            tracker.getField("installed").setBoolean(null, true);
            active = o;
            installed = transformer;
            if (o.pools()) retransformLoadedPools(inst, transformer);
            LiveSnapshot.addFactSource(new TrackedFacts());
            return true;
        } catch (Throwable t) {
            String reason = oneLine(t);
            disable(inst, switchedOn, transformer, classes);
            disabledReason = reason;
            try {
                System.err.println(DISABLED_PREFIX + reason);
                System.err.flush();
            } catch (Throwable ignored) {
                // stderr closed
            }
            return false;
        }
    }

    /**
     * Pool classes the application loaded before tracking (attached late): instrumented now, one by one. A class
     * that cannot be is left as it was, and said so in the snapshot ({@link #poolClasses}); nothing is disabled.
     * Pools created before this have no complete record (their constructor ran without the hook).
     */
    private static void retransformLoadedPools(Instrumentation inst, TrackTransformer t) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null || !TrackTransformer.POOL_CLASSES.contains(c.getName())) continue;
            String where = c.getName() + " in " + TrackTransformer.loaderName(c.getClassLoader());
            try {
                if (!inst.isModifiableClass(c)) {
                    t.libraries.put(where, "the JVM does not allow modifying it");
                    continue;
                }
                inst.retransformClasses(c);
            } catch (Throwable e) {
                t.libraries.put(where, oneLine(e));
            }
        }
    }

    /** Pool classes seen so far ("class in loader"), each with {@code tracked} or why not; empty without track=pools. */
    static Map<String, String> poolClasses() {
        TrackTransformer t = installed;
        return t == null ? Map.of() : new java.util.TreeMap<>(t.libraries);
    }

    /** Switches the hooks off, removes the transformer and puts the original classes back. Never throws. */
    private static void disable(Instrumentation inst, boolean switchedOn, TrackTransformer transformer,
                                List<Class<?>> classes) {
        if (switchedOn) {
            try {
                Class.forName(trackerName(), false, null).getField("enabled").setBoolean(null, false);
            } catch (Throwable ignored) {
                // cannot happen once switched on; the transformer is removed below anyway
            }
        }
        if (inst == null || transformer == null) return;
        try {
            inst.removeTransformer(transformer);
            if (!classes.isEmpty()) inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable ignored) {
            // the hooks are switched off; the classes keep calls that return at once
        }
    }

    /**
     * The tracker class as the boot loader has it: appended from a temp jar on first use. Fails if this loader
     * would not see that same class (it was loaded from the agent jar before it could be put on the boot path).
     */
    static Class<?> bootTracker(Instrumentation inst) throws IOException, ClassNotFoundException {
        String name = trackerName();
        Class<?> c = bootClass(name);
        if (c == null) {
            Path jar = writeBootJar();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
            c = Class.forName(name, false, null);
        }
        openJavaLang(inst, c.getModule()); // before its initializer looks up Thread.tid
        for (String simple : BOOT_CLASSES) {
            Class.forName(Tracking.class.getPackageName() + ".boot." + simple, true, null); // load now, not inside a hook
        }
        ClassLoader mine = Tracking.class.getClassLoader();
        Class<?> seen = Class.forName(name, false, mine);
        if (seen != c) {
            throw new IllegalStateException(name + " was loaded by " + seen.getClassLoader()
                    + " before tracking could put it on the boot class path");
        }
        return c;
    }

    /**
     * Opens java.lang to the boot tracker's module (the boot loader's unnamed module), so that it can read
     * {@code Thread.tid} with a VarHandle. If that fails the tracker uses a ThreadLocal: slower, same facts.
     */
    private static void openJavaLang(Instrumentation inst, Module tracker) {
        Module javaBase = Object.class.getModule();
        try {
            if (javaBase.isOpen("java.lang", tracker)) return;
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(tracker)), Set.of(), Map.of());
        } catch (Throwable ignored) {
            // the ThreadLocal path
        }
    }

    private static Class<?> bootClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** A temp jar (deleted on exit) holding the boot classes, read from this class's own jar or directory. */
    static Path writeBootJar() throws IOException {
        Path jar = Files.createTempFile("knot-track-boot-", ".jar");
        jar.toFile().deleteOnExit();
        String dir = Tracking.class.getPackageName().replace('.', '/') + "/boot/";
        try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(fo)) {
            for (String simple : BOOT_CLASSES) {
                String entry = dir + simple + ".class";
                try (InputStream in = Tracking.class.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) throw new IOException("boot class " + entry + " is missing from the agent");
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    static String oneLine(Throwable t) {
        Throwable root = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
        String m = root.getMessage();
        String text = (root instanceof IllegalStateException && m != null ? "" : root.getClass().getName()
                + (m == null || m.isBlank() ? "" : ": ")) + (m == null ? "" : m.strip());
        int nl = text.indexOf('\n');
        if (nl >= 0) text = text.substring(0, nl).strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** For tests: the options a key=value map asks for, warnings to stderr with the agent's prefix. */
    static Options options(Map<String, String> agentOptions) {
        return Options.parse(agentOptions, w -> System.err.println("knot-agent: " + w));
    }
}
