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
    private static final SiteFinder INSTANCE = new SiteFinder();
    private static final String OWN = KnotTracker.class.getPackageName() + ".";
    private static final int MAX_FRAMES = 12;

    static Object find() {
        return WALKER.walk(INSTANCE);
    }

    @Override
    public StackWalker.StackFrame apply(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> it = frames.limit(MAX_FRAMES).iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            String c = f.getClassName();
            if (!c.startsWith("java.util.concurrent.") && !c.startsWith(OWN)) return f;
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
