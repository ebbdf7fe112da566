package com.example.shop;

import org.junit.jupiter.api.Test;

/** A background import dies of an exception nobody looks at: passes on its own, expected UNOBSERVED FAILURE. */
class ImportTest {

    @Test
    void importRunsInTheBackground() throws InterruptedException {
        Thread importer = new Thread(() -> {
            throw new IllegalStateException("row 3 has no sku");
        }, "importer");
        importer.start();
        importer.join();
    }

    @Test
    void plainArithmetic() {
        org.junit.jupiter.api.Assertions.assertEquals(4, 2 + 2);
    }
}
