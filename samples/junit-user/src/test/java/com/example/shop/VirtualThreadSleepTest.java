package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Healthy: virtual threads that sleep, all joined. Knot must report nothing (JDK 25 starts a scheduler thread). */
@Order(1)
class VirtualThreadSleepTest {

    @Test
    void sleepingVirtualThreadsLeaveNothingBehind() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        // Executors.newVirtualThreadPerTaskExecutor(), by reflection: compiled for JDK 17
        ExecutorService vt = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        List<Future<Integer>> prices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            prices.add(vt.submit(() -> {
                Thread.sleep(10);
                return n;
            }));
        }
        int total = 0;
        for (Future<Integer> p : prices) total += p.get();
        vt.shutdown();
        vt.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(190, total);
    }
}
