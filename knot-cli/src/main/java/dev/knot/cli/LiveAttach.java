package dev.knot.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.knot.findings.Report;
import dev.knot.input.AgentProtocol;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code knot attach} and {@code knot dump} share: checking the target process, finding the agent jar,
 * loading it into the target with the JDK attach API and waiting for the snapshot file it writes.
 *
 * <p>Every problem becomes a {@link Failure} with one line for the user: never a stack trace. The attach API
 * (module jdk.attach) is touched only by {@link AttachApi}, and only after checking that this Java has it.
 */
final class LiveAttach {

    static final int CANNOT_SNAPSHOT = ExitCodes.CANNOT_SNAPSHOT;

    /** Default time to wait for the agent's snapshot file. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Environment variable that names the agent jar to use. */
    static final String AGENT_JAR_ENV = "KNOT_AGENT_JAR";

    static final String AGENT_JAR_NAME = "knot-agent.jar";

    private static final String SNAPSHOT_FILE = "snapshot.json";
    /**
     * How long to watch for the socket of a listener Knot started before leaving it to the JDK's attach (which then
     * sends its own request and waits up to 10 s): a listener is up in a few ms, a JVM that takes longer is busy.
     */
    private static final long LISTENER_WAIT_MILLIS = 500;
    /** {@code -Dknot.attach.startListener=false} (e.g. in KNOT_JAVA_OPTS): leave starting the listener to the JDK. */
    static final String START_LISTENER = "knot.attach.startListener";

    private LiveAttach() {
    }

    /** A problem for the user: a one-line message and the exit code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        Failure(String message) {
            this(CANNOT_SNAPSHOT, message);
        }
    }

    /**
     * The snapshot file the agent wrote, in a private temporary directory that {@link #close()} removes (as does a
     * shutdown hook, should knot be interrupted while it waits).
     */
    record Snapshot(long pid, Path file, Path dir, Duration elapsed, Thread cleanup) implements AutoCloseable {
        /** The text thread dump of a snapshot in two parts, written before {@link #file()}. */
        Path threads() {
            return AgentProtocol.sibling(file, AgentProtocol.THREADS_SUFFIX);
        }

        /** Waits for {@link #file()} after {@link #threads()} appeared. */
        void awaitFile(Duration timeout) throws Failure {
            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process == null) throw new Failure("knot: pid " + pid + " exited before its snapshot was written");
            LiveAttach.awaitFile("knot: ", process, file, null, timeout);
            if (Timings.enabled()) agentTimings(file);
        }

        @Override
        public void close() {
            deleteDir(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }

        static void deleteDir(Path dir) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
            } catch (IOException | RuntimeException ignored) {
                // a leftover file in the temp directory is no reason to fail
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException | RuntimeException ignored) {
                // as above
            }
        }
    }

    // ---------------------------------------------------------------- arguments

    static long parsePid(String command, String text) throws Failure {
        try {
            long pid = Long.parseLong(text.strip());
            if (pid > 0) return pid;
        } catch (NumberFormatException e) {
            // below
        }
        throw new Failure(ExitCodes.USAGE, "knot " + command + ": '" + text + "' is not a process id;"
                + " `knot attach --list` shows the JVMs you can attach to");
    }

    // ---------------------------------------------------------------- taking the snapshot

    /**
     * Loads the agent into {@code pid} and waits until it has written its snapshot.
     *
     * @param command "attach" or "dump", for messages
     */
    static Snapshot take(String command, long pid, Duration timeout) throws Failure {
        String p = "knot " + command + ": ";
        requireAttachModule(p);
        if (pid == ProcessHandle.current().pid()) {
            throw new Failure(p + "pid " + pid + " is this knot process itself");
        }
        ProcessHandle process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new Failure(p + "no process with pid " + pid));
        String me = System.getProperty("user.name", "");
        Optional<String> owner = process.info().user();
        boolean otherUser = owner.isPresent() && !owner.get().equals(me);
        if (otherUser && !isRoot(me)) {
            throw new Failure(p + "pid " + pid + " belongs to user " + owner.get() + ", not to " + me
                    + "; a JVM accepts only its own user (or root): "
                    + (isRoot(owner.get()) ? "sudo" : "sudo -u " + owner.get()) + " knot " + command + " " + pid);
        }
        if (!AttachApi.isJvm(pid, owner.orElse(me))) {
            String name = process.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
            throw new Failure(p + "pid " + pid + (name.isEmpty() ? "" : " (" + name + ")") + " is not a Java virtual machine");
        }
        Path jar = agentJar(p);
        Path dir;
        try {
            dir = privateTempDirectory("knot-" + command + "-");
            if (otherUser) giveTo(dir, owner.get());
        } catch (IOException | RuntimeException e) {
            throw new Failure(p + "cannot create a temporary directory for the snapshot: " + e.getMessage());
        }
        Thread cleanup = new Thread(() -> Snapshot.deleteDir(dir), "knot-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Snapshot snapshot = new Snapshot(pid, dir.resolve(SNAPSHOT_FILE), dir, Duration.ZERO, cleanup);
        long started = System.nanoTime();
        Timings.mark("checks (pid, agent jar, temp dir)");
        // started after every check that can fail, so that its attach file is always deleted by the await below
        AttachListener listener = otherUser || !Boolean.parseBoolean(System.getProperty(START_LISTENER, "true")) ? null
                : AttachListener.start(pid, me);
        try {
            if (listener != null) {
                boolean up = listener.await(LISTENER_WAIT_MILLIS);
                Timings.mark(up ? "attach listener up" : "attach listener not up: left to the attach API");
            }
            // the file last: a comma in its name stays in the value
            String options = AgentProtocol.options(AgentProtocol.TIMINGS_OPTION, Timings.enabled() ? "true" : null,
                    AgentProtocol.PARTS_OPTION, "true", AgentProtocol.SNAPSHOT_OPTION, snapshot.file().toString());
            AttachApi.loadAgent(p, pid, jar, options);
            awaitFile(p, process, snapshot.file(), snapshot.threads(), timeout);
            boolean text = Files.exists(snapshot.threads());
            Timings.mark(text ? "text dump file seen" : "snapshot file seen");
            if (Timings.enabled() && !text) agentTimings(snapshot.file());
        } catch (Failure | RuntimeException | Error e) {
            snapshot.close();
            throw e;
        }
        return new Snapshot(pid, snapshot.file(), dir, Duration.ofNanos(System.nanoTime() - started), cleanup);
    }

    /** The agent's timings ({@code FILE.timings}: lines of nanoTime and phase name) as marks. */
    static void agentTimings(Path file) {
        try {
            for (String line : Files.readAllLines(AgentProtocol.sibling(file, AgentProtocol.TIMINGS_SUFFIX))) {
                int sp = line.indexOf(' ');
                if (sp > 0) Timings.mark(line.substring(sp + 1), Long.parseLong(line.substring(0, sp)));
            }
        } catch (IOException | RuntimeException e) {
            Timings.mark("(no agent timings: " + e + ")");
        }
    }

    /**
     * Polls for the snapshot, or {@code orFile} if not null (or the agent's error file); fails if the target exits
     * or time runs out. Polls every 2 ms: a stat costs microseconds, and the snapshot is awaited by a person.
     */
    private static void awaitFile(String p, ProcessHandle process, Path file, Path orFile, Duration timeout) throws Failure {
        Path error = AgentProtocol.sibling(file, AgentProtocol.ERROR_SUFFIX);
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleepMillis = 2;
        while (true) {
            if (Files.exists(file) || orFile != null && Files.exists(orFile)) return;
            if (Files.exists(error)) {
                String reason;
                try {
                    reason = Files.readString(error, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    reason = "(its error file could not be read)";
                }
                throw new Failure(p + "the Knot agent failed in pid " + process.pid() + ": " + reason);
            }
            if (!process.isAlive()) {
                throw new Failure(p + "pid " + process.pid() + " exited before its snapshot was written");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new Failure(p + "no snapshot from pid " + process.pid() + " within " + timeout.toSeconds()
                        + " s; the agent may have failed: look for a line starting 'knot-agent:' on the target's stderr");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure(p + "interrupted while waiting for the snapshot");
            }
        }
    }

    private static boolean isRoot(String user) {
        return "root".equals(user);
    }

    /** Root attaching to another user's JVM: that JVM writes the snapshot, so the directory must be its user's. */
    private static void giveTo(Path dir, String user) throws IOException {
        UserPrincipal principal = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(dir, principal);
    }

    static void requireAttachModule(String p) throws Failure {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new Failure(p + "this Java (" + System.getProperty("java.home") + ") has no attach support"
                    + " (module jdk.attach): run knot with a JDK, not a JRE (set JAVA_HOME or KNOT_JAVA)");
        }
    }

    /**
     * A new directory only this user can enter, in the temporary directory. Not {@code Files.createTempDirectory}:
     * its names come from a SecureRandom, whose first use sets up the security providers (30-60 ms on every
     * attach, before the attach can start). The name here is not guessable in advance either (pid, clock and a
     * random number), and the directory is always created new, with its permissions, or another name is tried, so
     * a path somebody prepared is never used.
     */
    static Path privateTempDirectory(String prefix) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        FileAttribute<?>[] ownerOnly = tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        String named = prefix + ProcessHandle.current().pid() + "-";
        FileAlreadyExistsException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return Files.createDirectory(tmp.resolve(named
                        + Long.toHexString(System.nanoTime() ^ ThreadLocalRandom.current().nextLong())), ownerOnly);
            } catch (FileAlreadyExistsException e) {
                last = e;
            }
        }
        throw last;
    }

    // ---------------------------------------------------------------- the agent jar

    /**
     * The agent jar: {@code $KNOT_AGENT_JAR}; else {@code knot-agent.jar} next to the running knot jar (or
     * classes directory); else {@code knot-agent/target/knot-agent.jar} in a Knot source tree above it.
     */
    static Path agentJar(String p) throws Failure {
        String env = System.getenv(AGENT_JAR_ENV);
        if (env != null && !env.isBlank()) {
            Path jar = Path.of(env).toAbsolutePath();
            if (!Files.isRegularFile(jar)) throw new Failure(p + AGENT_JAR_ENV + "=" + env + " is not a file");
            return jar;
        }
        List<Path> candidates = agentJarCandidates(codeLocation());
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) return c;
        }
        throw new Failure(p + "cannot find " + AGENT_JAR_NAME + " (looked at "
                + String.join(", ", candidates.stream().map(Path::toString).toList())
                + "); build Knot with `mvn package` or set " + AGENT_JAR_ENV);
    }

    static List<Path> agentJarCandidates(Path codeLocation) {
        List<Path> out = new ArrayList<>();
        if (codeLocation == null) return out;
        Path dir = Files.isDirectory(codeLocation) ? codeLocation : codeLocation.getParent();
        if (dir == null) return out;
        out.add(dir.resolve(AGENT_JAR_NAME));
        Path up = dir;
        for (int i = 0; i < 4 && up != null; i++, up = up.getParent()) {
            out.add(up.resolve("knot-agent").resolve("target").resolve(AGENT_JAR_NAME));
        }
        return out.stream().map(Path::normalize).distinct().toList();
    }

    private static Path codeLocation() {
        CodeSource source = LiveAttach.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The Java feature version in a {@code java.specification.version} value ("1.8" is 8), or -1. */
    /**
     * The target's Java feature version from its JDK's {@code release} file, found through {@code /proc/PID/exe};
     * -1 if that cannot be read. Asking the target instead ({@code getSystemProperties}) costs it ~50 ms on a first
     * attach.
     */
    static int featureVersionOnDisk(long pid) {
        try {
            Path exe = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
            Path release = exe.getParent().getParent().resolve("release");
            if (!exe.getFileName().toString().equals("java") || !Files.isReadable(release)) return -1;
            for (String line : Files.readAllLines(release, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("JAVA_VERSION=")) return featureVersion(line.substring(13).replace("\"", ""));
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static int featureVersion(String spec) {
        if (spec == null) return -1;
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("1.")) s = s.substring(2);
        int dot = s.indexOf('.');
        if (dot >= 0) s = s.substring(0, dot);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** JVMs of this user: pid and display name, by pid. */
    static List<String[]> listJvms() throws Failure {
        requireAttachModule("knot attach: ");
        List<String[]> out = new ArrayList<>(AttachApi.list());
        out.sort(Comparator.comparingLong(a -> Long.parseLong(a[0])));
        return out;
    }

    // ---------------------------------------------------------------- the JDK attach API

    /** The only code that touches module jdk.attach; loaded after {@link #requireAttachModule} said it exists. */
    static final class AttachApi {
        private AttachApi() {
        }

        static List<String[]> list() {
            List<String[]> out = new ArrayList<>();
            for (VirtualMachineDescriptor d : VirtualMachine.list()) out.add(new String[] {d.id(), d.displayName()});
            return out;
        }

        /**
         * Whether {@code pid} is a HotSpot JVM. Asked before attaching because the attach protocol sends SIGQUIT,
         * which ends most other programs. A JVM is listed by the attach API (its perf data file), or, on Linux,
         * has libjvm mapped; where neither can be checked the attach API decides.
         */
        static boolean isJvm(long pid, String owner) {
            String id = Long.toString(pid);
            // A JVM's perf data file (what VirtualMachine.list reads, for every JVM, ~0.1 s): a stat, ~0.5 ms.
            try {
                if (Files.isRegularFile(Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + owner, id))) return true;
            } catch (RuntimeException e) {
                // below
            }
            try {
                for (VirtualMachineDescriptor d : VirtualMachine.list()) {
                    if (d.id().equals(id)) return true;
                }
            } catch (RuntimeException e) {
                // fall through to /proc
            }
            Path maps = Path.of("/proc", id, "maps");
            if (!Files.exists(maps)) return !Files.isDirectory(Path.of("/proc/self"));
            try (Stream<String> lines = Files.lines(maps, StandardCharsets.ISO_8859_1)) {
                return lines.anyMatch(l -> l.contains("/libjvm."));
            } catch (IOException | java.io.UncheckedIOException e) {
                return true; // cannot tell: let the attach API try
            }
        }

        static void loadAgent(String p, long pid, Path jar, String options) throws Failure {
            VirtualMachine vm;
            try {
                vm = VirtualMachine.attach(Long.toString(pid));
                Timings.mark("VirtualMachine.attach");
            } catch (AttachNotSupportedException e) {
                if (oneLine(e).contains("respond")) {
                    throw new Failure(p + "pid " + pid + " did not answer the attach request (" + oneLine(e) + "); it may be"
                            + " stopped (kill -STOP), still starting, or too busy: try again, or kill -3 " + pid
                            + " and knot analyze the thread dump it prints on its standard output");
                }
                throw new Failure(p + "pid " + pid + " does not accept attach requests (" + oneLine(e)
                        + "); a JVM started with -XX:+DisableAttachMechanism cannot be attached to (nor can jstack or jcmd):"
                        + " kill -3 " + pid + " prints a thread dump on its standard output; knot analyze that output");
            } catch (IOException | RuntimeException e) {
                throw new Failure(p + "cannot attach to pid " + pid + ": " + oneLine(e));
            }
            try {
                int feature = featureVersionOnDisk(pid);
                if (feature < 0) {
                    feature = featureVersion(vm.getSystemProperties().getProperty("java.specification.version"));
                    Timings.mark("getSystemProperties");
                }
                if (feature > 0 && feature < 17) {
                    throw new Failure(p + "pid " + pid + " runs Java " + feature + "; the Knot agent needs Java 17"
                            + " or newer in the target; instead: jstack -l " + pid + " > " + pid + ".txt && knot analyze "
                            + pid + ".txt");
                }
                vm.loadAgent(jar.toString(), options);
                Timings.mark("loadAgent returned");
            } catch (AgentLoadException e) {
                throw refused(p, pid, jar, e);
            } catch (AgentInitializationException e) {
                throw new Failure(p + "the Knot agent failed to start in pid " + pid + " (" + oneLine(e)
                        + "); look for a line starting 'knot-agent:' on the target's stderr");
            } catch (IOException | RuntimeException e) {
                String m = oneLine(e);
                if (m.contains("EnableDynamicAgentLoading")) throw refused(p, pid, jar, e);
                throw new Failure(p + "loading the Knot agent into pid " + pid + " failed: " + m);
            } finally {
                try {
                    vm.detach();
                } catch (IOException | RuntimeException ignored) {
                    // the agent is loaded or has failed either way
                }
            }
        }

        private static Failure refused(String p, long pid, Path jar, Exception e) {
            String m = oneLine(e);
            if (m.contains("EnableDynamicAgentLoading") || m.toLowerCase(Locale.ROOT).contains("dynamic agent loading")) {
                return new Failure(p + "pid " + pid + " refuses agents loaded at run time (-XX:-EnableDynamicAgentLoading);"
                        + " start it with -javaagent:" + jar + " or -XX:+EnableDynamicAgentLoading,"
                        + " or use: jcmd " + pid + " Thread.print -l > " + pid + ".txt && knot analyze " + pid + ".txt");
            }
            return new Failure(p + "pid " + pid + " could not load the Knot agent: " + m);
        }

        private static String oneLine(Throwable t) {
            String m = t.getMessage();
            String text = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
            int nl = text.indexOf('\n');
            return nl >= 0 ? text.substring(0, nl).strip() : text;
        }
    }
}
