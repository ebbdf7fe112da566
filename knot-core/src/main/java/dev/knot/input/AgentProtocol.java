package dev.knot.input;

import java.nio.file.Path;

/**
 * The contract between {@code knot attach}/{@code knot dump} (knot-cli), the Knot agent (knot-agent, loaded into
 * the target JVM), tracking (knot-track) and knot-junit: the agent's option keys, the files it writes next to a
 * snapshot, the fact ids its producer and reader share, and the boot classes other code reaches by reflection.
 *
 * <p>Options are {@code key=value,key=value}: the string after {@code -javaagent:knot-agent.jar=}, the second
 * argument of {@code VirtualMachine.loadAgent}, or of {@code jcmd PID JVMTI.agent_load JAR OPTIONS}.
 *
 * <p>Inside knot-agent.jar this class is relocated with the rest of knot-core, and its shade plugin also rewrites
 * string constants that start with {@code dev.knot}; the boot class names are therefore built at run time and
 * mean the same in either copy. An agent class that uses only this class's constants still names it in its
 * constant pool (javac records where an inlined constant came from) and the shader copies a class it finds
 * nothing to relocate in as it is, leaving an unrelocated name (AgentJarIT); call a method of it there instead.
 */
public final class AgentProtocol {
    private AgentProtocol() {
    }

    // ---- option keys ---------------------------------------------------------------------------------------

    /**
     * {@code snapshot=FILE}: take a live snapshot and write it to FILE (through {@link #TMP_SUFFIX}; the reason to
     * {@link #ERROR_SUFFIX} if it cannot). Written by knot attach/dump, read by the agent.
     */
    public static final String SNAPSHOT_OPTION = "snapshot";
    /**
     * {@code parts=true}: write the snapshot in two parts, the text dump to {@link #THREADS_SUFFIX} first
     * ({@link LiveParts}). Written by knot attach, read by the agent.
     */
    public static final String PARTS_OPTION = "parts";
    /** {@code timings=true}: also write the agent's phase times to {@link #TIMINGS_SUFFIX}. Written by knot attach --timings, read by the agent. */
    public static final String TIMINGS_OPTION = "timings";
    /** {@code watchdog=INTERVAL} (e.g. {@code 1s}, {@code 500ms}, {@code off}): the hang watchdog. Written by users, read by the agent. */
    public static final String WATCHDOG_OPTION = "watchdog";
    /** {@code report=FILE}: the watchdog also appends its reports to FILE. Written by users, read by the agent. */
    public static final String REPORT_OPTION = "report";
    /** {@code jfr=false}: the watchdog emits no JFR events. Written by users, read by the agent. */
    public static final String JFR_OPTION = "jfr";
    /** {@code track=KINDS} ({@code all}, {@code none}, {@code default}, a list): what to track. Written by users and benchmarks, read by knot-track's Options. */
    public static final String TRACK_OPTION = "track";
    /** {@code track.sites=true}: also record where permits were acquired. Written by users, read by knot-track's Options. */
    public static final String TRACK_SITES_OPTION = "track.sites";
    /** {@code track.selftest=fail}: make tracking's self-test fail (tests of the disable path). Read by knot-track's Options. */
    public static final String TRACK_SELFTEST_OPTION = "track.selftest";

    // ---- files next to the snapshot FILE -------------------------------------------------------------------

    /** FILE.tmp: written by the agent, then renamed to FILE, so that a reader sees the whole file or none. */
    public static final String TMP_SUFFIX = ".tmp";
    /** FILE.err: the agent's one-line reason when it cannot serve the request; read by knot attach/dump. */
    public static final String ERROR_SUFFIX = ".err";
    /** FILE.threads: the text thread dump of a snapshot in two parts, written by the agent before FILE; read by knot attach. */
    public static final String THREADS_SUFFIX = ".threads";
    /** FILE.timings: lines of {@code nanoTime phase}, written by the agent before FILE; read by knot attach --timings. */
    public static final String TIMINGS_SUFFIX = ".timings";

    // ---- fact ids --------------------------------------------------------------------------------------------

    /**
     * Object id prefix of a join fact in {@link LiveParts} before merging ({@code join-of:THREAD_ID}): reflection
     * cannot name the joined Thread's address, so the waiting thread's id stands in. Written by the live snapshot,
     * resolved by {@link LiveParts#merge}.
     */
    public static final String JOIN_OF = "join-of:";

    // ---- boot classes ----------------------------------------------------------------------------------------

    /** Where knot-core and knot-track are relocated to inside knot-agent.jar (knot-agent/pom.xml: dev.knot → this). */
    public static final String RELOCATED_ROOT = "dev.knot.agent.shaded.knot";
    /** The root package of unrelocated Knot; joined at run time, else the shade plugin would relocate it too. */
    private static final String ROOT = String.join(".", "dev", "knot");

    /**
     * The boot-path log of task failures nobody observed (knot-track's {@code track.boot.FailureLog}), unrelocated:
     * installed by an unshaded knot-track (e.g. its test agent). Read by reflection by knot-junit and knot-track's
     * Failures (through {@code dev.knot.live.FailureLogReader}).
     */
    public static final String FAILURE_LOG = ROOT + ".track.boot.FailureLog";
    /** The same log as knot-agent.jar installs it. */
    public static final String FAILURE_LOG_RELOCATED = relocated(FAILURE_LOG);
    /** The boot-path tracker ({@code track.boot.KnotTracker}), unrelocated: whether tracking is installed and what it tracks. */
    public static final String KNOT_TRACKER = ROOT + ".track.boot.KnotTracker";
    /** The same tracker as knot-agent.jar installs it. */
    public static final String KNOT_TRACKER_RELOCATED = relocated(KNOT_TRACKER);

    /** The name an unrelocated Knot class has inside knot-agent.jar. */
    public static String relocated(String className) {
        if (!className.startsWith(ROOT + ".") || className.startsWith(ROOT + ".agent.")) return className;
        return RELOCATED_ROOT + className.substring(ROOT.length());
    }

    /** The name an unrelocated Knot class has in the copy of Knot this code runs in (relocated in the agent's). */
    public static String inThisCopy(String className) {
        return AgentProtocol.class.getName().startsWith(RELOCATED_ROOT + ".") ? relocated(className) : className;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /**
     * An option string from key/value pairs, in order: {@code options(PARTS_OPTION, "true", SNAPSHOT_OPTION, file)}
     * gives {@code parts=true,snapshot=FILE}. A pair with a null value is left out. A comma in a value survives
     * unless what follows it holds an {@code =} (the agent joins a segment without one to the value before): a file
     * name goes last.
     */
    public static String options(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("keys and values come in pairs");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = keysAndValues[i];
            String value = keysAndValues[i + 1];
            if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf(',') >= 0) {
                throw new IllegalArgumentException("not an option key: '" + key + "'");
            }
            if (value == null) continue;
            if (b.length() > 0) b.append(',');
            b.append(key).append('=').append(value);
        }
        return b.toString();
    }

    /** The file next to a snapshot file: {@code sibling(FILE, ERROR_SUFFIX)} is FILE.err. */
    public static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
