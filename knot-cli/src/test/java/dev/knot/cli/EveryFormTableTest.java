package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knot.cli.ExampleJvms.Run;
import dev.knot.examples.Examples;
import dev.knot.examples.Expected;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example program on the JDK running the tests, in every form at once: the example is started and left hung,
 * then the same JVM is dumped with {@code jstack -l} (text), with {@code jcmd Thread.dump_to_file -format=json}
 * (JDK 21+) and snapshotted live with {@code knot attach}; each is analysed ({@code knot analyze --format json},
 * {@code knot attach --format json}). Checked per form: the kind, threads and certainty the example's
 * {@link Expected} declares (its {@code liveOnly} and {@code virtualThreads} rules as in ExampleDumpsTest); and
 * live is never weaker than offline: every finding of the text or JSON analysis is reported live too, with the same
 * kind and threads and equal or higher certainty (stalls aside: they need several dumps over time, a snapshot is one
 * moment). The whole table (example × form) is printed to the test output and kept in
 * {@code target/every-form-table-jdk<N>.txt}.
 *
 * <p>Where Knot's model misses a shape today, the pair (example, form) is listed in {@link #KNOWN_MISSES} with the
 * reason; for those the test asserts that the check still fails, so that a fix of the model makes it fail until the
 * pair is removed from the list.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class EveryFormTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int JDK = Runtime.version().feature();

    /** The columns of the table. */
    enum Form {
        TEXT("text"), JSON("json"), LIVE("live"), LIVE_COVERS_TEXT("live>=text"), LIVE_COVERS_JSON("live>=json");

        final String key;

        Form(String key) {
            this.key = key;
        }
    }

    /**
     * (example, form) pairs that fail today because Knot's model misses the shape, with the reason. Keys are
     * {@code "ExampleSimpleName/form"} for every JDK or {@code "ExampleSimpleName/form@N"} for JDK N only; forms are
     * {@link Form#key}. Remove a pair when the model learns the shape (the test then says so by failing).
     */
    static final Map<String, String> KNOWN_MISSES = Map.of();

    @TempDir
    static Path dir;

    /** The rows, in example order, for the table printed at the end. */
    private static final Map<String, Map<Form, Cell>> TABLE = new LinkedHashMap<>();

    /** One finding as the JSON report gives it. */
    record Found(String kind, String certainty, Set<String> threads, Set<String> blocked) {
        Set<String> threadsAndBlocked() {
            Set<String> all = new TreeSet<>(threads);
            all.addAll(blocked);
            return all;
        }

        boolean hang() {
            return Set.of("deadlock", "self-deadlock", "starvation", "orphaned-lock").contains(kind);
        }

        String brief() {
            List<String> names = new ArrayList<>(threads);
            String shown = names.size() <= 3 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 2)) + " +" + (names.size() - 2);
            return kind + " " + certainty + " [" + shown + "]";
        }
    }

    /** One analysed form: its findings and warnings. */
    record Analysis(List<Found> findings, List<String> warnings) {
        String brief() {
            return findings.isEmpty() ? "none" : findings.stream().map(Found::brief).collect(Collectors.joining("; "));
        }
    }

    /** A cell of the table: what the form gave and what is wrong with it (empty: as expected). */
    record Cell(String shown, List<String> problems, String knownMiss) {
        String status() {
            if (knownMiss != null) {
                return problems.isEmpty() ? "FIXED?" : "known miss";
            }
            return problems.isEmpty() ? "ok" : "MISS";
        }
    }

    @BeforeAll
    static void agentJarIsBuilt() throws LiveAttach.Failure {
        Path jar = LiveAttach.agentJar("test: ");
        assertTrue(Files.isRegularFile(jar), jar.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyExampleInEveryForm() {
        return Examples.all().stream().map(c -> DynamicTest.dynamicTest(c.getSimpleName(), () -> row(c)));
    }

    /** The reason if {@code (example, form)} is a known miss on this JDK, else null. */
    static String knownMiss(Class<?> example, String form) {
        String key = example.getSimpleName() + "/" + form;
        String onThisJdk = KNOWN_MISSES.get(key + "@" + JDK);
        return onThisJdk != null ? onThisJdk : KNOWN_MISSES.get(key);
    }

    /**
     * Rounds of capture for an example that keeps moving (not a hang: contention, a healthy program). The forms are
     * taken one after another, and Ex12's flusher lets go of its monitor between flushes, so a later form may see
     * another phase than an earlier one; such a row is captured again on the same JVM until a round is consistent.
     * A hang stays put: one round.
     */
    static final int MOVING_ROUNDS = 3;

    private static void row(Class<?> example) throws Exception {
        Expected e = Examples.expected(example);
        assumeTrue(JDK >= e.minJava(), "needs JDK " + e.minJava());
        String name = example.getSimpleName();
        boolean moving = e.kind().equals("contention") || e.kind().equals("none");
        Process p = ExampleJvms.start(example, ExampleJvms.javaHome(), dir.resolve(name + ".err"));
        Map<Form, Cell> cells;
        List<String> failures;
        int round = 0;
        try {
            do {
                round++;
                cells = capture(example, e, p, round);
                failures = failures(name, cells);
            } while (!failures.isEmpty() && moving && round < MOVING_ROUNDS);
        } finally {
            ExampleJvms.kill(p);
        }
        synchronized (TABLE) {
            TABLE.put(name + (round > 1 ? " (round " + round + ")" : ""), cells);
        }
        assertTrue(failures.isEmpty(), name + " on JDK " + JDK + (round > 1 ? ", " + round + " rounds" : "") + ":\n  "
                + String.join("\n  ", failures) + "\n  dumps in " + dir);
    }

    /** Takes every form of the running example once (the agent last, so that the first round's dumps lack its thread). */
    private static Map<Form, Cell> capture(Class<?> example, Expected e, Process p, int round) throws Exception {
        boolean stall = e.kind().equals("stall");
        Path javaHome = ExampleJvms.javaHome();
        String name = example.getSimpleName() + "-" + round;
        Path textDump = dir.resolve(name + ".txt");
        for (int i = 0; i < (stall ? 3 : 1); i++) {
            if (i > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // spacing between the dumps of a stall
            }
            String dump = tool(javaHome, "jstack", "-l", Long.toString(p.pid()));
            Files.writeString(textDump, dump, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Analysis text = analysis(ExampleJvms.knot("analyze", "--format", "json", textDump.toString()), "text");
        Analysis json = null;
        if (JDK >= 21) {
            Path jsonDump = dir.resolve(name + ".json");
            tool(javaHome, "jcmd", Long.toString(p.pid()), "Thread.dump_to_file", "-format=json", jsonDump.toString());
            json = analysis(ExampleJvms.knot("analyze", "--format", "json", jsonDump.toString()), "json");
        }
        Analysis live = analysis(ExampleJvms.knot("attach", "--format", "json", Long.toString(p.pid())), "live");

        Map<Form, Cell> cells = new EnumMap<>(Form.class);
        cells.put(Form.TEXT, cell(example, Form.TEXT, text.brief(), expectedProblems(e, Form.TEXT, text)));
        if (json != null && !stall) {
            cells.put(Form.JSON, cell(example, Form.JSON, json.brief(), expectedProblems(e, Form.JSON, json)));
        }
        if (!stall) {
            cells.put(Form.LIVE, cell(example, Form.LIVE, live.brief(), expectedProblems(e, Form.LIVE, live)));
        }
        cells.put(Form.LIVE_COVERS_TEXT, cell(example, Form.LIVE_COVERS_TEXT, "", covers(live, text)));
        if (json != null) {
            cells.put(Form.LIVE_COVERS_JSON, cell(example, Form.LIVE_COVERS_JSON, "", covers(live, json)));
        }
        return cells;
    }

    /** What fails in a row: a problem outside KNOWN_MISSES, or a known miss that no longer happens. */
    private static List<String> failures(String name, Map<Form, Cell> cells) {
        List<String> failures = new ArrayList<>();
        cells.forEach((form, c) -> {
            if (c.knownMiss() != null && c.problems().isEmpty()) {
                failures.add(form.key + ": passes now; remove \"" + name + "/" + form.key + "\" from KNOWN_MISSES ("
                        + c.knownMiss() + ")");
            } else if (c.knownMiss() == null && !c.problems().isEmpty()) {
                failures.add(form.key + ": " + String.join("; ", c.problems()) + " (gave: " + c.shown() + ")");
            }
        });
        return failures;
    }

    private static Cell cell(Class<?> example, Form form, String shown, List<String> problems) {
        return new Cell(shown, problems, knownMiss(example, form.key));
    }

    /** What is wrong with one form's analysis against the example's {@link Expected}; empty when all is as declared. */
    static List<String> expectedProblems(Expected e, Form form, Analysis a) {
        List<String> problems = new ArrayList<>();
        boolean offline = form != Form.LIVE;
        if (offline && e.liveOnly()) {
            // the dumps lack the proof (see the example's comment): no hang may be claimed from them
            if (a.findings().stream().anyMatch(Found::hang)) {
                problems.add("a hang claimed from a dump that cannot prove it");
            }
            return problems;
        }
        if (form == Form.TEXT && e.virtualThreads()) {
            // jstack omits unmounted virtual threads: nothing to find, but Knot must say the dump hides them
            if (!a.findings().isEmpty()) {
                problems.add("findings from a text dump that omits the virtual threads");
            }
            if (a.warnings().stream().noneMatch(w -> w.contains("virtual threads"))) {
                problems.add("no warning that the text dump omits virtual threads");
            }
            return problems;
        }
        if (e.kind().equals("none")) {
            if (!a.findings().isEmpty()) {
                problems.add("healthy program, but findings");
            }
            return problems;
        }
        String kind = offline ? Examples.dumpKind(e) : e.kind();
        String[] threads = offline ? Examples.dumpThreads(e) : e.threads();
        List<Found> ofKind = a.findings().stream().filter(f -> f.kind().equals(kind)).collect(Collectors.toList());
        if (ofKind.size() != 1) {
            problems.add("expected one " + kind + " finding, got " + ofKind.size());
        } else {
            Found f = ofKind.get(0);
            if (!f.threads().containsAll(List.of(threads)) || f.threads().size() != threads.length + e.alsoBlocked()) {
                problems.add("threads " + f.threads() + ", expected " + List.of(threads)
                        + (e.alsoBlocked() > 0 ? " and " + e.alsoBlocked() + " more" : ""));
            }
            String certainty = expectedCertainty(e, form);
            if (!f.certainty().equals(certainty)) {
                problems.add(f.certainty() + ", expected " + certainty);
            }
        }
        List<Found> otherHangs = a.findings().stream().filter(f -> f.hang() && !f.kind().equals(kind))
                .collect(Collectors.toList());
        if (!otherHangs.isEmpty()) {
            problems.add("other hangs: " + otherHangs.stream().map(Found::brief).collect(Collectors.joining("; ")));
        }
        return problems;
    }

    /**
     * The certainty the form can prove (README, Certainty): an orphaned lock is certain from a text dump only
     * before JDK 21, where no unmounted virtual thread can hide its owner.
     */
    static String expectedCertainty(Expected e, Form form) {
        switch (form) {
            case LIVE:
                return e.liveCertainty();
            case JSON:
                return e.jsonCertainty();
            default:
                return e.kind().equals("orphaned-lock") && JDK >= 21 ? "likely" : e.dumpCertainty();
        }
    }

    /** Live ⊇ offline: each offline finding (stalls aside) reported live with the same kind and threads, as sure or surer. */
    static List<String> covers(Analysis live, Analysis offline) {
        List<String> problems = new ArrayList<>();
        for (Found f : offline.findings()) {
            if (f.kind().equals("stall")) {
                continue; // several dumps over time; one snapshot cannot show it
            }
            // the same threads, or a sharper view of them: live names the culprit, the others as blocked behind it
            List<Found> same = live.findings().stream()
                    .filter(g -> g.kind().equals(f.kind()) && f.threads().containsAll(g.threads())
                            && g.threadsAndBlocked().containsAll(f.threads()))
                    .collect(Collectors.toList());
            if (same.isEmpty()) {
                problems.add("not live: " + f.brief());
            } else if (same.stream().noneMatch(g -> rank(g.certainty()) >= rank(f.certainty()))) {
                problems.add("weaker live: " + f.brief() + " vs " + same.get(0).brief());
            }
        }
        return problems;
    }

    private static int rank(String certainty) {
        return certainty.equals("certain") ? 2 : certainty.equals("likely") ? 1 : 0;
    }

    private static Analysis analysis(Run r, String form) throws IOException {
        if (r.out().isBlank()) {
            throw new AssertionError(form + ": no report (exit " + r.exit() + "): " + r.err());
        }
        JsonNode report = JSON.readTree(r.out());
        List<Found> findings = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            findings.add(new Found(f.path("kind").asText(), f.path("certainty").asText(),
                    new TreeSet<>(ExampleJvms.texts(f.path("threads"))), new TreeSet<>(ExampleJvms.texts(f.path("blockedBehind")))));
        }
        return new Analysis(findings, ExampleJvms.texts(report.path("warnings")));
    }

    /** Runs a JDK tool of {@code javaHome} and returns its stdout (stderr to a file); fails on a non-zero exit. */
    private static String tool(Path javaHome, String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin").resolve(tool).toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, tool, ".out");
        Path err = Files.createTempFile(dir, tool, ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            ExampleJvms.kill(p);
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8) + stdout);
        }
        return stdout;
    }

    @AfterAll
    static void printTable() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("Every example in every form, JDK ").append(JDK)
                .append(" (kind certainty [threads]; live>=X: every finding of X reported live, as sure or surer)\n");
        List<String> header = new ArrayList<>();
        header.add("example");
        for (Form f : Form.values()) {
            header.add(f.key);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        List<String> notes = new ArrayList<>();
        synchronized (TABLE) {
            TABLE.forEach((example, cells) -> {
                List<String> row = new ArrayList<>();
                row.add(example);
                for (Form f : Form.values()) {
                    Cell c = cells.get(f);
                    row.add(c == null ? "n/a" : c.status() + (c.shown().isEmpty() ? "" : ": " + c.shown()));
                    if (c != null && !c.problems().isEmpty()) {
                        notes.add(example + " " + f.key + ": " + String.join("; ", c.problems())
                                + (c.knownMiss() == null ? "" : " [known: " + c.knownMiss() + "]"));
                    }
                }
                rows.add(row);
            });
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s | ", row.get(i)));
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        if (!notes.isEmpty()) {
            table.append("Problems:\n");
            notes.forEach(n -> table.append("  ").append(n).append('\n'));
        }
        System.out.print(table);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("every-form-table-jdk" + JDK + ".txt"), table, StandardCharsets.UTF_8);
        }
    }
}
