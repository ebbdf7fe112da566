package dev.knot.track.bench;

import dev.knot.live.LiveSnapshot;
import dev.knot.track.Tracking;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Fails the fork unless the configuration is what the runner asked for ({@code -Dknot.track.expect=}): {@code none}
 * (no agent), {@code snapshot} (agent loaded with {@code track=none}: java.base opened, nothing instrumented; one
 * live snapshot is taken before measuring, so what is measured is the steady state after it), or the tracked kinds.
 */
@State(Scope.Benchmark)
public class Expect {
    @Setup(Level.Trial)
    public void check() {
        String want = System.getProperty("knot.track.expect", "none");
        boolean agent = Object.class.getModule().isOpen("java.util.concurrent", Expect.class.getModule());
        String have = Tracking.active() != null
                ? Tracking.active().kinds() + (Tracking.active().sites() ? "+sites" : "")
                : agent ? "snapshot" : "none";
        if (!want.equals(have)) throw new IllegalStateException("configuration is " + have + ", expected " + want);
        if (agent && LiveSnapshot.take("bench").threads().isEmpty()) throw new IllegalStateException("empty snapshot");
    }
}
