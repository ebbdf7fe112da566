package dev.knot.junit;

import java.lang.management.ManagementFactory;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The timeout that applies to one invocation, resolved as JUnit's TimeoutExtension resolves it (so Knot can act just
 * before JUnit does), or Knot's own default when JUnit has none.
 */
final class Timeouts {
    private Timeouts() {
    }

    /** What is being invoked; names the JUnit configuration keys that apply, most specific first. */
    enum Kind {
        TEST("test"), TEST_TEMPLATE("testtemplate"), TEST_FACTORY("testfactory"),
        BEFORE_ALL("beforeall"), BEFORE_EACH("beforeeach"), AFTER_EACH("aftereach"), AFTER_ALL("afterall"),
        DYNAMIC(null);

        final String key;

        Kind(String key) {
            this.key = key;
        }

        boolean testable() {
            return this == TEST || this == TEST_TEMPLATE || this == TEST_FACTORY;
        }
    }

    /**
     * @param timeout the timeout
     * @param junit   true if JUnit enforces it (Knot must finish before it), false for Knot's own default
     * @param source  "@Timeout(2 s)" or the configuration key it came from
     */
    record Resolved(Duration timeout, boolean junit, String source) {
        /** When Knot acts: before JUnit's own deadline, leaving time to take the snapshot and explain it. */
        Duration knotDeadline() {
            if (!junit) return timeout;
            long t = timeout.toMillis();
            long margin = Math.min(t / 4, Math.max(500, Math.min(2000, t / 10)));
            return Duration.ofMillis(Math.max(1, t - margin));
        }
    }

    private static final String PREFIX = "junit.jupiter.execution.timeout.";

    /**
     * What a run resolves again and again, resolved once: configuration parameters do not change during a run, and
     * annotations never do (kept in the run's {@link KnotConfig}, so nothing outlives the run).
     */
    static final class Cache {
        final Map<Kind, Optional<Resolved>> byConfig = new ConcurrentHashMap<>();
        final Map<AnnotatedElement, Optional<Timeout>> annotations = new ConcurrentHashMap<>();
        volatile String mode;
    }

    static Resolved resolve(Kind kind, Method method, ExtensionContext context, KnotConfig config) {
        Cache cache = config.timeouts;
        String mode = cache.mode;
        if (mode == null) {
            cache.mode = mode = context.getConfigurationParameter(KnotConfig.JUNIT_TIMEOUT_MODE).orElse("enabled").trim()
                    .toLowerCase(Locale.ROOT);
        }
        boolean debug = mode.equals("disabled_on_debug") && debugging();
        if (debug) return null;
        if (kind != Kind.DYNAMIC && !mode.equals("disabled")) {
            Resolved r = fromAnnotation(kind, method, context, cache);
            if (r == null) r = cache.byConfig.computeIfAbsent(kind, k -> Optional.ofNullable(fromConfig(k, context))).orElse(null);
            if (r != null) return r;
        }
        return config.timeoutDefault == null ? null
                : new Resolved(config.timeoutDefault, false, KnotConfig.TIMEOUT_DEFAULT + "=" + describe(config.timeoutDefault));
    }

    private static Optional<Timeout> find(AnnotatedElement e, Cache cache) {
        return cache.annotations.computeIfAbsent(e, k -> AnnotationSupport.findAnnotation(k, Timeout.class));
    }

    private static Resolved fromAnnotation(Kind kind, Method method, ExtensionContext context, Cache cache) {
        Optional<Timeout> own = method == null ? Optional.empty() : find(method, cache);
        if (own.isPresent()) return annotation(own.get());
        if (!kind.testable()) return null; // JUnit applies class-level @Timeout to testable methods only
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> e = c.getElement();
            if (e.isPresent() && e.get() instanceof Class<?>) {
                Optional<Timeout> t = find(e.get(), cache);
                if (t.isPresent()) return annotation(t.get());
            }
        }
        return null;
    }

    private static Resolved annotation(Timeout t) {
        Duration d = Duration.of(t.value(), t.unit().toChronoUnit());
        return d.isZero() || d.isNegative() ? null : new Resolved(d, true, "@Timeout(" + describe(d) + ")");
    }

    private static Resolved fromConfig(Kind kind, ExtensionContext context) {
        String group = kind.testable() ? "testable" : "lifecycle";
        for (String key : new String[] {PREFIX + kind.key + ".method.default", PREFIX + group + ".method.default", PREFIX + "default"}) {
            Optional<String> v = context.getConfigurationParameter(key);
            if (v.isPresent()) {
                Duration d = KnotConfig.parseDuration(v.get());
                if (d != null) return new Resolved(d, true, key + "=" + v.get().trim());
            }
        }
        return null;
    }

    private static volatile Boolean debugging;

    /** As JUnit decides "disabled_on_debug": a JDWP agent on the command line. */
    private static boolean debugging() {
        Boolean d = debugging;
        if (d == null) {
            try {
                d = ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.startsWith("-agentlib:jdwp"));
            } catch (RuntimeException | LinkageError e) {
                d = false;
            }
            debugging = d;
        }
        return d;
    }

    /** "2 s", "500 ms", "3 min" */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms < 1) return d.toNanos() / 1000 + " μs";
        if (ms < 1000 || ms % 1000 != 0) return ms < 10_000 ? ms + " ms" : (ms / 100) / 10.0 + " s";
        long s = ms / 1000;
        if (s < 120 || s % 60 != 0) return s + " s";
        return s / 60 + " min";
    }
}
