package dev.knot.cli;

import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.ThreadDump;
import dev.knot.input.UnreadableInputException;
import dev.knot.rules.Analyzer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import dev.knot.input.LiveParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Takes a live snapshot of a running JVM from inside it and explains every hang in it.",
                "Loads the Knot agent (knot-agent.jar next to knot.jar, or $KNOT_AGENT_JAR) into the JVM. A live snapshot"
                        + " sees what dumps cannot: all virtual threads (JDK 21+), owners of j.u.c locks, read-lock"
                        + " holders, semaphore permits, pool queues. The target must be a JVM of your user running"
                        + " Java 17 or newer; JDK 21+ targets print a warning about a dynamically loaded agent."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no hang found", "2:a hang was found (deadlock, self-deadlock, starvation, orphaned-lock)",
                "3:the snapshot could not be read",
                "4:no snapshot could be taken (no such process, not a JVM, another user's, attach or agent refused, agent failed)",
                "64:wrong usage", "70:internal error"})
final class AttachCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "PID", description = "Process id of the JVM; see --list.")
    String pid;

    @Option(names = {"-l", "--list"}, description = "List the JVMs of this user that knot can attach to (pid and main class).")
    boolean list;

    @Mixin
    Output output;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long to wait for the snapshot (default 60).")
    int timeoutSeconds;

    @Option(names = "--timings", description = "Print to stderr where the time went (in knot and in the target).")
    boolean timings;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (timings) Timings.enable();
        Timings.mark("command line parsed");
        try {
            if (list) {
                if (pid != null) throw new LiveAttach.Failure(ExitCodes.USAGE, "knot attach: --list takes no PID");
                return list();
            }
            if (pid == null) {
                throw new LiveAttach.Failure(ExitCodes.USAGE,
                        "knot attach: which JVM? give its PID (`knot attach --list` shows them)");
            }
            if (!output.valid(err, "attach")) return ExitCodes.USAGE;
            if (timeoutSeconds <= 0) throw new LiveAttach.Failure(ExitCodes.USAGE, "knot attach: --timeout must be positive");
            long id = LiveAttach.parsePid("attach", pid);
            List<ThreadDump> dumps;
            LiveAttach.Snapshot early = EarlyAttach.take(id, timeoutSeconds);
            try (LiveAttach.Snapshot s = early != null ? early : LiveAttach.take("attach", id, Duration.ofSeconds(timeoutSeconds))) {
                dumps = read(s, Duration.ofSeconds(timeoutSeconds));
                Timings.mark("snapshot read");
            }
            Report report = Analyzer.analyze(dumps);
            Timings.mark("analysed");
            output.render(report);
            Timings.mark("rendered");
            Timings.print(System.err);
            return report.hangFound() ? ExitCodes.HANG : ExitCodes.OK;
        } catch (LiveAttach.Failure f) {
            err.println(f.getMessage());
            err.flush();
            return f.exitCode;
        }
    }

    /**
     * Starts the attach while picocli sets up the command line (~0.15 s of a cold start), for the plain forms
     * {@code knot attach [--timings] [--format F] [--color C] [--timeout S] PID} only, with valid values: then the
     * command runs exactly as it would, and the attach it would start is already under way. Anything else
     * (help, --list, a typo) is left to picocli and attaches, if at all, as usual.
     */
    static final class EarlyAttach {
        private static volatile FutureTask<LiveAttach.Snapshot> task;
        private static volatile long pid;
        private static volatile int timeout;

        private EarlyAttach() {
        }

        static void start(String[] args) {
            if (args.length < 2 || !args[0].equals("attach")) return;
            long id = -1;
            int seconds = 60;
            boolean timings = false;
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                String name = a.startsWith("-") && eq > 0 ? a.substring(0, eq) : a;
                if (name.equals("--format") || name.equals("-f") || name.equals("--color") || name.equals("--timeout")) {
                    if (eq > 0 && a.startsWith("-")) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        return;
                    }
                }
                switch (name) {
                    case "--timings" -> timings = true;
                    case "--format", "-f" -> {
                        if (!Output.FORMATS.contains(value)) return;
                    }
                    case "--color" -> {
                        if (!Output.COLORS.contains(value)) return;
                    }
                    case "--timeout" -> {
                        if (!value.matches("[0-9]{1,6}") || (seconds = Integer.parseInt(value)) <= 0) return;
                    }
                    default -> {
                        if (id >= 0 || !a.matches("[0-9]{1,18}")) return;
                        id = Long.parseLong(a);
                        if (id <= 0) return;
                    }
                }
            }
            if (id < 0) return;
            if (timings) Timings.enable();
            long target = id;
            int s = seconds;
            FutureTask<LiveAttach.Snapshot> t = new FutureTask<>(() -> LiveAttach.take("attach", target, Duration.ofSeconds(s)));
            pid = id;
            timeout = seconds;
            task = EarlyTasks.start("knot-early-attach", t);
        }

        /** The early attach's snapshot if it was started for this pid and timeout, else null. */
        static LiveAttach.Snapshot take(long id, int seconds) throws LiveAttach.Failure {
            FutureTask<LiveAttach.Snapshot> t = task;
            if (t == null || id != pid || seconds != timeout) return null;
            task = null;
            try {
                return EarlyTasks.result(t, LiveAttach.Failure.class);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LiveAttach.Failure("knot attach: interrupted while waiting for the snapshot");
            }
        }
    }

    /** Reads the agent's snapshot file, naming it after the process rather than the temporary file. */
    static List<ThreadDump> read(LiveAttach.Snapshot s, Duration timeout) throws LiveAttach.Failure {
        String source = "pid " + s.pid();
        try {
            if (Files.exists(s.threads())) {
                // In two parts: parse the text dump while the agent works out the facts, then merge them.
                List<ThreadDump> text = DumpReader.readFile(s.threads(), source);
                Timings.mark("text dump parsed");
                s.awaitFile(timeout);
                Timings.mark("facts file seen");
                LiveParts parts;
                try (Reader r = Files.newBufferedReader(s.file(), StandardCharsets.UTF_8)) {
                    parts = LiveParts.read(r);
                } catch (IOException e) {
                    throw new UnreadableInputException(source, e.getMessage());
                }
                if (text.size() != 1) throw new UnreadableInputException(source, text.size() + " thread dumps in the text part");
                return List.of(parts.merge(text.get(0)));
            }
            try (InputStream in = Files.newInputStream(s.file())) {
                return DumpReader.read(source, in);
            }
        } catch (UnreadableInputException e) {
            throw new LiveAttach.Failure(ExitCodes.UNREADABLE_INPUT, "knot: " + e.getMessage());
        } catch (IOException e) {
            throw new LiveAttach.Failure(ExitCodes.UNREADABLE_INPUT, "knot: " + source + ": cannot read the snapshot: " + e.getMessage());
        }
    }

    private int list() throws LiveAttach.Failure {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        long self = ProcessHandle.current().pid();
        for (String[] vm : LiveAttach.listJvms()) {
            String name = vm[1].isBlank() ? "(no main class)" : vm[1];
            if (vm[0].equals(Long.toString(self))) name += "  (this knot process)";
            out.printf("%-8s %s%n", vm[0], name);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
