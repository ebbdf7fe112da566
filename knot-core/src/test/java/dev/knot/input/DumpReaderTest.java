package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.ThreadDump;
import static dev.knot.input.TestDumps.lock;
import static dev.knot.input.TestDumps.thread;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpReaderTest {

    /** Format, and thread count of each dump in the file (jstack files: at least this many). */
    record Expect(DumpFormat format, List<Integer> threads) {
    }

    static final Map<String, Expect> EXPECTED = Map.ofEntries(
            Map.entry("jdk/jdk17-jstack-l.txt", new Expect(DumpFormat.JSTACK, List.of(30))),
            Map.entry("jdk/jdk25-jstack-after-retransform.txt", new Expect(DumpFormat.JSTACK, List.of(32))),
            Map.entry("jdk/jdk25-jstack-e.txt", new Expect(DumpFormat.JSTACK, List.of(31))),
            Map.entry("jdk/jdk25-jstack-l.txt", new Expect(DumpFormat.JSTACK, List.of(31))),
            Map.entry("jdk/jdk25-thread-dump-to-file.json", new Expect(DumpFormat.JCMD_JSON, List.of(28))),
            Map.entry("jdk/jdk25-thread-dump-to-file.txt", new Expect(DumpFormat.JCMD_TEXT, List.of(28))),
            Map.entry("jdk/constructed-jdk21-thread-dump-to-file.txt", new Expect(DumpFormat.JCMD_TEXT, List.of(28))),
            Map.entry("jdk/tizoo-jdk17-actuator.json", new Expect(DumpFormat.ACTUATOR_JSON, List.of(16))),
            Map.entry("jdk/tizoo-jdk17-actuator.txt", new Expect(DumpFormat.THREADINFO_TEXT, List.of(16))),
            Map.entry("jdk/tizoo-jdk17-threadinfo-tostring.txt", new Expect(DumpFormat.THREADINFO_TEXT, List.of(16))),
            Map.entry("jdk/tizoo-jdk25-actuator.json", new Expect(DumpFormat.ACTUATOR_JSON, List.of(16))),
            Map.entry("jdk/tizoo-jdk25-actuator.txt", new Expect(DumpFormat.THREADINFO_TEXT, List.of(16))),
            Map.entry("jdk/tizoo-jdk25-threadinfo-tostring.txt", new Expect(DumpFormat.THREADINFO_TEXT, List.of(16))),
            Map.entry("jdk/tizoo-jdk25-jstack-l.txt", new Expect(DumpFormat.JSTACK, List.of(29))),
            Map.entry("jdk/tizoo-jdk25-thread-dump-to-file.json", new Expect(DumpFormat.JCMD_JSON, List.of(17))),
            Map.entry("jdk/tizoo-jdk25-thread-dump-to-file.txt", new Expect(DumpFormat.JCMD_TEXT, List.of(17))),
            Map.entry("wild/carrier_stuck.log", new Expect(DumpFormat.JSTACK, List.of(4))),
            Map.entry("wild/hpdump.log", new Expect(DumpFormat.JSTACK, List.of(574, 574))),
            Map.entry("wild/intellij_dump.json", new Expect(DumpFormat.JCMD_JSON, List.of(8))),
            Map.entry("jdk/vtcycle-jdk25-thread-dump-to-file.json", new Expect(DumpFormat.JCMD_JSON, List.of(212))),
            Map.entry("jdk/carriers-pinned-jdk25-thread-dump-to-file.json", new Expect(DumpFormat.JCMD_JSON, List.of(12))),
            Map.entry("wild/java11dump.log", new Expect(DumpFormat.JSTACK, List.of(14))),
            Map.entry("wild/java21dump.log", new Expect(DumpFormat.JSTACK, List.of(18))),
            Map.entry("wild/java21dump_utf16.log", new Expect(DumpFormat.JSTACK, List.of(18))),
            Map.entry("wild/java8dump.log", new Expect(DumpFormat.JSTACK, List.of(21))),
            Map.entry("wild/jdk11_long_running.log", new Expect(DumpFormat.JSTACK, List.of(2, 2))),
            Map.entry("wild/jstack_dump.log", new Expect(DumpFormat.JSTACK, List.of(28))),
            Map.entry("wild/test.log", new Expect(DumpFormat.THREADINFO_TEXT, List.of(88, 86, 86))),
            Map.entry("wild/test64bit.log", new Expect(DumpFormat.JSTACK, List.of(3))),
            Map.entry("wild/testwithhistogram.log", new Expect(DumpFormat.JSTACK, List.of(14))),
            Map.entry("wild/urlthread.log", new Expect(DumpFormat.JSTACK, List.of(70))),
            Map.entry("wild/visualvmremote.log", new Expect(DumpFormat.THREADINFO_TEXT, List.of(119))),
            // the JVM's deadlock report alone: the threads it names (PastedFragmentsTest)
            Map.entry("pasted/aprof-3.txt", new Expect(DumpFormat.JSTACK, List.of(2))),
            Map.entry("pasted/chronicle-network-93.txt", new Expect(DumpFormat.JSTACK, List.of(2))),
            Map.entry("pasted/cosmic-194.txt", new Expect(DumpFormat.JSTACK, List.of(3))),
            Map.entry("pasted/craftercms-7319.txt", new Expect(DumpFormat.JSTACK, List.of(2))),
            Map.entry("pasted/dolphinscheduler-7448.txt", new Expect(DumpFormat.JSTACK, List.of(3))),
            Map.entry("pasted/glowroot-264.txt", new Expect(DumpFormat.JSTACK, List.of(2))),
            Map.entry("pasted/jajuk-847.txt", new Expect(DumpFormat.JSTACK, List.of(3))),
            Map.entry("pasted/jdk17-report-without-stacks.txt", new Expect(DumpFormat.JSTACK, List.of(4))),
            Map.entry("pasted/jdk25-report-with-stacks.txt", new Expect(DumpFormat.JSTACK, List.of(4))),
            Map.entry("pasted/traccar-1428.txt", new Expect(DumpFormat.JSTACK, List.of(4))));

    @Test
    void everySampleIsReadInItsFormat() throws Exception {
        List<String> seen = new ArrayList<>();
        for (Path p : TestDumps.all()) {
            String rel = TestDumps.root().relativize(p).toString().replace('\\', '/');
            seen.add(rel);
            Expect e = EXPECTED.get(rel);
            assertNotNull(e, "no expectation for " + rel);
            List<ThreadDump> dumps = DumpReader.readFile(p);
            assertEquals(e.threads().size(), dumps.size(), rel + " dumps");
            for (int i = 0; i < dumps.size(); i++) {
                ThreadDump d = dumps.get(i);
                assertEquals(e.format(), d.format(), rel);
                assertEquals(p.toString(), d.source(), rel);
                if (e.format() == DumpFormat.JSTACK) {
                    // jstack may add mounted virtual threads under their carriers
                    assertTrue(d.threads().size() >= e.threads().get(i), rel + " threads " + d.threads().size());
                } else {
                    assertEquals(e.threads().get(i), d.threads().size(), rel + " threads");
                }
                assertTrue(d.threads().stream().allMatch(t -> t.lineNumber() > 0), rel + " line numbers");
            }
        }
        assertEquals(EXPECTED.keySet().stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void jstackFactsThroughTheReader() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/jdk25-jstack-l.txt");
        DumpedThread b1 = thread(d, "B-rl-1");
        LockLine park = lock(b1, LockLine.Action.PARKING).line();
        assertEquals("0x000000069ed1bbe0", park.object().id());
        assertEquals("ReentrantLock$NonfairSync", park.object().simpleClassName());
        assertEquals(List.of("0x000000069ed1bbb0"), b1.ownableSynchronizers().stream().map(ObjectRef::id).toList());
    }

    @Test
    void utf16FileReadsLikeItsUtf8Twin() throws Exception {
        ThreadDump utf16 = TestDumps.readOne("wild/java21dump_utf16.log");
        ThreadDump utf8 = TestDumps.readOne("wild/java21dump.log");
        assertEquals(utf8.time(), utf16.time());
        assertEquals(utf8.jvmVersion(), utf16.jvmVersion());
        assertEquals(utf8.threads().stream().map(DumpedThread::name).toList(),
                utf16.threads().stream().map(DumpedThread::name).toList());
        assertEquals(utf8.threads().stream().map(t -> t.frames().size()).toList(),
                utf16.threads().stream().map(t -> t.frames().size()).toList());
        assertTrue(utf16.warnings().isEmpty(), utf16.warnings().toString());
    }

    @Test
    void encodingsByBomAndByNulPattern() throws Exception {
        String text = new String(TestDumps.bytes("jdk/jdk25-thread-dump-to-file.txt"), StandardCharsets.UTF_8);
        ThreadDump plain = read("x", text.getBytes(StandardCharsets.UTF_8)).get(0);
        List<byte[]> variants = List.of(
                concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, text.getBytes(StandardCharsets.UTF_8)),
                concat(new byte[] {(byte) 0xff, (byte) 0xfe}, text.getBytes(StandardCharsets.UTF_16LE)),
                text.getBytes(StandardCharsets.UTF_16BE), // FE FF BOM added by Java's UTF_16 encoder below
                text.getBytes(StandardCharsets.UTF_16),
                text.getBytes(StandardCharsets.UTF_16LE));
        for (byte[] v : variants) {
            ThreadDump d = read("x", v).get(0);
            assertEquals(plain.threads(), d.threads());
            assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        }
    }

    @Test
    void latin1FallbackIsNoted() throws Exception {
        List<ThreadDump> dumps = TestDumps.read("wild/hpdump.log");
        assertEquals(2, dumps.size());
        for (ThreadDump d : dumps) {
            assertTrue(d.warnings().contains("input is not valid UTF-8; read as ISO-8859-1"), d.warnings().toString());
        }
        String name = "caf\u00e9-worker";
        byte[] latin1 = ("\"" + name + "\" #1 prio=5 os_prio=0 tid=0x1 nid=0x2 waiting on condition\n"
                + "   java.lang.Thread.State: WAITING (parking)\n"
                + "\tat jdk.internal.misc.Unsafe.park(Native Method)\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(name, read("l", latin1).get(0).threads().get(0).name());
    }

    @Test
    void gzip() throws Exception {
        byte[] json = TestDumps.bytes("jdk/jdk25-thread-dump-to-file.json");
        ThreadDump plain = read("p", json).get(0);
        byte[] gz = gzip(json);
        ThreadDump unzipped = read("p.gz", gz).get(0);
        assertEquals(plain.threads(), unzipped.threads());
        assertEquals(plain.warnings(), unzipped.warnings());

        // a cut-off archive keeps what it could decompress
        byte[] text = TestDumps.bytes("wild/urlthread.log");
        byte[] cutGz = Arrays.copyOf(gzip(text), gzip(text).length / 2);
        ThreadDump partial = read("cut.gz", cutGz).get(0);
        assertTrue(partial.threads().size() > 5 && partial.threads().size() < 70, "" + partial.threads().size());
        assertTrue(partial.warnings().get(0).startsWith("gzip data is cut short or corrupt; read the first "),
                partial.warnings().toString());

        assertMessage("z: corrupt gzip data", () -> read("z", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}));
    }

    @Test
    void badInputs() {
        assertMessage("e: empty input", () -> read("e", new byte[0]));
        assertMessage("w: empty input (only whitespace)", () -> read("w", " \n\t\r\n  ".getBytes(StandardCharsets.UTF_8)));
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        assertMessage("r: not a thread dump (binary data)", () -> read("r", random));
        byte[] zipHeader = concat("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), random);
        assertMessage("zip: not a thread dump (binary data)", () -> read("zip", zipHeader));
        assertMessage("t: not a thread dump: no thread header in 2 lines of text, starting \"hello world\" "
                        + "(expected jstack/jcmd text, jcmd JSON or Spring Boot actuator output)",
                () -> read("t", "hello world\nsecond line\n".getBytes(StandardCharsets.UTF_8)));
        assertMessage("j: not a thread dump: JSON without a \"threadDump\" or \"threads\" field "
                        + "(expected jstack/jcmd text, jcmd JSON or Spring Boot actuator output)",
                () -> read("j", "{\"foo\": [1, 2, 3]}".getBytes(StandardCharsets.UTF_8)));
        assertMessage("<input>: empty input", () -> DumpReader.read(null, new ByteArrayInputStream(new byte[0])));
        assertMessage("io: cannot read: disk on fire", () -> DumpReader.read("io", new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        }));
    }

    @Test
    void truncatedJson() {
        byte[] json = TestDumps.bytes("jdk/tizoo-jdk25-actuator.json");
        assertMessage("a.json: truncated JSON at line 3", () -> read("a.json", Arrays.copyOf(json, 20)));
        byte[] jcmd = TestDumps.bytes("jdk/jdk25-thread-dump-to-file.json");
        assertMessage("j.json: truncated JSON at line 9", () -> read("j.json", Arrays.copyOf(jcmd, 200)));
        assertDoesNotThrow(() -> {
            ThreadDump d = read("half.json", Arrays.copyOf(json, json.length / 2)).get(0);
            assertTrue(d.threads().size() > 3 && d.threads().size() < 16, "" + d.threads().size());
            assertTrue(d.warnings().get(0).startsWith("truncated JSON at line "), d.warnings().toString());
        });
    }

    @Test
    void jsonAfterAPreamble() throws Exception {
        byte[] json = TestDumps.bytes("jdk/jdk25-thread-dump-to-file.json");
        byte[] withHeaders = concat("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), json);
        assertEquals(28, read("h", withHeaders).get(0).threads().size());
    }

    @Test
    void files(@TempDir Path dir) throws Exception {
        assertMessage(dir + ": is a directory", () -> DumpReader.readFile(dir));
        Path missing = dir.resolve("nope.txt");
        assertMessage(missing + ": no such file", () -> DumpReader.readFile(missing));
        Path f = dir.resolve("dump.json.gz");
        Files.write(f, gzip(TestDumps.bytes("wild/intellij_dump.json")));
        ThreadDump d = DumpReader.readFile(f).get(0);
        assertEquals(f.toString(), d.source());
        assertEquals(8, d.threads().size());
    }

    @Test
    void orderByTimeIsStableAndKeepsUntimedInPlace() {
        ThreadDump a = dump("a", Instant.parse("2026-01-01T00:00:03Z"));
        ThreadDump b = dump("b", null);
        ThreadDump c = dump("c", Instant.parse("2026-01-01T00:00:01Z"));
        ThreadDump d = dump("d", Instant.parse("2026-01-01T00:00:03Z"));
        ThreadDump e = dump("e", Instant.parse("2026-01-01T00:00:02Z"));
        assertEquals(List.of("c", "b", "e", "a", "d"),
                DumpReader.orderByTime(List.of(a, b, c, d, e)).stream().map(ThreadDump::source).toList());
        assertEquals(List.of(), DumpReader.orderByTime(List.of()));
        assertEquals(List.of("b"), DumpReader.orderByTime(List.of(b)).stream().map(ThreadDump::source).toList());
    }

    @Test
    void severalDumpsComeInInputOrder() throws Exception {
        List<ThreadDump> dumps = TestDumps.read("wild/jdk11_long_running.log");
        assertEquals(List.of(Instant.parse("2026-01-17T10:00:00Z"), Instant.parse("2026-01-17T10:01:00Z")),
                dumps.stream().map(ThreadDump::time).toList());
        byte[] two = concat(TestDumps.bytes("jdk/tizoo-jdk25-thread-dump-to-file.json"),
                TestDumps.bytes("jdk/jdk25-thread-dump-to-file.json"));
        assertEquals(List.of("3635", "7437"), read("two", two).stream().map(ThreadDump::processId).toList());
    }

    // ---------------------------------------------------------------------------------------------

    static ThreadDump dump(String source, Instant time) {
        return new ThreadDump(source, DumpFormat.JSTACK, time, "", "", List.of(), List.of(), List.of());
    }

    static List<ThreadDump> read(String source, byte[] bytes) throws UnreadableInputException {
        return DumpReader.read(source, new ByteArrayInputStream(bytes));
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    interface Call {
        void run() throws Exception;
    }

    /** Throws UnreadableInputException whose one-line message starts with the given text. */
    static void assertMessage(String prefix, Call call) {
        UnreadableInputException e = assertThrows(UnreadableInputException.class, call::run);
        assertTrue(e.getMessage().startsWith(prefix), "message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
    }
}
