package dev.knot.sites;

/** What a waiting thread is trying to do to its resource. */
public enum WaitMode {
    LOCK("waits to lock"),
    RELOCK("waits to re-enter (after wait())"),
    READ_LOCK("waits for the read lock of"),
    WRITE_LOCK("waits for the write lock of"),
    ACQUIRE("waits for a permit of"),
    AWAIT("waits on"),
    NOTIFY("waits in Object.wait() for a notify on"),
    PUT("waits for space in"),
    TAKE("waits for an element of"),
    GET("waits for the result of"),
    BORROW("waits to borrow from"),
    INIT("waits for"),
    JOIN("waits for"),
    PARK("is parked on");

    private final String verb;

    WaitMode(String verb) {
        this.verb = verb;
    }

    public String verb() {
        return verb;
    }
}
