package com.example.shop;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The test waits for "shipper" to count down; "shipper" is blocked on the dock that "dock-holder" keeps while it
 * polls in a sleep loop. Expected: the wait chain down to the sleep loop.
 */
class ShipmentTest {

    static final class Dock {
        volatile boolean free;
    }

    @Test
    @Timeout(3)
    void shipmentArrives() throws InterruptedException {
        Dock dock = new Dock();
        CountDownLatch docked = new CountDownLatch(1);
        CountDownLatch shipped = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (dock) {
                docked.countDown();
                try {
                    while (!dock.free) {
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "dock-holder");
        holder.setDaemon(true);
        holder.start();
        docked.await();
        Thread shipper = new Thread(() -> {
            synchronized (dock) {
                shipped.countDown();
            }
        }, "shipper");
        shipper.setDaemon(true);
        shipper.start();
        shipped.await();
    }
}
