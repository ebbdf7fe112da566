package dev.knot.agent;

import dev.knot.findings.Finding;
import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Hang findings as JFR events, so a recording shows them in JDK Mission Control under "Knot". */
final class HangEvents {
    private HangEvents() {
    }

    @Name("dev.knot.Hang")
    @Label("Hang")
    @Category("Knot")
    @Description("A hang Knot's watchdog found: a deadlock, self-deadlock, pool starvation or orphaned lock")
    @StackTrace(false)
    static final class HangEvent extends Event {
        @Label("Kind")
        String kind;
        @Label("Certainty")
        String certainty;
        @Label("Threads")
        String threads;
        @Label("Summary")
        String summary;
        @Label("Story")
        String story;
        @Label("Fix")
        String fix;
    }

    static void commit(List<Finding> findings) {
        for (Finding f : findings) {
            HangEvent e = new HangEvent();
            if (!e.isEnabled()) return;
            e.kind = f.kind().jsonName();
            e.certainty = f.certainty().jsonName();
            e.threads = String.join(", ", f.threads());
            e.summary = f.summary();
            e.story = String.join("\n", f.story());
            e.fix = f.fix();
            e.commit();
        }
    }
}
