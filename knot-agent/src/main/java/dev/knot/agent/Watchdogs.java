package dev.knot.agent;

import java.nio.file.Path;
import java.time.Duration;

/** The one watchdog of this JVM, started, restarted with a new interval, or stopped by agent options. */
final class Watchdogs {
    private static Watchdog running;

    private Watchdogs() {
    }

    /** @return null, or why {@code interval} is not one (for a warning about the option) */
    static String start(String interval, String reportFile, String jfr) {
        synchronized (AgentState.LOCK) {
            if (running != null) {
                running.close();
                running = null;
            }
            if (interval.equalsIgnoreCase("off") || interval.equalsIgnoreCase("false")) {
                KnotAgent.warn("watchdog stopped");
                return null;
            }
            Duration every = parseInterval(interval);
            if (every == null) return "'" + interval + "' is not an interval (use e.g. 1s, 500ms, 2m, or off)";
            Path report = reportFile == null || reportFile.isBlank() ? null : Path.of(reportFile).toAbsolutePath();
            boolean events = jfr == null || !jfr.equalsIgnoreCase("false");
            running = Watchdog.start(new Watchdog.Config(every, report, true, events), null);
            return null;
        }
    }

    /** {@code 1s}, {@code 500ms}, {@code 2m}, a bare number of milliseconds, or empty/{@code on} for 1 s. */
    static Duration parseInterval(String s) {
        String v = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty() || v.equals("on") || v.equals("true")) return Duration.ofSeconds(1);
        try {
            Duration d;
            if (v.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            else if (v.endsWith("s")) d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            else if (v.endsWith("m")) d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            else d = Duration.ofMillis(Long.parseLong(v));
            return d.toMillis() >= 10 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
