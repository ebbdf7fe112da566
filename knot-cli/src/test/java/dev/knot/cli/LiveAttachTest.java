package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class LiveAttachTest {

    @Test
    void snapshotDirectoriesAreNewAndPrivate() throws Exception {
        Path a = LiveAttach.privateTempDirectory("knot-test-");
        Path b = LiveAttach.privateTempDirectory("knot-test-");
        try {
            assertNotEquals(a, b);
            assertTrue(Files.isDirectory(a) && Files.isDirectory(b));
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")), a.getParent());
            assertTrue(a.getFileName().toString().startsWith("knot-test-" + ProcessHandle.current().pid() + "-"), a.toString());
            if (a.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
            }
        } finally {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        }
    }
}
