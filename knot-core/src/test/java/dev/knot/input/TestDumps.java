package dev.knot.input;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ThreadDump;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Access to the sample dumps under src/test/resources/dumps. */
final class TestDumps {

    private TestDumps() {
    }

    static Path root() {
        URL url = TestDumps.class.getResource("/dumps/README.md");
        assertNotNull(url, "test resources dumps/ missing");
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) throw new AssertionError("missing test dump " + relative);
        return p;
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every dump file (not sources or docs), sorted by path. */
    static List<Path> all() {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md")
                            && !p.getFileName().toString().endsWith(".java.txt"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ThreadDump> read(String relative) throws UnreadableInputException {
        return DumpReader.readFile(path(relative));
    }

    static ThreadDump readOne(String relative) throws UnreadableInputException {
        List<ThreadDump> dumps = read(relative);
        if (dumps.size() != 1) throw new AssertionError(relative + ": expected 1 dump, got " + dumps.size());
        return dumps.get(0);
    }

    static DumpedThread thread(ThreadDump d, String name) {
        return d.threads().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    /** The single lock line of this action on any frame, with the index of its frame. */
    record Found(int frame, LockLine line) {
    }

    static Found lock(DumpedThread t, LockLine.Action action) {
        Found found = null;
        for (int i = 0; i < t.frames().size(); i++) {
            for (LockLine l : t.frames().get(i).locks()) {
                if (l.action() != action) continue;
                if (found != null) throw new AssertionError(t.name() + ": more than one " + action);
                found = new Found(i, l);
            }
        }
        if (found == null) throw new AssertionError(t.name() + ": no " + action);
        return found;
    }

    static long lockCount(DumpedThread t) {
        return t.frames().stream().mapToLong(f -> f.locks().size()).sum();
    }
}
