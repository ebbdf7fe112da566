package dev.knot.cli;

import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.ThreadDump;
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

    @Option(names = "--timings", description = "Print to stderr where the time went.")
    boolean timings;

    @Override
    public Integer call() {
        if (timings) Timings.enable();
        Timings.mark("command line parsed");
        PrintWriter err = spec.commandLine().getErr();
        if (!output.valid(err, "analyze")) return ExitCodes.USAGE;
        Early early = files.size() == 1 ? Early.take(files.get(0)) : null;
        List<ThreadDump> dumps = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String f : files) {
            try {
                if (early != null) early.rethrow();
                dumps.addAll(early != null ? early.dumps() : read(f));
            } catch (UnreadableInputException e) {
                err.println("knot: " + e.getMessage());
                unreadable.add(e.getMessage());
            }
        }
        err.flush();
        if (dumps.isEmpty()) {
            // A JSON consumer always gets a document: no inputs, no findings, the errors as warnings.
            if (output.json()) output.render(new Report(List.of(), List.of(), unreadable));
            return ExitCodes.UNREADABLE_INPUT;
        }
        if (early == null) Timings.mark("read");
        Report report = early != null ? early.report() : analyze(dumps);
        if (early == null) Timings.mark("analysed");
        if (output.json() && !unreadable.isEmpty()) {
            List<String> warnings = new ArrayList<>(unreadable);
            warnings.addAll(report.warnings());
            report = new Report(report.dumps(), report.findings(), warnings);
        }
        output.render(report);
        Timings.mark("rendered");
        Timings.print(System.err);
        if (report.hangFound()) return ExitCodes.HANG;
        return unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.UNREADABLE_INPUT;
    }

    /** Several inputs: each process's dumps apart, oldest first. */
    static Report analyze(List<ThreadDump> dumps) {
        List<List<ThreadDump>> processes = new ArrayList<>();
        for (List<ThreadDump> p : DumpReader.byProcess(dumps)) processes.add(DumpReader.orderByTime(p));
        return Analyzer.analyzeApart(processes);
    }

    private List<ThreadDump> read(String f) throws UnreadableInputException {
        if (f.equals("-")) return DumpReader.read("<stdin>", System.in);
        return readFile(f, forceProgress || Terminal.interactive());
    }

    /** Reads one file; a progress bar on stderr if asked for and the file is big. */
    static List<ThreadDump> readFile(String f, boolean progressWanted) throws UnreadableInputException {
        Path p = Path.of(f);
        try {
            if (Files.isDirectory(p)) throw new UnreadableInputException(f, "is a directory, not a thread dump file");
            long size = Files.size(p);
            boolean progress = progressWanted && size > PROGRESS_THRESHOLD_BYTES;
            if (!progress) return DumpReader.readFile(p, f);
            try (InputStream raw = Files.newInputStream(p)) {
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
     * The analysis of a single big input, started before the command line is parsed: picocli's set-up takes
     * ~0.1 s of a cold start (its classes predate class-data sharing), time in which the other core would idle.
     * Only for {@code knot analyze} with one existing file over the progress threshold; the command uses it only
     * if its parsed arguments name that same single file, and the result is exactly what reading and analysing it
     * afterwards would give (errors and progress bar included).
     *
     * @param failure the input's one-line error, else null
     */
    record Early(List<ThreadDump> dumps, Report report, UnreadableInputException failure) {
        private static volatile String file;
        private static volatile FutureTask<Early> task;

        void rethrow() throws UnreadableInputException {
            if (failure != null) throw failure;
        }

        static void start(String[] args) {
            if (args.length < 2 || !args[0].equals("analyze")) return;
            String candidate = null;
            boolean progress = Terminal.interactive();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--") || a.equals("-")) return;
                if (a.equals("--progress")) progress = true;
                if (a.startsWith("-")) continue;
                try {
                    Path p = Path.of(a);
                    if (!Files.exists(p)) continue; // an option's value, or a missing file the command will report
                    if (candidate != null || !Files.isRegularFile(p) || Files.size(p) <= PROGRESS_THRESHOLD_BYTES) return;
                    candidate = a;
                } catch (IOException | RuntimeException e) {
                    return;
                }
            }
            if (candidate == null) return;
            String f = candidate;
            boolean withProgress = progress;
            FutureTask<Early> t = new FutureTask<>(() -> {
                try {
                    List<ThreadDump> dumps = readFile(f, withProgress);
                    Timings.mark("read (started at launch, alongside the command line)");
                    Report report = analyze(dumps);
                    Timings.mark("analysed (alongside)");
                    return new Early(dumps, report, null);
                } catch (UnreadableInputException e) {
                    return new Early(List.of(), null, e);
                }
            });
            file = f;
            task = EarlyTasks.start("knot-early-analysis", t);
        }

        /** The early result for {@code f}, or null if it was not started for that file. */
        static Early take(String f) {
            FutureTask<Early> t = task;
            if (t == null || !f.equals(file)) return null;
            task = null;
            try {
                return EarlyTasks.result(t, RuntimeException.class);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                t.cancel(true);
                return null;
            }
        }
    }
}
