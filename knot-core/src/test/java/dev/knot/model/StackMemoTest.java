package dev.knot.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knot.snapshot.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StackMemoTest {
    private static final StackFrame RUN = new StackFrame("java.lang.Thread", "run", "java.base@17", "Thread.java", 840,
            false, List.of(), "at java.lang.Thread.run(java.base@17/Thread.java:840)");

    @Test
    void walksAStackOncePerQuestionAndAgainForAnotherListOrKey() {
        AtomicInteger walks = new AtomicInteger();
        StackMemo<String> memo = new StackMemo<>((extra, frames) -> {
            walks.incrementAndGet();
            return extra + frames.size();
        });
        List<StackFrame> shared = List.of(RUN);
        for (int i = 0; i < 1000; i++) assertEquals("1", memo.get(shared));
        assertEquals(1, walks.get());
        assertEquals("1", memo.get(new ArrayList<>(shared)));
        assertEquals(2, walks.get(), "an equal list that is another object is walked (identity, not equality)");
        assertEquals("x1", memo.get("x", shared));
        assertEquals("x1", memo.get("x", shared));
        assertEquals(3, walks.get());
        assertEquals("1", memo.get(shared));
    }
}
