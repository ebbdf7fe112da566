package dev.knot.junit.examples;

import dev.knot.junit.Knot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The test waits for a shipment that "shipper" would count down, but "shipper" is blocked on the dock, which
 * "dock-holder" keeps while it polls in a sleep loop. No deadlock: a chain of waits that ends in a loop.
 */
@Knot
@KnotExample
public class LatchExamples {

    static final class Dock {
        volatile boolean free;
    }

    @Test
    @Timeout(value = 3000, unit = TimeUnit.MILLISECONDS) // its own deadline: hang diagnoses of parallel examples do not pile up at one moment
    void shipmentNeverArrives() throws InterruptedException {
        Dock dock = new Dock();
        CountDownLatch docked = new CountDownLatch(1);
        CountDownLatch shipped = new CountDownLatch(1);
        Thread holder = new Thread(() -> holdDock(dock, docked), "dock-holder");
        holder.setDaemon(true);
        holder.start();
        docked.await();
        Thread shipper = new Thread(() -> ship(dock, shipped), "shipper");
        shipper.setDaemon(true);
        shipper.start();
        shipped.await();
    }

    private static void holdDock(Dock dock, CountDownLatch docked) {
        synchronized (dock) {
            docked.countDown();
            try {
                while (!dock.free) {
                    Thread.sleep(20); // polls a flag nobody sets, holding the dock's monitor
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // Knot's interrupt ends the loop and frees the dock
            }
        }
    }

    private static void ship(Dock dock, CountDownLatch shipped) {
        synchronized (dock) {
            shipped.countDown();
        }
    }
}
