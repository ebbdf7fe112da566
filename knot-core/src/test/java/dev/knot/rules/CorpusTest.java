package dev.knot.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.input.UnreadableInputException;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.ThreadDump;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real-world corpus (src/test/resources/corpus, sources and diagnoses in its README.md): thread dumps and
 * fragments that people published with public bug reports, each with what the maintainers (or the thread)
 * concluded.
 *
 * <p>{@link #AGREED}: Knot concludes what the maintainers did; asserted as such. {@link #KNOWN_MISSES}: Knot does
 * not, today; each entry asserts the current (wrong) outcome and names why, so that a fix makes this test fail:
 * then move the entry to {@link #AGREED} with the maintainers' outcome (and update the corpus README).
 *
 * <p>An outcome is written as Knot's findings, "kind certainty [threads]" (threads sorted), joined by "; ";
 * "no finding" when Knot reads the dump and reports nothing; "unreadable" when it says the input is no thread dump.
 */
class CorpusTest {

    static final String NO_FINDING = "no finding";
    static final String UNREADABLE = "unreadable";

    /** Knot and the maintainers agree. */
    record Agreed(String file, String outcome) {
        @Override public String toString() { return file; }
    }

    /** Why Knot does not yet conclude what the maintainers did (one paragraph each in the corpus README). */
    enum Reason {
        /** The dump is cut off; Knot neither warns nor keeps the damaged thread (a header without its opening quote is dropped). */
        TRUNCATION_NOT_DETECTED,
        /** A layout Knot has no parser for: line-numbered paste, jstack -F (SA), jtreg/Jenkins timestamps, Hazelcast's test dump. */
        UNKNOWN_LAYOUT,
        /** An OpenJ9 javacore: not read (Knot says it is one and that it does not read the format). */
        OPENJ9_JAVACORE,
        /** A header that is no HotSpot layout ("name" tid=0x16 owned by "other" tid=0x15, Geode's): not read as a thread. */
        THREAD_NAME_MISPARSED
    }

    /**
     * Knot and the maintainers disagree today.
     *
     * @param expected what Knot should conclude (the maintainers' diagnosis, as far as the fragment can show it)
     * @param current  what Knot concludes today (asserted)
     * @param threadsRead the thread names Knot reads today, or null when not asserted
     */
    record Miss(String file, Reason reason, String expected, String current, List<String> threadsRead) {
        Miss(String file, Reason reason, String expected, String current) {
            this(file, reason, expected, current, null);
        }
        @Override public String toString() { return file + " (" + reason + ")"; }
    }

    static final List<Agreed> AGREED = List.of(
            new Agreed("01-jadx-274-deadlock-section.txt", "deadlock certain [pool-1-thread-2, pool-1-thread-4]"),
            new Agreed("02-tda-12-tomcat-newrelic-section.txt", "deadlock certain [ajp-bio-18009-exec-377, ajp-bio-18009-exec-386]"),
            new Agreed("03-glowroot-264-sa-section.txt", "deadlock certain [Glowroot-Aggregate-Processing, Glowroot-Gauge-Flushing]"),
            new Agreed("04-scottoaks-12-jstack-l-tail.txt", "deadlock certain [Thread-0, Thread-1]"),
            new Agreed("06-cosmic-194-reentrantlock-section.txt", "deadlock certain [TimerManager-Worker-3, nioEventLoopGroup-11-3]"),
            new Agreed("08-dolphinscheduler-7448-section.txt", "deadlock certain [TaskLogInfo-544612_5942967, Worker-Execute-Thread]"),
            new Agreed("09-chronicle-93-section.txt", "deadlock certain [main, main/queue-cluster-2-core-event-loop]"),
            new Agreed("22-openjdk-2893-clinit-fragment.txt", NO_FINDING),
            new Agreed("07-awsjdbc-834-reentrantlock-section.txt", "deadlock certain [org.springframework.kafka.KafkaListenerEndpointContainer#2-13-C-1, "
                    + "org.springframework.kafka.KafkaListenerEndpointContainer#2-9-C-1]"),
            new Agreed("10-c3p0-10-markdown-section.txt", "deadlock certain [C3P0PooledConnectionPoolManager[identityToken->31b6y68u1at2f6m11v89lr|40e99ce5]-HelperThread-#0, "
                    + "C3P0PooledConnectionPoolManager[identityToken->31b6y68u1at2f6m11v89lr|40e99ce5]-HelperThread-#1]"),
            new Agreed("05-xiechong-4-jdk8-cut.txt", "deadlock certain [Thread1, Thread2]"),
            new Agreed("14-hikari-714-visualvm-timed.txt", NO_FINDING),
            new Agreed("15-c3p0-53-awaitavailable.txt", NO_FINDING),
            new Agreed("16-geonetwork-664-dbcp-latch.txt", NO_FINDING),
            new Agreed("17-druid-3823-arthas-takelast.txt", NO_FINDING),
            new Agreed("18-zmon-90-bonecp-timed.txt", NO_FINDING),
            new Agreed("19-druid-1653-socketread.txt", "blocking-io likely [Thread-4]"),
            new Agreed("20-druid-3150-visualvm-socketread.txt", "blocking-io likely [Druid-ConnectionPool-Destroy-268707941]"),
            new Agreed("21-pgjdbc-1508-socketread.txt", "blocking-io likely [Thread-64]"),
            new Agreed("25-spongeforge-2249-fjp-idle.txt", NO_FINDING),
            new Agreed("28-buildfarm-839-jdk15-managedblock.txt", NO_FINDING),
            new Agreed("29-infinispan-14351-jdk25-idle.txt", NO_FINDING),
            new Agreed("31-otel-10747-carrier-markdown.txt", NO_FINDING));

    static final List<Miss> KNOWN_MISSES = List.of(
            new Miss("11-reload4j-75-asyncappender-cut.txt", Reason.TRUNCATION_NOT_DETECTED,
                    "both threads read, a truncation warning, no orphaned lock (the RootLogger owner's line was cut)",
                    NO_FINDING, List.of("Thread-5")),
            new Miss("12-jedis-1764-line-numbered.txt", Reason.UNKNOWN_LAYOUT,
                    NO_FINDING + " (one borrower of a drained commons-pool2 pool; the holders are not in the paste)", UNREADABLE),
            new Miss("13-jedis-1546-jstack-F.txt", Reason.UNKNOWN_LAYOUT,
                    NO_FINDING + " (a thread connecting a socket)", UNREADABLE),
            new Miss("23-log4j2-2373-openj9-clinit.txt", Reason.OPENJ9_JAVACORE,
                    "a class-initialisation wait on Default Executor-thread-1", UNREADABLE),
            new Miss("24-openliberty-10137-openj9-blocked.txt", Reason.OPENJ9_JAVACORE,
                    NO_FINDING + " (Default Executor-thread-170 blocked behind Thread-30's socket I/O), or: unsupported format",
                    UNREADABLE),
            new Miss("26-hazelcastjet-2199-fjp-idle.txt", Reason.UNKNOWN_LAYOUT, NO_FINDING, UNREADABLE),
            new Miss("27-geode-3114-executorrule-deadlock.txt", Reason.THREAD_NAME_MISPARSED,
                    "deadlock certain [pool-8-thread-1, pool-8-thread-2]", UNREADABLE),
            new Miss("30-openj9-18908-jtreg-timestamped.txt", Reason.UNKNOWN_LAYOUT, NO_FINDING, UNREADABLE));

    // ---------------------------------------------------------------------------------------------------------

    record Outcome(String text, List<String> threadsRead) { }

    static Outcome analyze(String file) throws Exception {
        List<ThreadDump> dumps;
        try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus/" + file)) {
            if (in == null) throw new AssertionError("no such corpus file: " + file);
            dumps = DumpReader.read(file, in);
        } catch (UnreadableInputException e) {
            return new Outcome(UNREADABLE, List.of());
        }
        List<String> names = dumps.stream().flatMap(d -> d.threads().stream()).map(DumpedThread::name).toList();
        Report r = Analyzer.analyze(DumpReader.orderByTime(dumps));
        if (r.findings().isEmpty()) return new Outcome(NO_FINDING, names);
        return new Outcome(r.findings().stream().map(CorpusTest::key).collect(Collectors.joining("; ")), names);
    }

    static String key(Finding f) {
        return f.kind().jsonName() + " " + f.certainty().jsonName() + " " + new TreeSet<>(f.threads());
    }

    static Stream<Agreed> agreed() { return AGREED.stream(); }

    static Stream<Miss> misses() { return KNOWN_MISSES.stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agreed")
    void knotConcludesWhatTheMaintainersDid(Agreed c) throws Exception {
        assertEquals(c.outcome(), analyze(c.file()).text(), c.file());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misses")
    void knownMissIsStillMissed(Miss m) throws Exception {
        Outcome o = analyze(m.file());
        String fixed = m.file() + ": the outcome changed (" + m.reason() + "). If it is now \"" + m.expected()
                + "\", move this entry to AGREED and update the corpus README";
        assertEquals(m.current(), o.text(), fixed);
        if (m.threadsRead() != null) assertEquals(m.threadsRead(), o.threadsRead(), fixed);
    }

    @Test
    void noHangIsReportedOnAnyDumpTheMaintainersFoundHealthy() throws Exception {
        for (Agreed c : AGREED) {
            if (!c.outcome().equals(NO_FINDING)) continue;
            String o = analyze(c.file()).text();
            assertTrue(!o.contains("deadlock") && !o.contains("starvation") && !o.contains("orphaned-lock"), c.file() + ": " + o);
        }
    }

    @Test
    void everyCorpusFileIsListedOnceAndDescribedInTheReadme() throws Exception {
        Path dir = Paths.get("src/test/resources/corpus");
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).forEach(files::add);
        }
        List<String> listed = new ArrayList<>();
        AGREED.forEach(a -> listed.add(a.file()));
        KNOWN_MISSES.forEach(m -> listed.add(m.file()));
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "a file is listed twice: " + listed);
        assertEquals(files, new TreeSet<>(listed), "every corpus file is in AGREED or KNOWN_MISSES");
        String readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
        for (String f : files) assertTrue(readme.contains(f), "corpus README describes " + f);
        for (Reason r : Reason.values()) assertTrue(readme.contains(r.name()), "corpus README explains " + r);
        assertTrue(files.size() >= 20, "at least 20 dumps: " + files.size());
    }
}
