package dev.knot.cli;

import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.input.ThreadDump;
import dev.knot.input.UnreadableInputException;
import dev.knot.rules.Analyzer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Reads thread dumps and explains every hang in them.",
                "Formats are detected: jstack / jcmd Thread.print text (JDK 8-25, -l, -e, kill -3 logs with several dumps),"
                        + " jcmd Thread.dump_to_file JSON and text, Spring Boot actuator threaddump JSON and text,"
                        + " ThreadInfo.toString(); gzip-compressed or not. Several dumps of one process (in one file or"
                        + " several) are ordered by time and also checked for stalls."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no hang found", "2:a hang was found (deadlock, self-deadlock, starvation, orphaned-lock)",
                "3:an input is unreadable", "64:wrong usage", "70:internal error"})
final class AnalyzeCommand implements Callable<Integer> {

    /** Inputs larger than this get a progress bar on an interactive stderr. */
    static final long PROGRESS_THRESHOLD_BYTES = 4L << 20;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Thread dump files; - reads standard input.")
    List<String> files;

    @Mixin
    Output output;

    @Option(names = "--progress", description = "Show a progress bar for large inputs even when stderr is not a terminal.")
    boolean forceProgress;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!output.valid(err, "analyze")) return ExitCodes.USAGE;
        List<ThreadDump> dumps = new ArrayList<>();
        int unreadable = 0;
        for (String f : files) {
            try {
                dumps.addAll(read(f));
            } catch (UnreadableInputException e) {
                err.println("knot: " + e.getMessage());
                unreadable++;
            }
        }
        err.flush();
        if (dumps.isEmpty()) return ExitCodes.UNREADABLE_INPUT;
        Report report = Analyzer.analyze(DumpReader.orderByTime(dumps));
        output.render(report);
        if (report.hangFound()) return ExitCodes.HANG;
        return unreadable > 0 ? ExitCodes.UNREADABLE_INPUT : ExitCodes.OK;
    }

    private List<ThreadDump> read(String f) throws UnreadableInputException {
        if (f.equals("-")) return DumpReader.read("<stdin>", System.in);
        List<ThreadDump> early = EarlyRead.take(f);
        if (early != null) return early;
        return readFile(f, forceProgress || Terminal.interactive());
    }

    /** Reads one file; a progress bar on stderr if asked for and the file is big. */
    static List<ThreadDump> readFile(String f, boolean progressWanted) throws UnreadableInputException {
        Path p = Path.of(f);
        try {
            if (Files.isDirectory(p)) throw new UnreadableInputException(f, "is a directory, not a thread dump file");
            long size = Files.size(p);
            boolean progress = progressWanted && size > PROGRESS_THRESHOLD_BYTES;
            try (InputStream raw = Files.newInputStream(p)) {
                if (!progress) return DumpReader.read(f, raw);
                ProgressBarBuilder pb = new ProgressBarBuilder().setTaskName("reading " + p.getFileName())
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20).setInitialMax(size)
                        .setUpdateIntervalMillis(200).continuousUpdate();
                try (InputStream in = ProgressBar.wrap(raw, pb)) {
                    return DumpReader.read(f, in);
                }
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableInputException(f, "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UnreadableInputException(f, "permission denied");
        } catch (IOException e) {
            throw new UnreadableInputException(f, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Starts reading the first big input file while the command line is still being parsed: picocli's set-up
     * takes ~0.1 s of a cold start, time in which the second core would idle. Only for {@code knot analyze}
     * without a progress bar; what {@link #take} hands out is exactly what {@link #readFile} returns.
     */
    static final class EarlyRead {
        private static volatile String file;
        private static volatile FutureTask<List<ThreadDump>> task;

        private EarlyRead() {
        }

        static void start(String[] args) {
            if (args.length < 2 || !args[0].equals("analyze") || Terminal.interactive()) return;
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--progress") || args[i].equals("--")) return;
            }
            for (int i = 1; i < args.length; i++) {
                String f = args[i];
                if (f.startsWith("-")) continue;
                try {
                    Path p = Path.of(f);
                    if (!Files.isRegularFile(p) || Files.size(p) <= PROGRESS_THRESHOLD_BYTES) continue;
                } catch (IOException | RuntimeException e) {
                    continue; // not a path this can read early: the command reads it and reports the problem
                }
                FutureTask<List<ThreadDump>> t = new FutureTask<>(() -> readFile(f, false));
                file = f;
                task = t;
                Thread reader = new Thread(t, "knot-early-read");
                reader.setDaemon(true);
                reader.start();
                return;
            }
        }

        /** The early result for {@code f}, or null if it was not read early. */
        static List<ThreadDump> take(String f) throws UnreadableInputException {
            FutureTask<List<ThreadDump>> t = task;
            if (t == null || !f.equals(file)) return null;
            task = null;
            try {
                return t.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                t.cancel(true);
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnreadableInputException u) throw u;
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
