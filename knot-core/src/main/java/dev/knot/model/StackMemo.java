package dev.knot.model;

import dev.knot.snapshot.StackFrame;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The last results of one frame walk, by the identity of the stack walked. The parser gives threads with the
 * same frames one shared list, so a pool of 10,000 parked workers is walked once per question instead of 10,000
 * times (the walks compare class and method names frame by frame: most of the model's time on such dumps).
 *
 * <p>A small table of immutable entries, read and written without locks by the threads that build the model:
 * a racy read sees an older entry or none (then the walk runs again); final fields make each entry whole.
 *
 * @param <R> the walk's result
 */
final class StackMemo<R> {
    private static final int SLOTS = 64;

    private static final class Entry<R> {
        final List<StackFrame> frames;
        final String extra;
        final R result;

        Entry(List<StackFrame> frames, String extra, R result) {
            this.frames = frames;
            this.extra = extra;
            this.result = result;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final Entry<R>[] slots = new Entry[SLOTS];
    private final BiFunction<String, List<StackFrame>, R> walk;

    /** {@code walk} must depend on nothing but its two arguments. */
    StackMemo(BiFunction<String, List<StackFrame>, R> walk) {
        this.walk = walk;
    }

    R get(List<StackFrame> frames) {
        return get("", frames);
    }

    R get(String extra, List<StackFrame> frames) {
        int slot = (System.identityHashCode(frames) ^ extra.hashCode()) & (SLOTS - 1);
        Entry<R> e = slots[slot];
        if (e != null && e.frames == frames && e.extra.equals(extra)) return e.result;
        R r = walk.apply(extra, frames);
        slots[slot] = new Entry<>(frames, extra, r);
        return r;
    }
}
