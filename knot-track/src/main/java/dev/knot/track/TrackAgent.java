package dev.knot.track;

import dev.knot.live.LiveSnapshot;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A minimal stand-alone agent for tests and benchmarks ({@code target/knot-track-<version>-agent.jar}):
 * {@code -javaagent:knot-track-agent.jar=track=semaphores,queues,futures,track.sites=true}. It opens java.base to
 * its own module as the Knot agent does and calls {@link Tracking#install}. The product agent is knot-agent.
 */
public final class TrackAgent {
    /** The Instrumentation this agent was given (the benchmarks switch tracking on and off with it). */
    static volatile Instrumentation instrumentation;

    private TrackAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        load(args, inst, true);
    }

    public static void agentmain(String args, Instrumentation inst) {
        load(args, inst, false);
    }

    private static void load(String args, Instrumentation inst, boolean startup) {
        instrumentation = inst;
        try {
            openJavaBase(inst);
            Tracking.install(inst, Options.parse(args, w -> System.err.println("knot-agent: " + w)).atStartup(startup));
        } catch (Throwable t) {
            System.err.println(Tracking.DISABLED_PREFIX + Tracking.oneLine(t));
        }
    }

    static void openJavaBase(Instrumentation inst) {
        Module javaBase = Object.class.getModule();
        Module me = TrackAgent.class.getModule();
        Map<String, Set<Module>> opens = new HashMap<>();
        for (String pkg : LiveSnapshot.MODULE_PACKAGES_TO_OPEN) {
            if (javaBase.getPackages().contains(pkg) && !javaBase.isOpen(pkg, me)) opens.put(pkg, Set.of(me));
        }
        if (!opens.isEmpty()) inst.redefineModule(javaBase, Set.of(), opens, opens, Set.of(), Map.of());
    }
}
