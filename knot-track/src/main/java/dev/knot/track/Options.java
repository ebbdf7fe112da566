package dev.knot.track;

import static dev.knot.input.AgentProtocol.TRACK_OPTION;
import static dev.knot.input.AgentProtocol.TRACK_SELFTEST_OPTION;
import static dev.knot.input.AgentProtocol.TRACK_SITES_OPTION;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What to track. Agent options (all optional):
 * <ul>
 *   <li>{@code track=semaphores,queues,futures,failures,pools} (any subset), {@code track=all}, {@code track=none}, or
 *       {@code track=default} ({@link #DEFAULT_KINDS}: the kinds whose measured overhead is negligible);</li>
 *   <li>{@code track.sites=true}: also record where each permit was acquired (a short stack walk per acquire;
 *       see the README for its cost);</li>
 *   <li>{@code track.selftest=fail}: make the self-test fail (for testing the disable path).</li>
 * </ul>
 *
 * @param semaphores track Semaphore permit holders
 * @param queues     track producers and consumers of ArrayBlockingQueue, LinkedBlockingQueue, LinkedBlockingDeque
 * @param futures    track which thread waits on which CompletableFuture and which thread computes it
 * @param failures   record FutureTask/CompletableFuture failures whose outcome nobody read ({@link Failures})
 * @param pools      track which thread borrowed each object out of a commons-pool2 GenericObjectPool or a HikariCP pool
 * @param sites      record acquisition sites of permits and borrow sites of pooled objects
 * @param failSelfTest simulate a self-test failure
 * @param startup    installed as the JVM starts (premain): then every semaphore's permits were all taken under
 *                   tracking, and holder sets can be complete; attached later (agentmain), they never are
 */
public record Options(boolean semaphores, boolean queues, boolean futures, boolean failures, boolean pools, boolean sites,
                      boolean failSelfTest, boolean startup) {

    /** The option keys this class reads; an agent passes these through and warns about others. */
    public static final Set<String> KEYS = Set.of(TRACK_OPTION, TRACK_SITES_OPTION, TRACK_SELFTEST_OPTION);
    /** Tracked when no {@code track} option is given: measured overhead within noise (README). */
    public static final Set<String> DEFAULT_KINDS = Set.of("futures", "failures");
    /** Every kind, in the order they are documented. */
    public static final Set<String> ALL_KINDS = orderedSet("semaphores", "queues", "futures", "failures", "pools");

    /** The defaults: {@link #DEFAULT_KINDS}, no sites. */
    public static Options defaults() {
        return of(DEFAULT_KINDS, false);
    }

    /** Nothing tracked. */
    public static Options none() {
        return new Options(false, false, false, false, false, false, false, false);
    }

    public static Options of(Set<String> kinds, boolean sites) {
        return new Options(kinds.contains("semaphores"), kinds.contains("queues"), kinds.contains("futures"),
                kinds.contains("failures"), kinds.contains("pools"), sites, false, false);
    }

    /** Reads the keys of {@link #KEYS} from parsed agent options; bad values get a warning and the default. */
    public static Options parse(Map<String, String> options, Consumer<String> warn) {
        Set<String> kinds = new LinkedHashSet<>(DEFAULT_KINDS);
        String track = options.get(TRACK_OPTION);
        if (track != null) {
            kinds.clear();
            for (String raw : track.split("[,+ ]")) {
                String k = raw.strip().toLowerCase(Locale.ROOT);
                switch (k) {
                    case "" -> { }
                    case "none", "off", "false" -> kinds.clear();
                    case "all", "on", "true" -> kinds.addAll(ALL_KINDS);
                    case "default" -> kinds.addAll(DEFAULT_KINDS);
                    case "semaphore", "semaphores" -> kinds.add("semaphores");
                    case "queue", "queues" -> kinds.add("queues");
                    case "future", "futures" -> kinds.add("futures");
                    case "failure", "failures" -> kinds.add("failures");
                    case "pool", "pools" -> kinds.add("pools");
                    default -> warn.accept("option " + TRACK_OPTION + ": ignoring unknown kind '" + raw.strip()
                            + "' (expected semaphores, queues, futures, failures, pools, all, none or default)");
                }
            }
        }
        boolean sites = bool(options.get(TRACK_SITES_OPTION), TRACK_SITES_OPTION, warn);
        String selfTest = options.get(TRACK_SELFTEST_OPTION);
        boolean fail = selfTest != null && selfTest.strip().equalsIgnoreCase("fail");
        if (selfTest != null && !fail) {
            warn.accept("option " + TRACK_SELFTEST_OPTION + ": ignoring '" + selfTest + "' (only 'fail')");
        }
        Options o = of(kinds, sites);
        return new Options(o.semaphores, o.queues, o.futures, o.failures, o.pools, o.sites, fail, false);
    }

    /** Parses {@code key=value,key=value} as the agent's command line gives it (a segment without = continues a value). */
    public static Options parse(String agentArgs, Consumer<String> warn) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        String last = null;
        if (agentArgs != null) {
            for (String seg : agentArgs.split(",", -1)) {
                int eq = seg.indexOf('=');
                if (eq < 0) {
                    if (last != null) map.put(last, map.get(last) + "," + seg);
                    continue;
                }
                last = seg.substring(0, eq).strip();
                map.put(last, seg.substring(eq + 1));
            }
        }
        return parse(map, warn);
    }

    /** The same options, installed at JVM start (premain) or not (agentmain). */
    public Options atStartup(boolean atStartup) {
        return new Options(semaphores, queues, futures, failures, pools, sites, failSelfTest, atStartup);
    }

    public boolean any() {
        return semaphores || queues || futures || failures || pools;
    }

    /** {@code semaphores,futures} or {@code none}. */
    public String kinds() {
        StringBuilder b = new StringBuilder();
        if (semaphores) b.append("semaphores");
        if (queues) b.append(b.length() > 0 ? "," : "").append("queues");
        if (futures) b.append(b.length() > 0 ? "," : "").append("futures");
        if (failures) b.append(b.length() > 0 ? "," : "").append("failures");
        if (pools) b.append(b.length() > 0 ? "," : "").append("pools");
        return b.length() == 0 ? "none" : b.toString();
    }

    private static boolean bool(String v, String key, Consumer<String> warn) {
        if (v == null) return false;
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("on") || s.equals("yes") || s.isEmpty()) return true;
        if (s.equals("false") || s.equals("off") || s.equals("no")) return false;
        warn.accept("option " + key + ": ignoring '" + v + "' (expected true or false)");
        return false;
    }

    private static Set<String> orderedSet(String... s) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(java.util.List.of(s)));
    }
}
