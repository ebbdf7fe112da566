package dev.knot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    private final List<String> warnings = new ArrayList<>();

    private Map<String, String> parse(String s) {
        return AgentOptions.parse(s, warnings::add);
    }

    @Test
    void keyValuePairsInOrder() {
        assertEquals(Map.of("snapshot", "/tmp/a.json", "watch", "5s"), parse("snapshot=/tmp/a.json,watch=5s"));
        assertEquals(List.of("snapshot", "watch"), List.copyOf(parse("snapshot=/tmp/a.json,watch=5s").keySet()));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void nothingIsNoOptions() {
        assertTrue(parse(null).isEmpty());
        assertTrue(parse("").isEmpty());
        assertTrue(parse("  ").isEmpty());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void commaInAFileNameStaysInTheValue() {
        assertEquals(Map.of("snapshot", "/tmp/a,b.json"), parse("snapshot=/tmp/a,b.json"));
        assertEquals(Map.of("snapshot", "/tmp/a,b.json", "x", "1"), parse("snapshot=/tmp/a,b.json,x=1"));
    }

    @Test
    void valueMayContainEqualsAndBeEmpty() {
        assertEquals(Map.of("a", "b=c", "d", ""), parse("a=b=c,d="));
    }

    @Test
    void segmentsWithoutKeyAreWarnedAbout() {
        assertEquals(Map.of("a", "1"), parse("snapshot,a=1,=2"));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'snapshot'"), warnings.toString());
    }

    @Test
    void lastOccurrenceWins() {
        assertEquals(Map.of("a", "2"), parse("a=1,a=2"));
    }
}
