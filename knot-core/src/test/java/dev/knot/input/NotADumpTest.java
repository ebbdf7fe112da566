package dev.knot.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.ThreadDump;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Text that is not a thread dump is refused with one line naming the input, however much of it there is and
 * however many of its lines happen to start with a quote; a real dump inside a long log is still read.
 */
class NotADumpTest {

    private static List<ThreadDump> read(String source, byte[] b) throws UnreadableInputException {
        return DumpReader.read(source, new ByteArrayInputStream(b));
    }

    private static void assertNotADump(String source, byte[] b) {
        UnreadableInputException e = assertThrows(UnreadableInputException.class, () -> read(source, b),
                () -> source + " was read as a dump");
        assertTrue(e.getMessage().startsWith(source + ": not a thread dump"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNull(e.getCause(), "no internal error");
    }

    /** Lines of random printable ASCII (with tabs and runs of spaces), about {@code bytes} in all. */
    static byte[] randomPrintableLines(Random r, int bytes) {
        StringBuilder s = new StringBuilder(bytes + 200);
        while (s.length() < bytes) {
            int n = r.nextInt(121);
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(100);
                s.append(k < 95 ? (char) (' ' + k) : k < 98 ? '\t' : '"');
            }
            s.append('\n');
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Lines glued from the words of a thread dump in random order: quotes, ids, prio=, tid=, at, brackets. */
    static byte[] dumpWordSalad(Random r, int lines) {
        String[] words = {"\"", "\"", "#", "1", "12", " ", " ", "=", "prio", "tid", "nid", "0x1f", "a", "b", "at ", "\t",
            "(", ")", ".", "java", "-", "<", ">", "Id", "id", "in", "daemon", "RUNNABLE", "WAITING", "t@", "virtual"};
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int n = r.nextInt(24);
            for (int k = 0; k < n; k++) s.append(words[r.nextInt(words.length)]);
            s.append('\n');
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void randomPrintableLinesAreNotADump() {
        Random r = new Random(13);
        assertNotADump("small.txt", randomPrintableLines(r, 64 << 10));
        // over the sniffing window and the size at which a text is parsed in two halves
        assertNotADump("big.txt", randomPrintableLines(r, 6 << 20));
    }

    @Test
    void dumpWordsInRandomOrderAreNotADump() {
        // Before: lines such as `"0x1f=" # # nidprio->at` counted as thread headers (a quote, then " #").
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) assertNotADump("salad-" + i + ".txt", dumpWordSalad(r, 20_000));
    }

    @Test
    void anApplicationLogWithoutADumpIsNotADump() {
        String log = applicationLog(new Random(3), 5_000);
        assertNotADump("app.log", log.getBytes(StandardCharsets.UTF_8));
        // the message says what the input looked like
        UnreadableInputException e = assertThrows(UnreadableInputException.class,
                () -> read("app.log", log.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().matches("app\\.log: not a thread dump: no thread header in 5\\d\\d\\d lines of text,"
                + " starting \"2026-11-21 10:00:00\\.000 .*"), e.getMessage());
    }

    @Test
    void jsonWithoutThreadsIsNotADump() {
        assertNotADump("t.json", "{\"threadDump\":{\"threadContainers\":[{\"threads\":[{\"stack\":[]},{}]}]}}"
                .getBytes(StandardCharsets.UTF_8));
        assertNotADump("a.json", "{\"threads\":[]}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lookalikeHeadersAreNotThreads() {
        for (String line : List.of("\"GET /index.html HTTP/1.1\" 200 5120 #1",
                "\"x\" #1 2 3", "\"quoted\" prio=high tid=none", "\"a\" Id=12 maybe", "\"b\" - Thread t@x",
                "#12 \"name\" whatever else", "\"c\" id=3 in nothing")) {
            assertNotADump("one-line", ("log start\n" + line + "\n\tat a.B.c(B.java:1)\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDumpInsideALongLogIsStillRead() throws Exception {
        byte[] dump = TestDumps.bytes("jdk/jdk25-jstack-l.txt");
        ThreadDump alone = TestDumps.readOne("jdk/jdk25-jstack-l.txt");
        // 3 MB of log before the dump (past the format sniffing window), 6 MB for the two-halves path
        for (int logLines : new int[] {100, 30_000, 60_000}) {
            Random r = new Random(logLines);
            String before = applicationLog(r, logLines);
            String after = applicationLog(r, 200);
            byte[] all = (before + new String(dump, StandardCharsets.UTF_8) + after).getBytes(StandardCharsets.UTF_8);
            List<ThreadDump> dumps = read("long.log", all);
            assertEquals(1, dumps.size(), logLines + " lines of log");
            ThreadDump d = dumps.get(0);
            assertEquals(DumpFormat.JSTACK, d.format());
            assertEquals(alone.threads().stream().map(t -> t.name()).toList(), d.threads().stream().map(t -> t.name()).toList());
        }
    }

    /** A plausible log: time stamps, levels, logger names, messages with quotes, now and then a stack trace. */
    static String applicationLog(Random r, int lines) {
        String[] levels = {"INFO ", "DEBUG", "WARN ", "ERROR"};
        String[] loggers = {"c.e.shop.OrderService", "o.s.web.servlet.DispatcherServlet", "com.zaxxer.hikari.HikariPool"};
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int ms = i * 37;
            s.append(String.format("2026-11-21 10:%02d:%02d.%03d ", (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000));
            s.append(levels[r.nextInt(levels.length)]).append(" [http-nio-8080-exec-").append(r.nextInt(10)).append("] ")
                    .append(loggers[r.nextInt(loggers.length)]).append(" - ");
            switch (r.nextInt(6)) {
                case 0 -> s.append("\"GET /orders/").append(r.nextInt(1000)).append("\" 200 in ").append(r.nextInt(90)).append(" ms");
                case 1 -> s.append("user \"alice\" id=").append(r.nextInt(99)).append(" in WAITING room");
                case 2 -> {
                    s.append("request failed\njava.lang.IllegalStateException: boom\n");
                    s.append("\tat c.e.shop.OrderService.place(OrderService.java:").append(r.nextInt(300)).append(")\n");
                    s.append("\tat java.base/java.lang.Thread.run(Thread.java:1583)");
                    i += 3;
                }
                default -> s.append("processed batch #").append(r.nextInt(5000)).append(" prio=").append(r.nextInt(9));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
