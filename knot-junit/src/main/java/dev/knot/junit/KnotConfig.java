package dev.knot.junit;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Knot's configuration parameters, read like JUnit's own: from {@code junit-platform.properties}, system properties
 * ({@code -Dknot.leaks.threads.grace=1s}), or the launcher's configuration parameters.
 *
 * <p>An invalid value is reported once on stderr and ignored (JUnit does the same for its timeout keys), so a typo
 * never fails the tests.
 */
public final class KnotConfig {

    /** {@code true} (default) or {@code false}: switches the whole extension off, e.g. for one CI job. */
    public static final String ENABLED = "knot.enabled";

    /**
     * Knot's own timeout for every test and lifecycle method that has no JUnit timeout ({@code @Timeout} or
     * {@code junit.jupiter.execution.timeout.*}). JUnit's duration format: {@code 30 s}, {@code 500 ms}, {@code 2m}.
     * Unset by default: without it only methods with a JUnit timeout are diagnosed when they hang.
     */
    public static final String TIMEOUT_DEFAULT = "knot.timeout.default";

    /**
     * {@code separate_thread} (default): a method with a timeout runs on a thread of its own, so that a test stuck in
     * {@code synchronized} still fails and the suite goes on. {@code same_thread}: it runs on JUnit's thread (for tests
     * that need thread-locals set up by other extensions, e.g. Spring's {@code @Transactional}); Knot then prints the
     * diagnosis to stderr at the deadline, interrupts the test's threads, and fails the test when it returns.
     */
    public static final String TIMEOUT_THREAD_MODE = "knot.timeout.thread.mode";

    /** {@code true} (default): fail a test that leaves threads it started running. */
    public static final String THREADS_ENABLED = "knot.leaks.threads.enabled";

    /** How long Knot waits for a test's threads to end before it calls them leaked. Default {@code 500 ms}. */
    public static final String THREADS_GRACE = "knot.leaks.threads.grace";

    /**
     * A regular expression: threads whose whole name matches it are never reported (known-benign background threads,
     * e.g. {@code OkHttp .*|lettuce-.*}). Knot always ignores JVM, JUnit, surefire and ForkJoin common-pool threads.
     */
    public static final String THREADS_IGNORE = "knot.leaks.threads.ignore";

    /** {@code true} (default): fail a test that leaves an executor it created running (never shut down). */
    public static final String EXECUTORS_ENABLED = "knot.leaks.executors.enabled";

    /** {@code true} (default): fail a test whose background threads died of an exception nobody observed. */
    public static final String UNOBSERVED_ENABLED = "knot.failures.unobserved.enabled";

    /** {@code true} (default): fail a test that leaves a cancelled (interrupted) task still running. */
    public static final String CANCELLED_RUNNING_ENABLED = "knot.tasks.cancelled-running.enabled";

    // JUnit's own keys that Knot reads.
    static final String JUNIT_TIMEOUT_MODE = "junit.jupiter.execution.timeout.mode";
    static final String JUNIT_RANDOM_SEED = "junit.jupiter.execution.order.random.seed";

    static final Duration DEFAULT_GRACE = Duration.ofMillis(500);

    final boolean enabled;
    final Duration timeoutDefault;
    final boolean sameThread;
    final boolean threads;
    final Duration grace;
    final Pattern ignore;
    final boolean executors;
    final boolean unobserved;
    final boolean cancelledRunning;
    /** Timeouts resolved during this run. */
    final Timeouts.Cache timeouts = new Timeouts.Cache();

    private KnotConfig(ExtensionContext c) {
        enabled = bool(c, ENABLED, true);
        timeoutDefault = duration(c, TIMEOUT_DEFAULT, null);
        String mode = c.getConfigurationParameter(TIMEOUT_THREAD_MODE).map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (!mode.isEmpty() && !mode.equals("same_thread") && !mode.equals("separate_thread")) {
            warn(TIMEOUT_THREAD_MODE, mode, "same_thread or separate_thread");
        }
        sameThread = mode.equals("same_thread");
        threads = bool(c, THREADS_ENABLED, true);
        grace = duration(c, THREADS_GRACE, DEFAULT_GRACE);
        ignore = pattern(c, THREADS_IGNORE);
        executors = bool(c, EXECUTORS_ENABLED, true);
        unobserved = bool(c, UNOBSERVED_ENABLED, true);
        cancelledRunning = bool(c, CANCELLED_RUNNING_ENABLED, true);
    }

    /** The configuration of this engine run (parsed once, kept in the root context's store). */
    static KnotConfig of(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(KnotExtension.NAMESPACE);
        KnotConfig c = store.get(KnotConfig.class, KnotConfig.class);
        if (c == null) {
            c = new KnotConfig(context);
            store.put(KnotConfig.class, c); // two racing tests parse the same values: either copy is right
        }
        return c;
    }

    private static boolean bool(ExtensionContext c, String key, boolean dflt) {
        Optional<String> v = c.getConfigurationParameter(key);
        if (v.isEmpty()) return dflt;
        String s = v.get().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        warn(key, v.get(), "true or false");
        return dflt;
    }

    private static Duration duration(ExtensionContext c, String key, Duration dflt) {
        Optional<String> v = c.getConfigurationParameter(key);
        if (v.isEmpty() || v.get().isBlank()) return dflt;
        Duration d = parseDuration(v.get());
        if (d == null) {
            warn(key, v.get(), "a duration like 500 ms, 30 s or 2 m");
            return dflt;
        }
        return d;
    }

    private static Pattern pattern(ExtensionContext c, String key) {
        Optional<String> v = c.getConfigurationParameter(key);
        if (v.isEmpty() || v.get().isBlank()) return null;
        try {
            return Pattern.compile(v.get().trim());
        } catch (PatternSyntaxException e) {
            warn(key, v.get(), "a regular expression (" + e.getDescription() + ")");
            return null;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+) ?((?:[nμm]?s)|m|h|d)?",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** JUnit's timeout format ({@code <number> [ns|μs|ms|s|m|h|d]}, seconds if no unit); null if malformed or zero. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) return null;
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (n <= 0) return null;
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ENGLISH);
        return switch (unit) {
            case "ns" -> Duration.ofNanos(n);
            case "μs" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private static void warn(String key, String value, String expected) {
        if (WARNED.add(key + "=" + value)) {
            System.err.println("knot: ignoring " + key + "=" + value + " (expected " + expected + ")");
        }
    }
}
