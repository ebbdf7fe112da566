package dev.knot.examples;

import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Exports are throttled to one at a time with a {@code Semaphore(1)}. {@code exportReport()} takes the
 * permit, and so does {@code exportCsv()}, which it calls for the detail rows. A semaphore is not
 * reentrant: the thread waits for a permit that only it could give back.
 *
 * <p>Expected: <b>self-deadlock</b> of {@code report-exporter}, WAITING (parking) on a
 * {@code Semaphore$NonfairSync}, with {@code exportReport} and {@code exportCsv} (both calling
 * {@code Semaphore.acquire}) on its stack. No owner is shown anywhere and jstack reports nothing.
 */
@Expected(kind = "self-deadlock", threads = {"report-exporter"}, minJava = 17, liveCertainty = "likely")
public final class Ex07SemaphoreTakenTwice {

    /** One export at a time: exports saturate the disk. */
    private static final Semaphore EXPORT_PERMIT = new Semaphore(1);

    static void exportReport(String name, List<String> rows) throws InterruptedException {
        EXPORT_PERMIT.acquire();
        try {
            System.out.println("report " + name);
            exportCsv(rows);
        } finally {
            EXPORT_PERMIT.release();
        }
    }

    static void exportCsv(List<String> rows) throws InterruptedException {
        EXPORT_PERMIT.acquire(); // also called on its own, so it throttles itself; here the caller has the permit
        try {
            rows.forEach(System.out::println);
        } finally {
            EXPORT_PERMIT.release();
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex07SemaphoreTakenTwice.class, args);
        Thread exporter = ExampleSupport.startDaemon("report-exporter", () -> {
            try {
                exportReport("monthly-sales", List.of("2024-01;1200", "2024-02;1350"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "report-exporter parked on its own permit",
                () -> EXPORT_PERMIT.hasQueuedThreads() && exporter.getState() == Thread.State.WAITING, exporter);
        ExampleSupport.hangFormed(options, exporter);
    }
}
