package dev.knot.agent;

import dev.knot.input.ThreadDump;
import dev.knot.live.LiveSnapshot;
import dev.knot.live.SnapshotJson;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Takes a live snapshot and writes it so that a reader sees the whole file or none. */
final class Snapshots {
    private Snapshots() {
    }

    /**
     * Writes the snapshot to {@code target} (through {@code target.tmp}).
     *
     * @return null when written, else the one-line reason it could not be written (an I/O problem with the file)
     */
    static String takeAndWrite(Path target) {
        ThreadDump dump = LiveSnapshot.take("pid " + ProcessHandle.current().pid());
        Path tmp = sibling(target, KnotAgent.TMP_SUFFIX);
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                SnapshotJson.write(dump, w);
            }
            move(tmp, target);
            return null;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
            return "cannot write snapshot to " + target + ": " + KnotAgent.oneLine(e);
        }
    }

    /** Leaves the reason for a failed request next to the file the requester waits for. */
    static void writeError(Path target, String reason) {
        Path err = sibling(target, KnotAgent.ERROR_SUFFIX);
        Path tmp = sibling(err, KnotAgent.TMP_SUFFIX);
        try {
            Files.writeString(tmp, reason + System.lineSeparator(), StandardCharsets.UTF_8);
            move(tmp, err);
        } catch (IOException | RuntimeException e) {
            // the line on stderr has to do
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
