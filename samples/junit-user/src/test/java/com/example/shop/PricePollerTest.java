package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Starts a poller and never stops it: passes on its own, expected THREAD LEAK. */
class PricePollerTest {

    @Test
    void pollerStarts() {
        Thread poller = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "price-poller");
        poller.setDaemon(true);
        poller.start();
        assertTrue(poller.isAlive());
    }
}
