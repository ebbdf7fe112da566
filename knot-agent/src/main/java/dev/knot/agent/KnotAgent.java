package dev.knot.agent;

import static dev.knot.input.AgentProtocol.JFR_OPTION;
import static dev.knot.input.AgentProtocol.PARTS_OPTION;
import static dev.knot.input.AgentProtocol.REPORT_OPTION;
import static dev.knot.input.AgentProtocol.SNAPSHOT_OPTION;
import static dev.knot.input.AgentProtocol.TIMINGS_OPTION;
import static dev.knot.input.AgentProtocol.TRACK_OPTION;
import static dev.knot.input.AgentProtocol.TRACK_SELFTEST_OPTION;
import static dev.knot.input.AgentProtocol.TRACK_SITES_OPTION;
import static dev.knot.input.AgentProtocol.WATCHDOG_OPTION;

import dev.knot.input.AgentProtocol;
import dev.knot.track.Options;
import dev.knot.track.Tracking;
import java.lang.instrument.Instrumentation;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Knot's Java agent. Loaded by {@code knot attach PID} / {@code knot dump PID}, by
 * {@code jcmd PID JVMTI.agent_load knot-agent.jar snapshot=FILE}, or at start-up with
 * {@code -javaagent:knot-agent.jar[=OPTIONS]}.
 *
 * <p>On first load it opens the java.base packages the live snapshot reflects into (the user adds no flags).
 * Later loads only act on their options ({@link AgentOptions}; keys and files in {@link AgentProtocol}):
 * {@code watchdog=INTERVAL} (e.g. {@code 1s}, {@code 500ms}; {@code off} stops it) starts the hang watchdog, with
 * {@code report=FILE} to also append its reports to FILE and {@code jfr=false} to not emit JFR events.
 * {@code snapshot=FILE} takes a live snapshot on a new daemon thread {@value #SNAPSHOT_THREAD} and writes it as
 * Knot snapshot JSON to {@code FILE.tmp}, then renames it to {@code FILE}; if it cannot, it writes the one-line
 * reason to {@code FILE.err} instead, so that whoever waits for the file learns why. With {@code parts=true} (what
 * {@code knot attach} asks for) a JVM without virtual threads gets the cheaper snapshot in two parts
 * ({@link dev.knot.input.LiveParts}): the JVM's text thread dump in {@code FILE.threads} first, then the facts in
 * {@code FILE}. {@code timings=true} also writes {@code FILE.timings} (for {@code knot attach --timings}).
 * Unknown keys are ignored with a warning.
 *
 * <p>The agent never throws into the host JVM: a failure prints one line starting {@value #PREFIX} to stderr
 * and the agent disables itself (an unwritable output file is reported the same way but does not disable it).
 */
public final class KnotAgent {
    /** Every line the agent prints starts with this. */
    public static final String PREFIX = "knot-agent: ";
    /** Name of the thread that takes and writes a snapshot (never an application thread). */
    public static final String SNAPSHOT_THREAD = "knot-snapshot";
    /** Suffix of the file the snapshot is written to before it is renamed into place ({@link AgentProtocol}). */
    public static final String TMP_SUFFIX = AgentProtocol.TMP_SUFFIX;
    /** Suffix of the file that holds the one-line reason when no snapshot could be written ({@link AgentProtocol}). */
    public static final String ERROR_SUFFIX = AgentProtocol.ERROR_SUFFIX;

    private KnotAgent() {
    }

    public static void premain(String options, Instrumentation inst) {
        load(options, inst, true);
    }

    public static void agentmain(String options, Instrumentation inst) {
        load(options, inst, false);
    }

    private static void load(String options, Instrumentation inst, boolean premain) {
        long entered = System.nanoTime();
        Map<String, String> opts = Map.of();
        try {
            opts = AgentOptions.parse(options, KnotAgent::warn);
            String disabled = AgentState.disabledReason;
            if (disabled != null) {
                String reason = "disabled in this JVM after an earlier failure: " + disabled;
                warn(reason);
                refuse(opts, reason);
                return;
            }
            install(inst, opts, premain);
            StringBuilder timings = null;
            if ("true".equals(opts.get(TIMINGS_OPTION))) {
                timings = new StringBuilder();
                timings.append(entered).append(" @agentmain entered\n");
                timings.append(System.nanoTime()).append(" @agent installed\n");
            }
            for (Map.Entry<String, String> e : opts.entrySet()) {
                switch (e.getKey()) {
                    case SNAPSHOT_OPTION -> requestSnapshot(e.getValue(), timings, "true".equals(opts.get(PARTS_OPTION)));
                    case WATCHDOG_OPTION -> {
                        String problem = Watchdogs.start(e.getValue(), opts.get(REPORT_OPTION), opts.get(JFR_OPTION));
                        if (problem != null) warn("option " + WATCHDOG_OPTION + ": " + problem);
                    }
                    case TRACK_OPTION, TRACK_SITES_OPTION, TRACK_SELFTEST_OPTION -> {
                        // applied by install(): tracking is set up once, with the first load's options
                    }
                    case TIMINGS_OPTION, PARTS_OPTION -> {
                        // applied to the snapshot
                    }
                    case REPORT_OPTION, JFR_OPTION -> {
                        if (!opts.containsKey(WATCHDOG_OPTION)) {
                            warn("option " + e.getKey() + " only applies with " + WATCHDOG_OPTION + "=INTERVAL");
                        }
                    }
                    default -> warn("ignoring unknown option '" + e.getKey() + "'");
                }
            }
        } catch (Throwable t) {
            String reason = disable(t);
            refuse(opts, reason);
        }
    }

    /**
     * Opens java.base to the snapshot code, once per JVM, and sets up tracking: at start-up (-javaagent) the
     * default kinds unless {@code track=} says otherwise; when attached later, only if {@code track=} asks,
     * since a running application pays for the retransformation and tracking cannot see what came before.
     */
    private static void install(Instrumentation inst, Map<String, String> opts, boolean premain) {
        synchronized (AgentState.LOCK) {
            if (AgentState.installed) {
                if (opts.containsKey(TRACK_OPTION)) warn("tracking is set up once per JVM; option " + TRACK_OPTION + " ignored");
                return;
            }
            Install.openJavaBase(inst);
            AgentState.installed = true;
        }
        if (premain || opts.containsKey(TRACK_OPTION)) {
            Options track = Options.parse(opts, KnotAgent::warn).atStartup(premain);
            // Tracking reports its own failure (one line) and leaves the JVM untouched; snapshots still work.
            Tracking.install(inst, track);
        }
    }

    private static void requestSnapshot(String file, StringBuilder timings, boolean parts) {
        Path target;
        try {
            if (file.isBlank()) throw new InvalidPathException(file, "empty file name");
            target = Path.of(file).toAbsolutePath();
        } catch (InvalidPathException e) {
            warn("option " + SNAPSHOT_OPTION + ": not a file name: '" + file + "'");
            return;
        }
        Thread t = new Thread(null, () -> snapshot(target, timings, parts), SNAPSHOT_THREAD, 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(KnotAgent.class.getClassLoader());
        t.start();
    }

    private static void snapshot(Path target, StringBuilder timings, boolean parts) {
        try {
            String problem = Snapshots.takeAndWrite(target, timings, parts);
            if (problem != null) {
                warn(problem);
                Snapshots.writeError(target, problem);
            }
        } catch (Throwable t) {
            String reason = disable(t);
            try {
                Snapshots.writeError(target, reason);
            } catch (Throwable ignored) {
                // the line on stderr has to do
            }
        }
    }

    /** A request that cannot be served: says why in the error file of a snapshot request, if there is one. */
    private static void refuse(Map<String, String> opts, String reason) {
        try {
            String file = opts.get(SNAPSHOT_OPTION);
            if (file != null && !file.isBlank()) {
                Snapshots.writeError(Path.of(file).toAbsolutePath(), reason);
            }
        } catch (Throwable ignored) {
            // never into the host
        }
    }

    /** Disables the agent for the rest of this JVM's life and prints one line; returns that line's reason. */
    static String disable(Throwable t) {
        String reason = oneLine(t);
        synchronized (AgentState.LOCK) {
            if (AgentState.disabledReason == null) {
                AgentState.disabledReason = reason;
                warn(reason + " (the Knot agent is disabled in this JVM)");
            } else {
                warn(reason);
            }
        }
        return reason;
    }

    static void warn(String message) {
        try {
            System.err.println(PREFIX + message);
            System.err.flush();
        } catch (Throwable ignored) {
            // stderr closed: nothing else to do
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        String text = t.getClass().getName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
        int nl = text.indexOf('\n');
        if (nl >= 0) text = text.substring(0, nl).strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
