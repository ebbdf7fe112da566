package dev.knot.examples;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * What every example shares: command-line options, waiting until the hang has formed, and writing the
 * process's own thread dumps.
 *
 * <p>Options: {@code --dump-text FILE} (jstack -l format), {@code --dump-json FILE} (JDK 21+),
 * {@code --dumps N --interval MS} (N text dumps MS apart in one file, like a kill -3 log), {@code --exit}
 * (exit after dumping instead of staying hung so that a user can run jstack).
 *
 * <p>Exit codes: 0 fine, 2 bad usage, 3 the hang did not form in time, 4 the JDK is too old for what was
 * asked, 5 a dump could not be written, 6 a library the example needs is not on the class path.
 */
public final class ExampleSupport {

    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_HANG_NOT_FORMED = 3;
    public static final int EXIT_JDK_TOO_OLD = 4;
    public static final int EXIT_DUMP_FAILED = 5;
    /** A library the example hangs in ({@link Expected#libraries()}) is not on the class path. */
    public static final int EXIT_LIBRARY_MISSING = 6;

    /** How long an example may take to reach its hang before it gives up with exit code 3. */
    public static final Duration HANG_TIMEOUT = Duration.ofSeconds(10);

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private ExampleSupport() {
    }

    /** Parsed command line of an example. Paths are absolute; {@code null} when not asked for. */
    public record Options(Path dumpText, Path dumpJson, int dumps, Duration interval, boolean exit) {

        public static final String USAGE =
                "options: [--dump-text FILE] [--dump-json FILE] [--dumps N] [--interval MS] [--exit]";

        /** Parses {@code args}; throws IllegalArgumentException with a usage message on bad input. */
        public static Options parse(String... args) {
            Path text = null;
            Path json = null;
            int dumps = 1;
            Duration interval = Duration.ofMillis(500);
            boolean exit = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--dump-text" -> text = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    case "--dump-json" -> json = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    case "--dumps" -> dumps = positive(value(args, ++i, arg), arg);
                    case "--interval" -> interval = Duration.ofMillis(positive(value(args, ++i, arg), arg));
                    case "--exit" -> exit = true;
                    default -> throw new IllegalArgumentException("unknown option " + arg + "; " + USAGE);
                }
            }
            return new Options(text, json, dumps, interval, exit);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            return args[index];
        }

        private static int positive(String text, String option) {
            try {
                int value = Integer.parseInt(text);
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a positive number, not " + text);
        }
    }

    /**
     * Parses the options of {@code example} and checks up front, before any thread hangs, that this JDK can
     * do what was asked: exits with code 2 on bad options and 4 when the JDK is older than the example's
     * {@link Expected#minJava()} or a JSON dump is asked for on a JDK before 21.
     */
    public static Options start(Class<?> example, String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            return fail(EXIT_USAGE, e.getMessage());
        }
        Expected expected = Examples.expected(example);
        int feature = javaFeatureVersion();
        if (feature < expected.minJava()) {
            return fail(EXIT_JDK_TOO_OLD, example.getSimpleName() + " needs JDK " + expected.minJava()
                    + "+, this is JDK " + feature);
        }
        if (options.dumpJson() != null && feature < 21) {
            return fail(EXIT_JDK_TOO_OLD, "JSON dumps need JDK 21+, this is JDK " + feature);
        }
        String missing = missingLibraries(example);
        if (!missing.isEmpty()) {
            return fail(EXIT_LIBRARY_MISSING, example.getSimpleName() + " needs " + missing
                    + " on the class path, which Knot does not bundle; run it from Knot's tests"
                    + " (mvn -pl knot-examples test) or add the jars to -cp");
        }
        return options;
    }

    /**
     * The coordinates of the example's {@link Expected#libraries()} that its class loader cannot find, joined with
     * ", "; empty when all are there.
     */
    public static String missingLibraries(Class<?> example) {
        return Arrays.stream(Examples.expected(example).libraries())
                .filter(library -> libraryClass(example, library) == null)
                .map(Expected.Library::coordinates)
                .collect(Collectors.joining(", "));
    }

    /** The library's probe class as the example's class loader finds it (not initialised), or null. */
    static Class<?> libraryClass(Class<?> example, Expected.Library library) {
        try {
            return Class.forName(library.probeClass(), false, example.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * Announces that the hang has formed, writes the dumps asked for, then either exits or keeps the process
     * hung. {@code hungThread} (may be null) is joined so that the main thread waits the way a real
     * application's main thread would, rather than looking like a thread that might still release something.
     */
    public static void hangFormed(Options options, Thread hungThread) {
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        try {
            if (options.dumpText() != null) {
                writeTextDumps(options.dumpText(), options.dumps(), options.interval());
            }
            if (options.dumpJson() != null) {
                writeJsonDump(options.dumpJson());
            }
        } catch (IOException | RuntimeException e) {
            fail(EXIT_DUMP_FAILED, "could not write thread dump: " + e);
        }
        if (options.exit()) {
            System.exit(EXIT_OK);
        }
        waitForever(hungThread);
    }

    private static void waitForever(Thread hungThread) {
        while (hungThread != null && hungThread.isAlive()) {
            try {
                hungThread.join();
            } catch (InterruptedException e) {
                // keep waiting: this process exists to stay hung until it is killed
            }
        }
        while (true) {
            LockSupport.park(ExampleSupport.class);
        }
    }

    // ---------------------------------------------------------------- waiting for the hang to form

    /**
     * Waits until every thread is BLOCKED or WAITING, the states of a thread stuck in a hang. Enough when the
     * threads block nowhere else on their way to the hang; otherwise use {@link #await} with a sharper test.
     */
    public static void awaitStates(Duration timeout, Thread... threads) {
        await(timeout, "threads BLOCKED or WAITING", () -> Arrays.stream(threads).allMatch(t -> {
            Thread.State state = t.getState();
            return state == Thread.State.BLOCKED || state == Thread.State.WAITING;
        }), threads);
    }

    /**
     * Polls {@code formed} until it is true. After {@code timeout} prints what was awaited and the states of
     * {@code involved}, and exits with code 3.
     */
    public static void await(Duration timeout, String what, BooleanSupplier formed, Thread... involved) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!formed.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String states = Arrays.stream(involved)
                        .map(t -> t.getName() + "=" + t.getState())
                        .collect(Collectors.joining(", "));
                fail(EXIT_HANG_NOT_FORMED, "hang did not form within " + timeout.toSeconds() + " s: waited for "
                        + what + (states.isEmpty() ? "" : "; states: " + states));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** True while {@code thread} waits to enter a monitor. */
    public static boolean isBlocked(Thread thread) {
        return thread.getState() == Thread.State.BLOCKED;
    }

    /** True while {@code thread} is parked (or waits) with a {@link Future} as its park blocker: Future.get(). */
    public static boolean isWaitingOnFuture(Thread thread) {
        return thread.getState() == Thread.State.WAITING && LockSupport.getBlocker(thread) instanceof Future;
    }

    /** True while {@code thread} is queued on {@code lock} and parked (WAITING) in its lock(). */
    public static boolean isParkedOn(ReentrantLock lock, Thread thread) {
        return lock.hasQueuedThread(thread) && thread.getState() == Thread.State.WAITING;
    }

    /** Id of the thread that owns the monitor {@code thread} is blocked on, or -1 (platform threads only). */
    public static long monitorOwnerId(Thread thread) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId());
        return info == null ? -1 : info.getLockOwnerId();
    }

    // ---------------------------------------------------------------- threads

    /** Starts a daemon platform thread: the examples must never keep a JVM alive on their own. */
    public static Thread startDaemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Starts a named virtual thread with {@code Thread.ofVirtual().name(name).start(task)}, by reflection
     * because this module is compiled for Java 17. Virtual threads are always daemon threads.
     */
    public static Thread startVirtual(String name, Runnable task) {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class).invoke(builder, name);
            return (Thread) builderType.getMethod("start", Runnable.class).invoke(builder, task);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads need JDK 21+, this is JDK "
                    + javaFeatureVersion(), e);
        }
    }

    /** The running JDK's feature version: 17, 21, 25... */
    public static int javaFeatureVersion() {
        return Runtime.version().feature();
    }

    // ---------------------------------------------------------------- dumps

    /** This process's thread dump as {@code jcmd <pid> Thread.print -l} (and so {@code jstack -l}) prints it. */
    public static String threadPrint() {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[] {"-l"}}, new String[] {String[].class.getName()});
            return (String) text;
        } catch (JMException e) {
            throw new IllegalStateException("DiagnosticCommand threadPrint failed", e);
        }
    }

    /**
     * Writes {@code count} text dumps taken {@code interval} apart into {@code file}, one after the other
     * as in the log of a process that received kill -3 several times. The file appears complete or not at all.
     */
    public static void writeTextDumps(Path file, int count, Duration interval) throws IOException {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                LockSupport.parkNanos(interval.toNanos()); // spacing between samples, not synchronisation
                log.append(System.lineSeparator());
            }
            log.append(threadPrint());
        }
        Path tmp = tmpSibling(file);
        createParent(file);
        Files.writeString(tmp, log, StandardCharsets.UTF_8);
        moveAtomically(tmp, file);
    }

    /**
     * Writes the JSON thread dump of JDK 21+ ({@code HotSpotDiagnosticMXBean.dumpThreads(path, JSON)}, called by
     * reflection because this module is compiled for 17). Unlike the text format it lists virtual threads.
     */
    public static void writeJsonDump(Path file) throws IOException {
        Path tmp = tmpSibling(file).toAbsolutePath(); // dumpThreads wants an absolute path that does not exist
        createParent(file);
        Files.deleteIfExists(tmp);
        try {
            Class<?> formatType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object json = Arrays.stream(formatType.getEnumConstants())
                    .filter(c -> ((Enum<?>) c).name().equals("JSON")).findFirst().orElseThrow();
            Method dumpThreads = HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, formatType);
            dumpThreads.invoke(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class),
                    tmp.toString(), json);
        } catch (InvocationTargetException e) {
            throw new IOException("dumpThreads failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("JSON dumps need JDK 21+, this is JDK "
                    + javaFeatureVersion(), e);
        }
        moveAtomically(tmp, file);
    }

    private static Path tmpSibling(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---------------------------------------------------------------- failing

    /** Prints {@code message} to stderr and exits with {@code code}. Declared to return so callers can return it. */
    static <T> T fail(int code, String message) {
        System.err.println(message);
        System.err.flush();
        System.exit(code);
        throw new AssertionError("unreachable");
    }
}
