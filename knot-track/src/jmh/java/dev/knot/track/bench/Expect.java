package dev.knot.track.bench;

import dev.knot.live.LiveSnapshot;
import dev.knot.track.PairedSwitch;
import dev.knot.track.Tracking;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Fails the fork unless the configuration is what the runner asked for ({@code -Dknot.track.expect=}): {@code none}
 * (no agent), {@code snapshot} (agent loaded with {@code track=none}: java.base opened, nothing instrumented; one
 * live snapshot is taken before measuring, so what is measured is the steady state after it), the tracked kinds, or
 * {@code paired} (tracking switched on and off from one iteration to the next, see {@link #phase}).
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
        paired = want.equals(PAIRED);
        if (paired) want = "snapshot";
        if (!want.equals(have)) throw new IllegalStateException("configuration is " + have + ", expected " + want);
        if (agent && LiveSnapshot.take("bench").threads().isEmpty()) throw new IllegalStateException("empty snapshot");
    }

    /** {@code -Dknot.track.expect=paired}: the agent with track=none, tracking switched on and off per iteration. */
    static final String PAIRED = "paired";
    /** Paired forks switch this many extra {@link Work} tokens instead of tracking (a control). */
    static final String NUDGE = "knot.track.paired.nudge";
    /** Warm-up iterations of the fork (to know which iteration is the first measured one). */
    static final String WARMUP = "knot.track.warmup";

    private boolean paired;
    private int iteration;

    /**
     * Paired mode: measured iterations come in blocks of two with tracking off or on, the first of each block to
     * settle after the switch (retransforming deoptimises the code that inlined the switched classes), the second
     * measured. Blocks go off, on, on, off, off, on, ...: each pair of blocks holds one of each, in alternating
     * order, so that a drift of the machine's speed cancels. Warm-up iterations alternate.
     */
    @Setup(Level.Iteration)
    public void phase() throws Exception {
        if (!paired) return;
        int m = iteration++ - Integer.getInteger(WARMUP, 0);
        boolean on = m < 0 ? (m & 1) != 0 : trackedIn(m);
        long nudge = Long.getLong(NUDGE, 0);
        if (nudge > 0) Work.extra = on ? nudge : 0;
        else PairedSwitch.set(on);
        cpuAtStart = processCpuNanos();
        wallAtStart = System.nanoTime();
    }

    /**
     * {@code -Dknot.track.cpuOut=FILE}: appends each iteration's process CPU time and wall time ("cpuNs wallNs", warm-up
     * iterations included) to FILE, so that the runner can give CPU per operation next to time per operation. CPU
     * time counts what tracking costs in work done, whoever does it, and not how the scheduler happened to place
     * the threads of a workload that parks and wakes (which moves wall time by ±10 % per iteration on 2 cores).
     */
    static final String CPU_OUT = "knot.track.cpuOut";
    private long cpuAtStart;
    private long wallAtStart;

    @TearDown(Level.Iteration)
    public void cpu() throws Exception {
        String out = System.getProperty(CPU_OUT);
        if (!paired || out == null) return;
        long wall = System.nanoTime() - wallAtStart;
        long cpu = processCpuNanos() - cpuAtStart;
        java.nio.file.Files.writeString(java.nio.file.Path.of(out), cpu + " " + wall + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Whether measured iteration {@code m} (0-based) of a paired fork runs with tracking on. */
    static boolean trackedIn(int m) {
        int block = m / 2;
        return block % 4 == 1 || block % 4 == 2;
    }

    @TearDown(Level.Trial)
    public void noErrors() throws Exception {
        if (paired && PairedSwitch.errors() != 0) throw new IllegalStateException(PairedSwitch.errors() + " hook errors");
    }
}
