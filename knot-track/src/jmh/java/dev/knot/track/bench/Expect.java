package dev.knot.track.bench;

import dev.knot.track.Tracking;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Fails the fork unless tracking is what the runner asked for (-Dknot.track.expect=none|kinds). */
@State(Scope.Benchmark)
public class Expect {
    @Setup(Level.Trial)
    public void check() {
        String want = System.getProperty("knot.track.expect", "none");
        String have = Tracking.active() == null ? "none" : Tracking.active().kinds()
                + (Tracking.active().sites() ? "+sites" : "");
        if (!want.equals(have)) throw new IllegalStateException("tracking is " + have + ", expected " + want);
    }
}
