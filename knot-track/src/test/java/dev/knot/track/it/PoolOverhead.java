package dev.knot.track.it;

import dev.knot.track.boot.KnotTracker;
import java.sql.Connection;
import java.util.Arrays;

/**
 * Not a test: the cost of {@code track=pools} per borrow and return, paired inside one JVM started with the tracking
 * agent ({@code -javaagent:knot-track-…-agent.jar=track=pools}): rounds alternate the pool hooks on and off
 * ({@link KnotTracker#pools}; the hook calls stay in the code and return at once when off), one thread borrowing and
 * returning as fast as it can, and print each configuration's median ns per borrow+return.
 * Run: {@code java -javaagent:AGENT=track=pools[,track.sites=true] -cp TEST_CLASSPATH dev.knot.track.it.PoolOverhead}.
 */
public final class PoolOverhead {
    private PoolOverhead() {
    }

    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        org.apache.commons.pool2.impl.GenericObjectPool<Object> pool = ChildMain.pool(8);
        Op commons = () -> pool.returnObject(pool.borrowObject());
        com.zaxxer.hikari.HikariConfig c = new com.zaxxer.hikari.HikariConfig();
        c.setJdbcUrl("jdbc:h2:mem:bench");
        c.setMaximumPoolSize(4);
        try (com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(c)) {
            Op hikari = () -> {
                try (Connection x = ds.getConnection()) {
                    x.isClosed();
                }
            };
            report("commons-pool2 borrowObject+returnObject", commons, rounds);
            report("HikariCP getConnection+close", hikari, rounds);
        }
        System.out.println("hook errors: " + KnotTracker.errors());
    }

    static void report(String what, Op op, int rounds) throws Exception {
        int n = 200_000;
        for (int i = 0; i < 3; i++) time(op, n); // warm-up, both paths
        double[] on = new double[rounds];
        double[] off = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            boolean onFirst = r % 2 == 0;
            KnotTracker.pools = onFirst;
            double a = time(op, n);
            KnotTracker.pools = !onFirst;
            double b = time(op, n);
            on[r] = onFirst ? a : b;
            off[r] = onFirst ? b : a;
            ratio[r] = on[r] / off[r];
        }
        KnotTracker.pools = true;
        System.out.printf("%s: off %.1f ns, on %.1f ns, on/off %.3f (median of %d paired rounds of %d)%n", what,
                median(off), median(on), median(ratio), rounds, n);
    }

    static double time(Op op, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) op.run();
        return (System.nanoTime() - t0) / (double) n;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
