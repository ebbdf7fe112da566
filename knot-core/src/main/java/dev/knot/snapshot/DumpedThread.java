package dev.knot.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * One thread as a dump describes it, before any interpretation.
 *
 * @param name        thread name (may be empty for unnamed virtual threads)
 * @param id          Java thread id as printed ({@code 21} from {@code #21}), or empty
 * @param nativeId    OS thread id as printed ({@code 7459} or {@code 0x6f76}), or empty
 * @param virtual     a virtual thread
 * @param daemon      marked daemon
 * @param state       Thread.State, UNKNOWN if not printed
 * @param stateDetail text after the state, e.g. {@code parking}, {@code on object monitor}, {@code sleeping}
 * @param cpuMillis   CPU time in ms if printed ({@code cpu=0.50ms}), else -1
 * @param elapsedSeconds time since start in s if printed, else -1
 * @param container   thread container / pool if the format groups threads (JSON dumps), else empty
 * @param carrierOf   for a carrier: the id of the virtual thread mounted on it, else empty
 * @param carrierId   for a mounted virtual thread: the id of its carrier, else empty
 * @param frames      stack, innermost first
 * @param ownableSynchronizers j.u.c locks held ({@code Locked ownable synchronizers}); null when the
 *                    format did not list them (jstack without -l, JSON), empty when it listed none
 * @param headerLine  the header line as it appeared (evidence), may be empty
 * @param lineNumber  1-based line of the header in the input, or -1
 */
public record DumpedThread(String name, String id, String nativeId, boolean virtual, boolean daemon,
                           ThreadState state, String stateDetail, double cpuMillis, double elapsedSeconds,
                           String container, String carrierOf, String carrierId,
                           List<StackFrame> frames, List<ObjectRef> ownableSynchronizers,
                           String headerLine, int lineNumber) {

    public DumpedThread {
        name = name == null ? "" : name;
        id = id == null ? "" : id;
        nativeId = nativeId == null ? "" : nativeId;
        state = state == null ? ThreadState.UNKNOWN : state;
        stateDetail = stateDetail == null ? "" : stateDetail;
        container = container == null ? "" : container;
        carrierOf = carrierOf == null ? "" : carrierOf;
        carrierId = carrierId == null ? "" : carrierId;
        frames = frames == null ? List.of() : List.copyOf(frames);
        ownableSynchronizers = ownableSynchronizers == null ? null : List.copyOf(ownableSynchronizers);
        headerLine = headerLine == null ? "" : headerLine;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Mutable builder used by parsers. */
    public static final class Builder {
        public String name;
        public String id = "";
        public String nativeId = "";
        public boolean virtual;
        public boolean daemon;
        public ThreadState state = ThreadState.UNKNOWN;
        public String stateDetail = "";
        public double cpuMillis = -1;
        public double elapsedSeconds = -1;
        public String container = "";
        public String carrierOf = "";
        public String carrierId = "";
        public final List<StackFrame> frames = new ArrayList<>();
        /** The same frames as an immutable list another thread of the dump already has, or null (see build). */
        private List<StackFrame> sharedFrames;
        public List<ObjectRef> ownableSynchronizers;
        public String headerLine = "";
        public int lineNumber = -1;

        Builder(String name) {
            this.name = name;
        }

        /** Builds with {@code shared} (equal to {@link #frames}, already immutable) as the stack: parsers share one list per distinct stack. */
        public void shareFrames(List<StackFrame> shared) {
            sharedFrames = shared;
        }

        public DumpedThread build() {
            return new DumpedThread(name, id, nativeId, virtual, daemon, state, stateDetail, cpuMillis,
                    elapsedSeconds, container, carrierOf, carrierId, sharedFrames != null ? sharedFrames : frames,
                    ownableSynchronizers, headerLine, lineNumber);
        }
    }
}
