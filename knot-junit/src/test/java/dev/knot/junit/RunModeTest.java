package dev.knot.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Each surefire run of this module tests what it claims to (see the pom): JUnit version, java.base open or not. */
class RunModeTest {

    static final String MODE = System.getProperty("knot.test.mode", "closed");

    @Test
    void junitVersionMatchesTheRun() {
        String jupiter = Test.class.getPackage().getImplementationVersion();
        String testkit = EngineTestKit.class.getPackage().getImplementationVersion();
        String major = MODE.equals("junit6") ? "6." : "5.";
        assertTrue(jupiter.startsWith(major), "Jupiter " + jupiter + " in run " + MODE);
        assertTrue(testkit.startsWith(MODE.equals("junit6") ? "6." : "1."), "testkit " + testkit + " in run " + MODE);
    }

    @Test
    void reflectionMatchesTheRun() {
        boolean open = MODE.equals("opens") || MODE.equals("agent");
        assertEquals(open, Threads.markersReadable(), "markers readable in run " + MODE);
        assertEquals(open, Threads.JUC_OPEN, "java.util.concurrent open in run " + MODE);
        if (!open) assertFalse(Threads.VIRTUAL_VISIBLE);
        else assertEquals(Runtime.version().feature() >= 21, Threads.VIRTUAL_VISIBLE);
    }

    @Test
    void taskFailureTrackingMatchesTheRun() {
        assertEquals(MODE.equals("agent"), TaskFailures.available(), "task failures tracked in run " + MODE);
    }
}
