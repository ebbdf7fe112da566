package dev.knot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knot.cli.Main;
import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.input.UnreadableInputException;
import dev.knot.render.HtmlRenderer;
import dev.knot.render.JsonRenderer;
import dev.knot.render.TextRenderer;
import dev.knot.rules.Analyzer;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.ThreadDump;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Fuzzes the input side outside the unit tests (a runner, not a test): mutates real dumps with a seed (truncate,
 * cut mid-token, delete/duplicate/swap lines, flip bits and characters, insert random lines and junk, splice in
 * other formats' lines, glue two dumps, re-indent, CRLF, gzip, UTF-16, grow, big numbers, quotes in names, random
 * text, stacks of several), feeds each through {@link DumpReader}, {@link Analyzer} and the text, JSON and HTML
 * renderers with a time limit per input, and every {@code --cli-every}th also through {@code knot analyze --format
 * json} in process. Reports:
 * <ul>
 *   <li><b>crashes</b>: any exception other than {@link UnreadableInputException}, an unreadable-input message that is
 *       not one line starting with the input's name, or one that wraps an internal error;</li>
 *   <li><b>hangs</b>: an input over the time limit;</li>
 *   <li><b>wrong outcomes</b>: a dump without threads, random text read as a dump, invalid JSON output, a CLI exit code
 *       other than 0/2/3 or one that disagrees with the API, a stack trace on stderr; for mutations that keep the
 *       dump whole (gzip, CRLF, UTF-16, inside a log) other threads than the original's; and for cuts an
 *       {@code orphaned-lock} the whole dump does not have.</li>
 * </ul>
 * Each problem is printed with the seed and index that reproduce it ({@code --seed S --only I}).
 *
 * <p>From the repository root, after {@code mvn -q -pl knot-bench -am package -DskipTests}:
 * {@code java -cp knot-bench/target/knot-bench.jar dev.knot.bench.ReaderFuzz [--mutations 100000] [--seed 13]
 * [--limit-ms 5000] [--dir DIR]... [--max-base BYTES] [--cli-every 50] [--only INDEX]}. The default bases are
 * {@code knot-core/src/test/resources/dumps} and {@code ../shared/dumps} (when present).
 */
public final class ReaderFuzz {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A seed input: readable as it is, with these threads, an orphaned-lock finding or not; text: no NUL bytes (not UTF-16). */
    record Base(String name, byte[] bytes, boolean readable, List<String> threadNames, boolean orphan, boolean text) {
    }

    record Problem(String kind, long index, String mutation, String base, String detail) {
    }

    private final long seed;
    private final List<Base> bases;
    private final long limitMs;
    private final int cliEvery;
    private final Path tmp;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, int[]> perMutation = new TreeMap<>(); // read, refused, problems
    private ExecutorService worker = newWorker();

    ReaderFuzz(long seed, List<Base> bases, long limitMs, int cliEvery) throws IOException {
        this.seed = seed;
        this.bases = bases;
        this.limitMs = limitMs;
        this.cliEvery = cliEvery;
        this.tmp = Files.createTempDirectory("knot-fuzz");
    }

    public static void main(String[] args) throws Exception {
        long seed = 13;
        long mutations = 100_000;
        long limitMs = 5_000;
        int maxBase = 64 << 10;
        int cliEvery = 50;
        long only = -1;
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--mutations" -> mutations = Long.parseLong(args[++i]);
                case "--limit-ms" -> limitMs = Long.parseLong(args[++i]);
                case "--max-base" -> maxBase = Integer.parseInt(args[++i]);
                case "--cli-every" -> cliEvery = Integer.parseInt(args[++i]);
                case "--only" -> only = Long.parseLong(args[++i]);
                case "--dir" -> dirs.add(Path.of(args[++i]));
                default -> {
                    System.err.println("usage: ReaderFuzz [--mutations N] [--seed S] [--limit-ms MS] [--max-base BYTES]"
                            + " [--cli-every N] [--dir DIR]... [--only INDEX]");
                    System.exit(64);
                }
            }
        }
        if (dirs.isEmpty()) {
            dirs.add(Path.of("knot-core/src/test/resources/dumps"));
            if (Files.isDirectory(Path.of("../shared/dumps"))) dirs.add(Path.of("../shared/dumps"));
        }
        List<Base> bases = loadBases(dirs, maxBase);
        if (bases.isEmpty()) {
            System.err.println("no dumps found in " + dirs + " (run from the repository root, or give --dir)");
            System.exit(64);
        }
        ReaderFuzz fuzz = new ReaderFuzz(seed, bases, limitMs, cliEvery);
        System.out.printf(Locale.ROOT, "ReaderFuzz: seed %d, %d bases from %s, limit %d ms per input%n", seed, bases.size(),
                dirs, limitMs);
        long t0 = System.nanoTime();
        long done = 0;
        if (only >= 0) {
            fuzz.one(only, true);
            done = 1;
        } else {
            for (long i = 0; i < mutations; i++) {
                fuzz.one(i, false);
                done++;
                if ((i + 1) % 10_000 == 0) {
                    System.out.printf(Locale.ROOT, "  %,d mutations, %d problems, %.0f s%n", i + 1, fuzz.problems.size(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        fuzz.summary(done, secs);
        fuzz.worker.shutdownNow();
        System.exit(fuzz.problems.isEmpty() ? 0 : 1);
    }

    static List<Base> loadBases(List<Path> dirs, int maxBase) throws IOException {
        List<Base> out = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString();
                    return !n.endsWith(".md") && !n.endsWith(".java") && !n.endsWith(".java.txt");
                }).sorted().toList();
            }
            for (Path p : files) {
                byte[] b = Files.readAllBytes(p);
                if (b.length > maxBase) b = Arrays.copyOf(b, maxBase);
                String name = dir.getFileName() + "/" + dir.relativize(p);
                List<String> names = List.of();
                boolean readable = false;
                boolean orphan = false;
                try {
                    List<ThreadDump> dumps = DumpReader.read(name, new ByteArrayInputStream(b));
                    names = threadNames(dumps);
                    readable = true;
                    orphan = hasOrphan(analyze(dumps));
                } catch (UnreadableInputException e) {
                    // a base cut to maxBase may be unreadable (a JSON document): still a good seed for mutations
                }
                boolean text = true;
                for (byte x : b) {
                    if (x == 0) {
                        text = false;
                        break;
                    }
                }
                out.add(new Base(name, b, readable, names, orphan, text));
            }
        }
        return out;
    }

    // ---- one input ------------------------------------------------------------------------------------

    /** What running one input gave: dumps read (or the refusal), the report, the rendered outputs. */
    record Outcome(List<ThreadDump> dumps, UnreadableInputException refused, Report report, String json, Cli cli) {
    }

    record Cli(int exit, String out, String err) {
    }

    void one(long index, boolean verbose) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + index);
        Base base = bases.get(r.nextInt(bases.size()));
        Mutation m = Mutation.pick(r);
        byte[] input;
        try {
            input = m.apply(base.bytes(), this, r);
        } catch (RuntimeException e) {
            problem("crash", index, m, base, "the mutation itself failed: " + e);
            return;
        }
        String source = "fuzz-" + index;
        boolean cli = cliEvery > 0 && index % cliEvery == 0;
        Future<Outcome> f = worker.submit(() -> run(source, input, cli));
        Outcome o;
        try {
            o = f.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            // the stuck thread cannot be stopped: leave it (a daemon) and go on with a fresh worker
            worker.shutdownNow();
            worker = newWorker();
            restoreStreams();
            problem("hang", index, m, base, "over " + limitMs + " ms (" + input.length + " bytes)");
            return;
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            restoreStreams();
            problem("crash", index, m, base, stackTrace(c));
            return;
        }
        int[] counts = perMutation.computeIfAbsent(m.name(), k -> new int[3]);
        counts[o.refused() == null ? 0 : 1]++;
        int before = problems.size();
        check(index, m, base, source, o);
        if (problems.size() > before) counts[2]++;
        if (verbose) {
            System.out.println("mutation " + m + " of " + base.name() + ", " + input.length + " bytes");
            System.out.println(o.refused() != null ? "refused: " + o.refused().getMessage()
                    : "read " + o.dumps().size() + " dump(s), threads " + threadNames(o.dumps()) + "\nfindings "
                    + o.report().findings().stream().map(x -> x.kind().jsonName() + " " + x.threads()).toList()
                    + "\nwarnings " + o.report().warnings());
            try {
                Path p = Path.of("fuzz-" + index + ".input");
                Files.write(p, input);
                System.out.println("input written to " + p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Outcome run(String source, byte[] input, boolean cli) throws Exception {
        List<ThreadDump> dumps = null;
        UnreadableInputException refused = null;
        Report report;
        try {
            dumps = DumpReader.read(source, new ByteArrayInputStream(input));
            report = analyze(dumps);
        } catch (UnreadableInputException e) {
            refused = e;
            report = new Report(List.of(), List.of(), List.of(e.getMessage()));
        }
        if (refused == null) {
            // as the CLI does: text and HTML for what was read; for unreadable input only the JSON document
            new TextRenderer(false).render(report, new PrintWriter(Writer.nullWriter()));
            new HtmlRenderer().render(report, new PrintWriter(Writer.nullWriter()));
        }
        StringWriter json = new StringWriter();
        new JsonRenderer().render(report, json);
        Cli c = cli ? cli(source, input) : null;
        return new Outcome(dumps, refused, report, json.toString(), c);
    }

    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    private static void restoreStreams() {
        System.setOut(OUT);
        System.setErr(ERR);
    }

    /** {@code knot analyze --format json FILE} in this JVM, its streams captured. */
    private Cli cli(String source, byte[] input) throws IOException {
        Path file = tmp.resolve(source);
        Files.write(file, input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        synchronized (ReaderFuzz.class) {
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int exit = Main.run("analyze", "--format", "json", file.toString());
                return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } finally {
                restoreStreams();
                Files.deleteIfExists(file);
            }
        }
    }

    private void check(long index, Mutation m, Base base, String source, Outcome o) {
        if (o.refused() != null) {
            String msg = o.refused().getMessage();
            if (!msg.startsWith(source + ": ")) problem("wrong", index, m, base, "message does not name the input: " + msg);
            if (msg.indexOf('\n') >= 0 || msg.indexOf('\r') >= 0) problem("wrong", index, m, base, "multi-line message: " + msg);
            if (o.refused().getCause() != null) problem("crash", index, m, base, msg + "\n" + stackTrace(o.refused().getCause()));
            if (m.keepsDumpWhole() && base.readable() && base.text()) problem("wrong", index, m, base, "the whole dump was refused: " + msg);
        } else {
            if (o.dumps().isEmpty()) problem("wrong", index, m, base, "no dumps and no error");
            for (ThreadDump d : o.dumps()) {
                if (d.threads().isEmpty()) problem("wrong", index, m, base, "a dump without threads");
                if (!d.source().equals(source)) problem("wrong", index, m, base, "dump names source " + d.source());
            }
            if (m == Mutation.RANDOM_TEXT) {
                problem("wrong", index, m, base, "random text read as " + o.dumps().size() + " dump(s) with threads "
                        + abbreviate(threadNames(o.dumps()).toString()));
            }
            if (m.keepsDumpWhole() && base.readable() && base.text() && !threadNames(o.dumps()).equals(base.threadNames())) {
                problem("wrong", index, m, base, "other threads than the whole dump's: " + abbreviate(threadNames(o.dumps()).toString()));
            }
            if (m.cuts() && !base.orphan() && hasOrphan(o.report())) {
                problem("wrong", index, m, base, "a cut dump gives an orphaned-lock the whole one does not: "
                        + o.report().findings().stream().filter(f -> f.kind().jsonName().equals("orphaned-lock"))
                        .map(Finding::summary).toList() + " warnings " + o.report().warnings());
            }
        }
        try {
            JsonNode root = JSON.readTree(o.json());
            if (!"knot-report".equals(root.path("schema").asText())) problem("wrong", index, m, base, "JSON without its schema");
        } catch (IOException e) {
            problem("wrong", index, m, base, "invalid JSON report: " + e.getMessage());
        }
        if (o.cli() != null) checkCli(index, m, base, o);
    }

    private void checkCli(long index, Mutation m, Base base, Outcome o) {
        Cli c = o.cli();
        int expected = o.refused() != null ? 3 : o.report().hangFound() ? 2 : 0;
        if (c.exit() != expected) {
            problem("wrong", index, m, base, "knot analyze exited " + c.exit() + ", expected " + expected + "; stderr: "
                    + abbreviate(c.err()));
        }
        if (c.err().contains("Exception") || c.err().contains("\tat ")) {
            problem("crash", index, m, base, "stack trace on stderr: " + abbreviate(c.err()));
        }
        if (o.refused() != null && c.err().strip().split("\n").length != 1) {
            problem("wrong", index, m, base, "not one line on stderr: " + abbreviate(c.err()));
        }
        try {
            JsonNode root = JSON.readTree(c.out());
            if (root == null || !"knot-report".equals(root.path("schema").asText())) {
                problem("wrong", index, m, base, "knot analyze --format json printed no knot-report");
            }
        } catch (IOException e) {
            problem("wrong", index, m, base, "knot analyze --format json printed invalid JSON: " + e.getMessage());
        }
    }

    private void problem(String kind, long index, Mutation m, Base base, String detail) {
        Problem p = new Problem(kind, index, m.name(), base.name(), detail);
        problems.add(p);
        if (problems.size() <= 200) {
            System.out.printf(Locale.ROOT, "%s #%d (%s of %s; reproduce: --seed %d --only %d): %s%n", kind, index, m,
                    base.name(), seed, index, abbreviate(detail));
        }
    }

    private void summary(long done, double secs) {
        Map<String, Integer> byKind = new LinkedHashMap<>();
        for (String k : List.of("crash", "hang", "wrong")) byKind.put(k, 0);
        for (Problem p : problems) byKind.merge(p.kind(), 1, Integer::sum);
        System.out.printf(Locale.ROOT, "%n%,d mutations in %.0f s (%.1f ms each) of %d bases, seed %d%n", done, secs,
                secs * 1000 / Math.max(1, done), bases.size(), seed);
        System.out.println("mutation                    read  refused  problems");
        for (Map.Entry<String, int[]> e : perMutation.entrySet()) {
            System.out.printf(Locale.ROOT, "%-24s %7d  %7d  %8d%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
        }
        System.out.printf(Locale.ROOT, "crashes %d, hangs %d, wrong outcomes %d%n", byKind.get("crash"), byKind.get("hang"),
                byKind.get("wrong"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static Report analyze(List<ThreadDump> dumps) {
        List<List<ThreadDump>> processes = new ArrayList<>();
        for (List<ThreadDump> p : DumpReader.byProcess(dumps)) processes.add(DumpReader.orderByTime(p));
        return Analyzer.analyzeApart(processes);
    }

    static boolean hasOrphan(Report r) {
        return r.findings().stream().anyMatch(f -> f.kind().jsonName().equals("orphaned-lock"));
    }

    static List<String> threadNames(List<ThreadDump> dumps) {
        List<String> names = new ArrayList<>();
        for (ThreadDump d : dumps) {
            for (DumpedThread t : d.threads()) names.add(t.name());
        }
        return names;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 3000 ? s.substring(0, 3000) : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "…" : s;
    }

    Base otherBase(Random r) {
        return bases.get(r.nextInt(bases.size()));
    }

    // ---- mutations -------------------------------------------------------------------------------------

    static List<String> lines(byte[] b) {
        return new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
    }

    static byte[] join(List<String> lines) {
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static String randomLine(Random r) {
        int n = r.nextInt(120);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            s.append(k < 95 ? (char) (' ' + k) : k < 98 ? '\t' : '"');
        }
        return s.toString();
    }

    private static final String[] WORDS = {"\"", "\"", "#", "1", "12", " ", " ", "=", "prio", "tid", "nid", "0x1f", "a",
        "at ", "\t", "(", ")", ".", "java", "-", "<", ">", "Id", "id", "in", "daemon", "RUNNABLE", "WAITING", "t@",
        "virtual", "locked", "waiting to lock", "Found one Java-level deadlock:", "which is held by", ":",
        "Locked ownable synchronizers:", "java.lang.Thread.State: ", "length=", "JNI global refs", "{", "}", "[", "]",
        "\"threadDump\"", "\"threads\"", "\"name\"", "\"tid\"", ","};

    static String wordSalad(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(24); i > 0; i--) s.append(WORDS[r.nextInt(WORDS.length)]);
        return s.toString();
    }

    enum Mutation {
        TRUNCATE {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
        },
        TRUNCATE_AT_LINE {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                return join(l.subList(0, r.nextInt(l.size() + 1)));
            }
        },
        CUT_MID_TOKEN {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<Integer> cuts = new ArrayList<>();
                for (int i = 0; i < b.length; i++) {
                    byte x = b[i];
                    if (x == '"' || x == ':' || x == '[' || x == '{' || x == '<' || x == '@' || x == '(' || x == '=') cuts.add(i + 1);
                }
                return cuts.isEmpty() ? TRUNCATE.apply(b, f, r) : Arrays.copyOf(b, cuts.get(r.nextInt(cuts.size())));
            }
        },
        DELETE_LINES {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                for (int i = 1 + r.nextInt(8); i > 0 && !l.isEmpty(); i--) l.remove(r.nextInt(l.size()));
                return join(l);
            }
        },
        DUPLICATE_LINES {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                for (int i = 1 + r.nextInt(8); i > 0 && !l.isEmpty(); i--) l.add(r.nextInt(l.size()), l.get(r.nextInt(l.size())));
                return join(l);
            }
        },
        SWAP_LINES {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                for (int i = 1 + r.nextInt(8); i > 0 && l.size() > 1; i--) {
                    int x = r.nextInt(l.size());
                    int y = r.nextInt(l.size());
                    String t = l.get(x);
                    l.set(x, l.get(y));
                    l.set(y, t);
                }
                return join(l);
            }
        },
        FLIP_BITS {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] c = b.clone();
                for (int i = 1 + r.nextInt(20); i > 0 && c.length > 0; i--) c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
        },
        FLIP_CHARS {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] c = b.clone();
                byte[] pool = "\"#:()<>[]{},=@0123456789x \t-.\n".getBytes(StandardCharsets.ISO_8859_1);
                for (int i = 1 + r.nextInt(30); i > 0 && c.length > 0; i--) c[r.nextInt(c.length)] = pool[r.nextInt(pool.length)];
                return c;
            }
        },
        INSERT_RANDOM_LINES {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                for (int i = 1 + r.nextInt(30); i > 0; i--) {
                    l.add(l.isEmpty() ? 0 : r.nextInt(l.size()), r.nextBoolean() ? randomLine(r) : wordSalad(r));
                }
                return join(l);
            }
        },
        INSERT_JUNK_BYTES {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] junk = new byte[1 + r.nextInt(300)];
                r.nextBytes(junk);
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                return concat(Arrays.copyOf(b, at), junk, Arrays.copyOfRange(b, at, b.length));
            }
        },
        SPLICE_OTHER_FORMAT {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                List<String> other = lines(f.otherBase(r).bytes());
                for (int i = 1 + r.nextInt(20); i > 0 && !other.isEmpty(); i--) {
                    l.add(l.isEmpty() ? 0 : r.nextInt(l.size()), other.get(r.nextInt(other.size())));
                }
                return join(l);
            }
        },
        GLUE_TWO {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] other = f.otherBase(r).bytes();
                return r.nextBoolean() ? concat(b, "\n".getBytes(StandardCharsets.US_ASCII), other) : concat(other, b);
            }
        },
        REINDENT {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                String pre = List.of(" ", "    ", "\t", "> ", "| ").get(r.nextInt(5));
                boolean strip = r.nextBoolean();
                for (int i = 0; i < l.size(); i++) l.set(i, strip ? l.get(i).strip() : pre + l.get(i));
                return join(l);
            }
        },
        BIG_NUMBERS {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                String s = new String(b, StandardCharsets.ISO_8859_1);
                String big = List.of("99999999999999999999", "-1", "2147483648", "0", "00000000000000000000000001")
                        .get(r.nextInt(5));
                return s.replaceAll("(length=|#|prio=|:|line |cpu=|elapsed=)\\d+", "$1" + big).getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        QUOTES_IN_NAMES {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                List<String> l = lines(b);
                for (int i = 0; i < l.size(); i++) {
                    String s = l.get(i);
                    if (s.startsWith("\"") && s.length() > 3 && r.nextInt(3) == 0) {
                        int at = 1 + r.nextInt(s.length() - 2);
                        l.set(i, s.substring(0, at) + List.of("\"", "\" ", "\":", "\\\"").get(r.nextInt(4)) + s.substring(at));
                    }
                }
                return join(l);
            }
        },
        GROW {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                if (b.length == 0) return b;
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(4096));
                byte[] block = Arrays.copyOfRange(b, from, to);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(Arrays.copyOf(b, to));
                for (int i = 10 + r.nextInt(200); i > 0; i--) out.writeBytes(block);
                out.writeBytes(Arrays.copyOfRange(b, to, b.length));
                return out.toByteArray();
            }
        },
        RANDOM_TEXT {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                StringBuilder s = new StringBuilder();
                for (int i = 1 + r.nextInt(3000); i > 0; i--) s.append(r.nextInt(4) == 0 ? wordSalad(r) : randomLine(r)).append('\n');
                return s.toString().getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        RANDOM_BINARY {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] x = new byte[r.nextInt(8000)];
                r.nextBytes(x);
                return x;
            }
        },
        GZIP_WHOLE {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                return gzip(b);
            }

            @Override
            boolean keepsDumpWhole() {
                return true;
            }
        },
        CRLF_WHOLE {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                return new String(b, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
            }

            @Override
            boolean keepsDumpWhole() {
                return true;
            }
        },
        IN_A_LOG_WHOLE {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                if (b.length > 0 && (b[0] == '{' || b[0] == '[' || b[0] == (byte) 0xff || b[0] == (byte) 0xfe || b[0] == 0)) {
                    return b; // JSON and UTF-16 documents are not embedded in logs
                }
                StringBuilder log = new StringBuilder();
                for (int i = r.nextInt(200); i > 0; i--) {
                    log.append("2026-11-21 10:00:").append(i % 60).append(" INFO [main] c.e.App - processed #").append(i)
                            .append(" prio=").append(i % 9).append('\n');
                }
                return concat(log.toString().getBytes(StandardCharsets.ISO_8859_1), b,
                        "\n2026-11-21 10:01:00 INFO [main] c.e.App - done\n".getBytes(StandardCharsets.ISO_8859_1));
            }

            @Override
            boolean keepsDumpWhole() {
                return true;
            }
        },
        GZIP_MUTATED {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] gz = gzip(values()[r.nextInt(8)].apply(b, f, r));
                return r.nextBoolean() ? gz : Arrays.copyOf(gz, r.nextInt(gz.length + 1));
            }
        },
        UTF16_MUTATED {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] inner = values()[r.nextInt(8)].apply(b, f, r);
                byte[] u = new String(inner, StandardCharsets.ISO_8859_1)
                        .getBytes(r.nextBoolean() ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16);
                return r.nextBoolean() ? u : Arrays.copyOf(u, r.nextInt(u.length + 1));
            }
        },
        MANY_AT_ONCE {
            @Override
            byte[] apply(byte[] b, ReaderFuzz f, Random r) {
                byte[] x = b;
                for (int i = 2 + r.nextInt(4); i > 0; i--) x = values()[r.nextInt(RANDOM_TEXT.ordinal())].apply(x, f, r);
                return x;
            }
        };

        abstract byte[] apply(byte[] b, ReaderFuzz f, Random r);

        /** The mutation keeps every thread of the dump (an encoding, line endings, a log around it). */
        boolean keepsDumpWhole() {
            return false;
        }

        /** The mutation only cuts the end off. */
        boolean cuts() {
            return this == TRUNCATE || this == TRUNCATE_AT_LINE || this == CUT_MID_TOKEN;
        }

        static Mutation pick(Random r) {
            return values()[r.nextInt(values().length)];
        }

        static byte[] gzip(byte[] b) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
