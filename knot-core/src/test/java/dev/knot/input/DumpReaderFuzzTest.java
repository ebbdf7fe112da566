package dev.knot.input;

import dev.knot.snapshot.ThreadDump;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of every sample dump: the reader must return dumps or throw UnreadableInputException with
 * one line starting with the source name; nothing else, no internal error, no hang.
 */
class DumpReaderFuzzTest {

    private static final long SEED = 20261122L;
    private static final int CASES_PER_FILE = 64;
    /** Mutations work on at most this much of a file, so the big logs do not dominate the run time. */
    private static final int MAX_BASE = 48 * 1024;

    @Test
    void mutatedSamplesNeverBreakTheReader() throws Exception {
        List<Path> files = TestDumps.all();
        List<byte[]> bases = new ArrayList<>();
        for (Path p : files) {
            byte[] b = java.nio.file.Files.readAllBytes(p);
            bases.add(b.length > MAX_BASE ? Arrays.copyOf(b, MAX_BASE) : b);
        }
        Random rnd = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int[] counts = new int[3]; // parsed, refused, total
        for (int f = 0; f < files.size(); f++) {
            String name = files.get(f).getFileName().toString();
            byte[] base = bases.get(f);
            long batchSeed = rnd.nextLong();
            // one batch per file: a hang anywhere fails within the batch's budget
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Random r = new Random(batchSeed);
                for (int c = 0; c < CASES_PER_FILE; c++) {
                    Mutation m = Mutation.values()[r.nextInt(Mutation.values().length)];
                    byte[] input = m.apply(base, bases, r);
                    String source = "fuzz/" + name + "#" + c + "-" + m;
                    check(source, input, failures, counts);
                }
            }, "batch for " + name);
        }
        // fixed corner cases
        for (byte[] special : List.of(new byte[0], "   \n\n\t ".getBytes(StandardCharsets.UTF_8), new byte[] {0},
                new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xfe, (byte) 0xff, 0}, new byte[] {0x1f, (byte) 0x8b},
                "{".getBytes(StandardCharsets.UTF_8), "[".getBytes(StandardCharsets.UTF_8), "\"".getBytes(StandardCharsets.UTF_8),
                "#1 \"".getBytes(StandardCharsets.UTF_8), "\"a\" Id=".getBytes(StandardCharsets.UTF_8),
                "{\"threadDump\":{\"threadContainers\":[{\"threads\":[{\"stack\":[\"(\"]}]}]}}".getBytes(StandardCharsets.UTF_8),
                "[".repeat(5000).getBytes(StandardCharsets.UTF_8),
                ("{\"threads\":" + "[".repeat(3000)).getBytes(StandardCharsets.UTF_8))) {
            check("fuzz/special", special, failures, counts);
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
        int total = counts[2];
        assertTrue(total >= 1900, "cases: " + total);
        // the mutations must leave many inputs readable, or the test would only exercise error paths
        assertTrue(counts[0] > total / 3 && counts[1] > total / 20,
                "parsed " + counts[0] + ", refused " + counts[1] + " of " + total);
    }

    /** Seeded text that is no dump (random printable lines, dump words in random order, a log) is refused; a dump in a log is read. */
    @Test
    void randomTextAndLogsAreRefusedAndADumpInALogIsRead() throws Exception {
        Random rnd = new Random(SEED);
        List<String> failures = new ArrayList<>();
        List<Path> files = TestDumps.all();
        for (int c = 0; c < 200; c++) {
            byte[] input = switch (c % 3) {
                case 0 -> NotADumpTest.randomPrintableLines(rnd, 1 + rnd.nextInt(64 << 10));
                case 1 -> NotADumpTest.dumpWordSalad(rnd, 1 + rnd.nextInt(3000));
                default -> NotADumpTest.applicationLog(rnd, 1 + rnd.nextInt(2000)).getBytes(StandardCharsets.UTF_8);
            };
            String source = "text#" + c;
            try {
                List<ThreadDump> dumps = DumpReader.read(source, new ByteArrayInputStream(input));
                failures.add(source + ": read as " + dumps.size() + " dump(s), first threads "
                        + dumps.get(0).threads().stream().limit(3).map(t -> t.name()).toList());
            } catch (UnreadableInputException e) {
                if (!e.getMessage().startsWith(source + ": not a thread dump")) failures.add(e.getMessage());
            }
        }
        // a text dump between two stretches of log keeps all its threads
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (!name.contains("jstack") && !name.endsWith(".log") || name.contains("utf16")) continue;
            byte[] whole = java.nio.file.Files.readAllBytes(p);
            List<ThreadDump> alone = DumpReader.read(name, new ByteArrayInputStream(whole));
            String log = NotADumpTest.applicationLog(rnd, 500);
            byte[] inLog = concat(log.getBytes(StandardCharsets.UTF_8), whole, log.getBytes(StandardCharsets.UTF_8));
            List<ThreadDump> read = DumpReader.read(name, new ByteArrayInputStream(inLog));
            if (!names(read).equals(names(alone))) failures.add(name + ": in a log, other threads: " + names(read).size()
                    + " instead of " + names(alone).size());
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    private static List<String> names(List<ThreadDump> dumps) {
        List<String> out = new ArrayList<>();
        for (ThreadDump d : dumps) d.threads().forEach(t -> out.add(t.name()));
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        return Mutation.concat(parts);
    }

    private static void check(String source, byte[] input, List<String> failures, int[] counts) {
        counts[2]++;
        try {
            List<ThreadDump> dumps = DumpReader.read(source, new ByteArrayInputStream(input));
            if (dumps.isEmpty()) failures.add(source + ": returned no dumps and no error");
            for (ThreadDump d : dumps) {
                if (d.threads().isEmpty()) failures.add(source + ": a dump without threads");
                if (!d.source().equals(source)) failures.add(source + ": dump names source " + d.source());
            }
            counts[0]++;
        } catch (UnreadableInputException e) {
            counts[1]++;
            String msg = e.getMessage();
            if (!msg.startsWith(source + ": ")) failures.add(source + ": message without source: " + msg);
            if (msg.indexOf('\n') >= 0 || msg.indexOf('\r') >= 0) failures.add(source + ": multi-line message: " + msg);
            if (e.getCause() != null) failures.add(source + ": " + msg + "\n" + stackTrace(e.getCause()));
        } catch (Throwable t) {
            failures.add(source + ": " + stackTrace(t));
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    enum Mutation {
        TRUNCATE {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
        },
        DELETE_LINES {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                List<String> lines = lines(b);
                for (int i = 1 + r.nextInt(8); i > 0 && !lines.isEmpty(); i--) lines.remove(r.nextInt(lines.size()));
                return join(lines);
            }
        },
        DUPLICATE_LINES {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                List<String> lines = lines(b);
                for (int i = 1 + r.nextInt(8); i > 0 && !lines.isEmpty(); i--) {
                    int at = r.nextInt(lines.size());
                    lines.add(r.nextInt(lines.size()), lines.get(at));
                }
                return join(lines);
            }
        },
        SWAP_LINES {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                List<String> lines = lines(b);
                for (int i = 1 + r.nextInt(8); i > 0 && lines.size() > 1; i--) {
                    int x = r.nextInt(lines.size());
                    int y = r.nextInt(lines.size());
                    String t = lines.get(x);
                    lines.set(x, lines.get(y));
                    lines.set(y, t);
                }
                return join(lines);
            }
        },
        FLIP_BYTES {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] c = b.clone();
                for (int i = 1 + r.nextInt(20); i > 0 && c.length > 0; i--) c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
        },
        INSERT_JUNK {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] junk = new byte[1 + r.nextInt(300)];
                r.nextBytes(junk);
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                return concat(Arrays.copyOf(b, at), junk, Arrays.copyOfRange(b, at, b.length));
            }
        },
        CUT_MID_TOKEN {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                // cut right after a quote, colon, bracket or '<': inside a JSON string/value or a lock line
                List<Integer> cuts = new ArrayList<>();
                for (int i = 0; i < b.length; i++) {
                    byte x = b[i];
                    if (x == '"' || x == ':' || x == '[' || x == '{' || x == '<' || x == '@') cuts.add(i + 1);
                }
                if (cuts.isEmpty()) return TRUNCATE.apply(b, all, r);
                return Arrays.copyOf(b, cuts.get(r.nextInt(cuts.size())));
            }
        },
        SPLICE_OTHER_FORMAT {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                List<String> lines = lines(b);
                List<String> other = lines(all.get(r.nextInt(all.size())));
                for (int i = 1 + r.nextInt(20); i > 0 && !other.isEmpty(); i--) {
                    lines.add(lines.isEmpty() ? 0 : r.nextInt(lines.size()), other.get(r.nextInt(other.size())));
                }
                return join(lines);
            }
        },
        EMPTY {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                return new byte[0];
            }
        },
        WHITESPACE {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] w = new byte[r.nextInt(2000)];
                byte[] ws = {' ', '\n', '\t', '\r'};
                for (int i = 0; i < w.length; i++) w[i] = ws[r.nextInt(ws.length)];
                return w;
            }
        },
        RANDOM_BINARY {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] x = new byte[1 + r.nextInt(8000)];
                r.nextBytes(x);
                return x;
            }
        },
        GZIP_MUTATED {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] inner = values()[r.nextInt(5)].apply(b, all, r);
                byte[] gz = gzip(inner);
                return r.nextBoolean() ? gz : Arrays.copyOf(gz, r.nextInt(gz.length + 1));
            }
        },
        UTF16_MUTATED {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] inner = values()[r.nextInt(5)].apply(b, all, r);
                String s = new String(inner, StandardCharsets.ISO_8859_1);
                byte[] u = s.getBytes(r.nextBoolean() ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16);
                return r.nextBoolean() ? u : Arrays.copyOf(u, r.nextInt(u.length + 1));
            }
        },
        MANY_AT_ONCE {
            @Override
            byte[] apply(byte[] b, List<byte[]> all, Random r) {
                byte[] x = b;
                for (int i = 0; i < 4; i++) x = values()[r.nextInt(8)].apply(x, all, r);
                return x;
            }
        };

        abstract byte[] apply(byte[] b, List<byte[]> all, Random r);

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

        static byte[] gzip(byte[] b) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(b);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }
    }
}
