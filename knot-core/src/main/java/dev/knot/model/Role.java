package dev.knot.model;

/** Why a thread matters for diagnosis. */
public enum Role {
    /** Application or framework code doing (or waiting on) real work. */
    APPLICATION,
    /** A pool worker, scheduler, selector or timer waiting for work: healthy by definition. */
    IDLE,
    /** JVM-internal: GC, JIT, reference handling, signal dispatch, attach listener. */
    SYSTEM
}
