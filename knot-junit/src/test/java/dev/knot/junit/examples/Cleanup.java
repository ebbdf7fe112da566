package dev.knot.junit.examples;

import java.util.ArrayList;
import java.util.List;

/** What the failing examples leave running on purpose, stopped by the suite once it has checked the messages. */
public final class Cleanup {
    private static final List<AutoCloseable> ACTIONS = new ArrayList<>();

    private Cleanup() {
    }

    static synchronized void register(AutoCloseable action) {
        ACTIONS.add(action);
    }

    public static synchronized void run() {
        for (AutoCloseable a : ACTIONS) {
            try {
                a.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        ACTIONS.clear();
    }
}
