package dev.knot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogTest {

    @TempDir
    Path dir;

    @Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
    @Test
    void reportsADeadlockOnceToEveryChannel() throws Exception {
        Path report = dir.resolve("knot-report.txt");
        List<Report> reports = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        try (Recording rec = new Recording()) {
            rec.enable("dev.knot.Hang");
            rec.start();
            try (Watchdog w = Watchdog.start(new Watchdog.Config(Duration.ofMillis(100), report, false, true), r -> {
                reports.add(r);
                first.countDown();
            })) {
                Object a = new Object();
                Object b = new Object();
                CountDownLatch both = new CountDownLatch(2);
                daemon("wd-1", () -> { synchronized (a) { both.countDown(); await(both); synchronized (b) { } } });
                daemon("wd-2", () -> { synchronized (b) { both.countDown(); await(both); synchronized (a) { } } });
                assertTrue(first.await(30, TimeUnit.SECONDS), "no report");
                // several more intervals: the same deadlock is not reported again
                Thread.sleep(500);
            }
            rec.stop();
            Path jfr = dir.resolve("rec.jfr");
            rec.dump(jfr);
            List<RecordedEvent> events = RecordingFile.readAllEvents(jfr).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.knot.Hang")
                            && e.getString("threads").contains("wd-1")).toList();
            assertEquals(1, events.size(), events.toString());
            assertEquals("deadlock", events.get(0).getString("kind"));
            assertEquals("Knot", events.get(0).getEventType().getCategoryNames().get(0));
        }
        List<Finding> ours = reports.stream().flatMap(r -> r.findings().stream())
                .filter(f -> f.threads().contains("wd-1")).toList();
        assertEquals(1, ours.size(), "reported once");
        Finding f = ours.get(0);
        assertEquals("deadlock", f.kind().jsonName());
        assertTrue(f.story().stream().anyMatch(s -> s.startsWith("\"wd-1\" has been waiting on ")), f.story().toString());
        String text = Files.readString(report);
        assertTrue(text.contains("knot-watchdog: hang detected") && text.contains("\"wd-1\""), text);
    }

    @Test
    void ages() {
        assertEquals("250 ms", Watchdog.age(250_000_000L));
        assertEquals("17 s", Watchdog.age(17_000_000_000L));
        assertEquals("17 min", Watchdog.age(17 * 60 * 1_000_000_000L));
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
