package dev.knot.cli;

import dev.knot.snapshot.ThreadDump;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Saves a live snapshot of a running JVM to a file, for a later `knot analyze FILE`.",
                "The same snapshot knot attach analyses, taken by the Knot agent inside the JVM. Never overwrites a file."
                        + " The target must be a JVM of your user running Java 17 or newer."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:saved", "3:the snapshot could not be read",
                "4:no snapshot could be taken or saved (no such process, not a JVM, another user's, attach or agent refused, agent failed)",
                "64:wrong usage (also: FILE exists)", "70:internal error"})
final class DumpCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1", paramLabel = "PID", description = "Process id of the JVM; `knot attach --list` shows them.")
    String pid;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to save it (default knot-PID-yyyyMMdd-HHmmss.json in the current directory).")
    Path output;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long to wait for the snapshot (default 60).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            long id = LiveAttach.parsePid("dump", pid);
            if (timeoutSeconds <= 0) throw new LiveAttach.Failure(ExitCodes.USAGE, "knot dump: --timeout must be positive");
            Path file = (output != null ? output : Path.of("knot-" + id + "-" + LocalDateTime.now().format(STAMP) + ".json"))
                    .toAbsolutePath().normalize();
            checkWritable(file);
            List<ThreadDump> dumps;
            try (LiveAttach.Snapshot s = LiveAttach.take("dump", id, Duration.ofSeconds(timeoutSeconds))) {
                dumps = AttachCommand.read(s, Duration.ofSeconds(timeoutSeconds)); // a damaged snapshot is not saved
                save(dumps.get(0), file);
            }
            int threads = dumps.stream().mapToInt(d -> d.threads().size()).sum();
            err.println("knot dump: saved a live snapshot of pid " + id + " (" + threads + " threads) to " + file);
            err.println("knot dump: analyse it with: knot analyze " + file);
            err.flush();
            return ExitCodes.OK;
        } catch (LiveAttach.Failure f) {
            err.println(f.getMessage());
            err.flush();
            return f.exitCode;
        }
    }

    private static void checkWritable(Path file) throws LiveAttach.Failure {
        if (Files.exists(file)) {
            throw new LiveAttach.Failure(ExitCodes.USAGE, "knot dump: " + file + " already exists; knot dump never"
                    + " overwrites a file: remove it or name another with -o FILE");
        }
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new LiveAttach.Failure(ExitCodes.USAGE, "knot dump: directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new LiveAttach.Failure("knot dump: cannot write to directory " + dir + " (permission denied)");
        }
    }

    /**
     * Puts the snapshot at {@code file} so that a reader sees all of it or nothing, and never replaces a file that
     * appeared meanwhile: written to a temporary sibling, then hard-linked to the name (a link fails if the name is
     * taken); where links are not supported, moved there after a last check.
     */
    private static void save(ThreadDump snapshot, Path file) throws LiveAttach.Failure {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (java.io.Writer w = Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8)) {
                dev.knot.input.SnapshotJson.write(snapshot, w);
            }
            try {
                Files.createLink(file, tmp);
                Files.delete(tmp);
            } catch (UnsupportedOperationException | IOException e) {
                if (e instanceof FileAlreadyExistsException) throw (FileAlreadyExistsException) e;
                if (Files.exists(file)) throw new FileAlreadyExistsException(file.toString());
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e2) {
                    Files.move(tmp, file);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new LiveAttach.Failure(ExitCodes.USAGE, "knot dump: " + file + " appeared while the snapshot was"
                    + " taken; knot dump never overwrites a file: name another with -o FILE");
        } catch (IOException e) {
            throw new LiveAttach.Failure("knot dump: cannot save the snapshot to " + file + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // leftover temporary file
            }
        }
    }
}
