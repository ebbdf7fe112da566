package dev.knot.track.boot;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where a permit was taken: the first frame outside java.util.concurrent and this package, found with a stack
 * walk limited to a few frames. Kept as the StackFrame; formatted only when a snapshot reads it.
 */
final class SiteFinder implements Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame> {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String OWN = KnotTracker.class.getPackageName() + ".";
    private static final SiteFinder INSTANCE = new SiteFinder(12, "java.util.concurrent.", OWN);
    /** Borrows: past the JDK, the pools and the data sources built on them, to the application's frame. */
    private static final SiteFinder POOLS = new SiteFinder(24, "java.", "javax.", "jdk.", "sun.", OWN,
            "org.apache.commons.pool2.", "org.apache.commons.dbcp2.", "com.zaxxer.hikari.");

    private final int maxFrames;
    private final String[] skip;

    private SiteFinder(int maxFrames, String... skip) {
        this.maxFrames = maxFrames;
        this.skip = skip;
    }

    static Object find() {
        return WALKER.walk(INSTANCE);
    }

    /** Where an object was borrowed from a pool: the first frame outside the JDK and the pool libraries. */
    static Object findBorrower() {
        return WALKER.walk(POOLS);
    }

    @Override
    public StackWalker.StackFrame apply(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> it = frames.limit(maxFrames).iterator();
        next:
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            String c = f.getClassName();
            for (String p : skip) {
                if (c.startsWith(p)) continue next;
            }
            return f;
        }
        return null;
    }

    /** {@code com.example.Foo.bar(Foo.java:12)}, like a thread dump's frame. */
    static String describe(Object site) {
        if (!(site instanceof StackWalker.StackFrame)) return null;
        StackWalker.StackFrame f = (StackWalker.StackFrame) site;
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + "." + f.getMethodName() + "("
                + (file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file) + ")";
    }
}
