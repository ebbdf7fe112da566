package dev.knot.agent;

/**
 * What must survive between loads of the agent into one JVM. Each {@code loadAgent} / {@code JVMTI.agent_load}
 * calls {@code agentmain} again on the same (already loaded) classes, so this state is per JVM. Deliberately
 * tiny and free of references to other classes, so that it can always be loaded.
 */
final class AgentState {
    /** Guards {@link #installed}. */
    static final Object LOCK = new Object();

    /** True once java.base has been opened to the snapshot code. */
    static boolean installed;

    /** Why the agent disabled itself (one line), or null while it works. */
    static volatile String disabledReason;

    private AgentState() {
    }
}
