package dev.knot.agent;

import static dev.knot.input.AgentProtocol.ERROR_SUFFIX;
import static dev.knot.input.AgentProtocol.THREADS_SUFFIX;
import static dev.knot.input.AgentProtocol.TIMINGS_SUFFIX;
import static dev.knot.input.AgentProtocol.TMP_SUFFIX;
import static dev.knot.input.AgentProtocol.sibling;

import dev.knot.snapshot.ThreadDump;
import dev.knot.input.LiveParts;
import dev.knot.live.LiveSnapshot;
import dev.knot.input.SnapshotJson;
import dev.knot.live.ThreadPrint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Takes a live snapshot and writes it so that a reader sees the whole file or none (files: AgentProtocol). */
final class Snapshots {
    private Snapshots() {
    }

    /**
     * Writes the snapshot to {@code target} (through {@code target.tmp}).
     *
     * @return null when written, else the one-line reason it could not be written (an I/O problem with the file)
     */
    static String takeAndWrite(Path target, StringBuilder timings, boolean parts) {
        java.util.function.Consumer<String> phase = timings == null ? p -> { }
                : p -> timings.append(System.nanoTime()).append(" @").append(p).append('\n');
        phase.accept("snapshot thread started");
        String source = "pid " + ProcessHandle.current().pid();
        Path tmp = sibling(target, TMP_SUFFIX);
        if (parts) {
            Path text = sibling(target, THREADS_SUFFIX);
            LiveParts p;
            try {
                p = LiveSnapshot.takeParts(source, phase, s -> {
                    Path textTmp = sibling(text, TMP_SUFFIX);
                    Files.write(textTmp, s.getBytes(StandardCharsets.UTF_8));
                    move(textTmp, text);
                });
            } catch (IOException e) {
                return cannotWrite(target, e, tmp, text);
            }
            if (p != null) return write(target, tmp, text, p::write, phase, timings);
        }
        if (parts && ThreadPrint.failure() != null) KnotAgent.warn("in-process Thread.print failed: " + ThreadPrint.failure());
        ThreadDump dump = LiveSnapshot.take(source, phase);
        return write(target, tmp, null, w -> SnapshotJson.write(dump, w), phase, timings);
    }

    private interface Body {
        void writeTo(Writer w) throws IOException;
    }

    /** {@code body} into {@code tmp}, then moved to {@code target}: a reader sees the whole file or none. */
    private static String write(Path target, Path tmp, Path alsoDelete, Body body, java.util.function.Consumer<String> phase,
                                StringBuilder timings) {
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.writeTo(w);
            }
            phase.accept("written");
            if (timings != null) Files.writeString(sibling(target, TIMINGS_SUFFIX), timings, StandardCharsets.UTF_8);
            move(tmp, target);
            return null;
        } catch (IOException e) {
            return cannotWrite(target, e, tmp, alsoDelete);
        }
    }

    private static String cannotWrite(Path target, IOException e, Path tmp, Path alsoDelete) {
        try {
            Files.deleteIfExists(tmp);
            if (alsoDelete != null) Files.deleteIfExists(alsoDelete);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        return "cannot write snapshot to " + target + ": " + KnotAgent.oneLine(e);
    }

    /** Leaves the reason for a failed request next to the file the requester waits for. */
    static void writeError(Path target, String reason) {
        Path err = sibling(target, ERROR_SUFFIX);
        Path tmp = sibling(err, TMP_SUFFIX);
        try {
            Files.writeString(tmp, reason + System.lineSeparator(), StandardCharsets.UTF_8);
            move(tmp, err);
        } catch (IOException | RuntimeException e) {
            // the line on stderr has to do
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
