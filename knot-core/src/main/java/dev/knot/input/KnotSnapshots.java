package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.ThreadDump;
import java.io.IOException;
import java.io.StringReader;

/** Reads Knot's own snapshot files ({@code knot dump}); the format lives with the live snapshot code. */
final class KnotSnapshots {
    private KnotSnapshots() {
    }

    static ThreadDump read(String source, String text) throws UnreadableInputException {
        try {
            ThreadDump d = SnapshotJson.read(new StringReader(text));
            return new ThreadDump(source, DumpFormat.LIVE, d.time(), d.processId(), d.jvmVersion(), d.threads(),
                    d.jdkDeadlocks(), d.warnings(), d.facts(), d.cutOff(), d.lockOrder());
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = m.indexOf('\n');
            throw new UnreadableInputException(source, "damaged Knot snapshot: " + (nl > 0 ? m.substring(0, nl) : m));
        }
    }
}
