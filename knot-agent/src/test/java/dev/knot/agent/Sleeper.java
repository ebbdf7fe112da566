package dev.knot.agent;

/** A target JVM that needs nothing but java.base: prints READY pid=N and sleeps. */
public final class Sleeper {
    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
