package dev.knot.track.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Semaphore holdings: slots are kept at count 0 and reused, and the snapshot sees only real holdings. */
class ThreadStateTest {
    final ThreadState s = new ThreadState(Thread.currentThread());
    final Object a = new Object();
    final Object b = new Object();
    final Object c = new Object();

    @Test
    void aReleasedSemaphoreIsNotHeldAndItsSlotIsReused() {
        s.acquire(a, 1, null);
        assertTrue(s.release(a, 1));
        assertEquals(0, s.holdings().length);
        assertFalse(s.disposable() && s.thread() != null && s.thread().isAlive());
        s.acquire(b, 2, "site-b");
        Object[][] h = s.holdings();
        assertEquals(1, h.length);
        assertSame(b, h[0][0]);
        assertEquals(2, h[0][1]);
        assertEquals("site-b", h[0][2]);
        assertFalse(s.release(a, 1), "a was released while this thread held none of its permits");
    }

    @Test
    void countsAddUpAndAnOverReleaseIsForeign() {
        s.acquire(a, 1, "first");
        s.acquire(a, 2, "second");
        s.acquire(b, 1, null);
        s.acquire(c, 1, null); // grows the table
        assertTrue(s.release(a, 2));
        assertTrue(s.release(b, 1));
        Object[][] h = s.holdings();
        assertEquals(2, h.length);
        for (Object[] e : h) {
            if (e[0] == a) {
                assertEquals(1, e[1]);
                assertEquals("first", e[2]);
            } else {
                assertSame(c, e[0]);
            }
        }
        assertFalse(s.release(a, 2), "released more than it held");
        assertTrue(s.release(c, 1));
        assertEquals(0, s.holdings().length);
        s.acquire(a, 1, "again");
        assertEquals("again", s.holdings()[0][2], "a new first acquisition has a new site");
    }
}
