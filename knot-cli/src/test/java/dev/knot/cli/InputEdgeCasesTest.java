package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users feed `knot analyze` besides whole dumps: random text, a pasted deadlock report, a dump cut off. */
class InputEdgeCasesTest {

    @TempDir
    Path dir;

    private String jdk25() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/jdk25-jstack-l.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void randomPrintableLinesAreNotADump() throws IOException {
        Random r = new Random(17);
        StringBuilder s = new StringBuilder();
        while (s.length() < 5 << 20) {
            for (int i = r.nextInt(100); i > 0; i--) s.append((char) (' ' + r.nextInt(95)));
            s.append('\n');
        }
        Path p = Files.writeString(dir.resolve("random.txt"), s);
        AnalyzeCommandTest.Run text = AnalyzeCommandTest.knot("analyze", p.toString());
        assertEquals(ExitCodes.UNREADABLE_INPUT, text.exit(), text.err());
        String err = text.err().strip();
        assertTrue(err.startsWith("knot: " + p + ": not a thread dump: no thread header in "), err);
        assertFalse(err.contains("\n"), err);
        assertEquals("", text.out());

        AnalyzeCommandTest.Run json = AnalyzeCommandTest.knot("analyze", "--format", "json", p.toString());
        assertEquals(ExitCodes.UNREADABLE_INPUT, json.exit());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertEquals("knot-report", root.get("schema").asText());
        assertEquals(0, root.get("inputs").size());
        assertTrue(root.get("warnings").get(0).asText().contains(": not a thread dump: "), json.out());
    }

    @Test
    void aPastedDeadlockReportIsAHang() throws IOException {
        String whole = jdk25();
        Path p = Files.writeString(dir.resolve("pasted.txt"), whole.substring(whole.indexOf("Found one Java-level deadlock")));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.knot("analyze", "--format", "json", p.toString());
        assertEquals(ExitCodes.HANG, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        List<String> findings = new ArrayList<>();
        for (JsonNode f : root.get("findings")) {
            findings.add(f.get("kind").asText() + " " + f.get("certainty").asText() + " " + f.get("threads"));
        }
        assertEquals(List.of("deadlock certain [\"A-mon-1\",\"A-mon-2\"]", "deadlock certain [\"B-rl-1\",\"B-rl-2\"]"), findings);
    }

    @Test
    void aCutDumpIsSaidToBeCutAndHasNoOrphanedLock() throws IOException {
        // the whole dump has an orphaned-lock finding (G-pt-sync-waiter); cut at B-rl-1's frames, it has none
        String whole = jdk25();
        Path p = Files.writeString(dir.resolve("cut.txt"), whole.substring(0, whole.indexOf("ReentrantLock.lock", whole.indexOf("\"B-rl-1\" #"))));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.knot("analyze", p.toString());
        assertEquals(ExitCodes.HANG, r.exit(), r.err());   // the monitor deadlock before the cut is whole
        assertTrue(r.out().contains("the dump looks cut off"), r.out());
        assertFalse(r.out().contains("ORPHANED"), r.out());
        Path all = Files.writeString(dir.resolve("whole.txt"), whole);
        assertTrue(AnalyzeCommandTest.knot("analyze", all.toString()).out().contains("ORPHANED"), "the whole dump has one");
    }
}
