package dev.knot.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    final List<String> warnings = new ArrayList<>();

    Options parse(String args) {
        return Options.parse(args, warnings::add);
    }

    @Test
    void noOptionsMeansTheDefaultKinds() {
        assertEquals(Options.defaults(), parse(null));
        assertEquals(Options.defaults(), parse(""));
        assertEquals(Options.defaults(), parse("snapshot=/tmp/x.json"));
        assertFalse(Options.defaults().sites());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void kindsAreListedWithCommas() {
        Options o = parse("track=semaphores,queues,track.sites=true");
        assertTrue(o.semaphores() && o.queues() && !o.futures() && o.sites());
        assertEquals("semaphores,queues", o.kinds());
        assertEquals("semaphores,queues,futures,failures,pools", parse("track=all").kinds());
        assertEquals("pools", parse("track=pool").kinds());
        assertEquals("none", parse("track=none").kinds());
        assertFalse(parse("track=none").any());
        assertEquals(Options.defaults().kinds(), parse("track=default").kinds());
        assertEquals("futures", Options.parse(Map.of("track", "future"), warnings::add).kinds());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void badValuesWarnAndAreIgnored() {
        Options o = parse("track=semaphores,locks,track.sites=maybe");
        assertEquals("semaphores", o.kinds());
        assertFalse(o.sites());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'locks'"));
    }

    @Test
    void selfTestFailureIsOnlyOnRequest() {
        assertTrue(parse("track.selftest=fail").failSelfTest());
        assertFalse(parse("track=all").failSelfTest());
    }
}
