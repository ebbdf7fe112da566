package dev.knot.junit.examples;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** No @Knot here: Knot sees this leak only when JUnit's extension auto-detection registers it. */
@KnotExample
public class AutodetectedLeakExamples {

    @Test
    void leaksWithoutAnnotation() {
        AtomicBoolean stop = new AtomicBoolean();
        Cleanup.register(() -> stop.set(true));
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "unannotated-leak");
        t.setDaemon(true);
        t.start();
    }
}
