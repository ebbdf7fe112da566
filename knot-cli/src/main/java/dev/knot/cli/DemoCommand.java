package dev.knot.cli;

import dev.knot.examples.ExampleRunner;
import dev.knot.examples.Examples;
import dev.knot.examples.Expected;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.ThreadDump;
import dev.knot.input.UnreadableInputException;
import dev.knot.rules.Analyzer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a small program that hangs (a bundled example), dumps its threads and analyses the dump.",
                "Without EXAMPLE: Ex01MonitorDeadlock, two bank transfers locking accounts in opposite order."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "EXAMPLE", defaultValue = "Ex01",
            description = "Example name or number (Ex01 … Ex14); see --list.")
    String example;

    @Option(names = "--list", description = "List the bundled examples and what Knot should find in each.")
    boolean list;

    @Option(names = "--json-dump", description = "Analyse the JSON dump (jcmd Thread.dump_to_file format, JDK 21+) instead of the text one.")
    boolean jsonDump;

    @Mixin
    Output output;

    @Option(names = "--keep", description = "Keep the dump files (their paths are printed).")
    boolean keep;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        if (!output.valid(err, "demo")) return ExitCodes.USAGE;
        if (list) {
            for (Class<?> c : Examples.all()) {
                Expected e = Examples.expected(c);
                out.printf("%-40s %-14s %s%s%n", c.getSimpleName(), e.kind(), String.join(", ", e.threads()),
                        e.minJava() > 17 ? "  (JDK " + e.minJava() + "+)" : "");
            }
            return ExitCodes.OK;
        }
        Class<?> cls;
        try {
            cls = Examples.byName(example);
        } catch (IllegalArgumentException e) {
            err.println("knot demo: no example '" + example + "'; `knot demo --list` shows them");
            return ExitCodes.USAGE;
        }
        Expected expected = Examples.expected(cls);
        int runtime = Runtime.version().feature();
        if (runtime < expected.minJava() || jsonDump && runtime < 21) {
            err.println("knot demo: " + cls.getSimpleName() + (jsonDump ? " with --json-dump" : "") + " needs JDK "
                    + Math.max(expected.minJava(), jsonDump ? 21 : 17) + "+; this is JDK " + runtime
                    + " (set JAVA_HOME to a newer JDK)");
            return ExitCodes.USAGE;
        }
        int dumps = expected.kind().equals("stall") ? 3 : 1;
        Path dir = Files.createTempDirectory("knot-demo-");
        err.println("knot demo: starting " + cls.getSimpleName() + " (expected: " + expected.kind() + ") and taking "
                + (dumps > 1 ? dumps + " thread dumps" : "a thread dump") + " once it hangs …");
        err.flush();
        ExampleRunner.Result r = ExampleRunner.run(cls, Path.of(System.getProperty("java.home")), dir, jsonDump, dumps,
                Duration.ofSeconds(60));
        if (!r.succeeded()) {
            err.println("knot demo: the example exited with code " + r.exitCode() + ": " + r.output().strip());
            return ExitCodes.INTERNAL_ERROR;
        }
        Path dump = jsonDump ? r.jsonDump() : r.textDump();
        err.println("knot demo: pid " + r.pid() + " hung; its dump is " + dump + (keep ? "" : " (deleted afterwards; --keep keeps it)"));
        err.println();
        err.flush();
        List<ThreadDump> parsed = new ArrayList<>();
        try {
            parsed.addAll(DumpReader.readFile(dump));
        } catch (UnreadableInputException e) {
            err.println("knot: " + e.getMessage());
            return ExitCodes.UNREADABLE_INPUT;
        } finally {
            if (!keep) {
                for (Path p : r.dumps()) Files.deleteIfExists(p);
                try (var s = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            }
        }
        Report report = Analyzer.analyze(parsed);
        output.render(report);
        return report.hangFound() ? ExitCodes.HANG : ExitCodes.OK;
    }
}
