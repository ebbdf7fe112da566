package dev.knot.cli;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts a HotSpot JVM's attach listener ahead of {@code VirtualMachine.attach}, and watches for its socket every
 * millisecond. The JDK's attach (17 to 25, Linux) does the same steps (an {@code .attach_pid} file, then SIGQUIT) but
 * sleeps 100 ms before it first looks for the socket, which a listener has ready ~2-3 ms after the signal (measured
 * on a JVM with 10,000 threads): that sleep was a tenth of a first {@code knot attach}. Once the socket exists,
 * {@code VirtualMachine.attach} connects at once and sends no signal.
 *
 * <p>A SIGQUIT is only sent where the JDK's attach would send one and the JVM is sure to take it as an attach
 * request, never print a thread dump or die of it: Linux; the socket does not exist yet; the JVM's perf data says it
 * supports attach (not {@code -XX:+DisableAttachMechanism}); the process catches SIGQUIT (not {@code -Xrs}, not still
 * starting); the {@code .attach_pid} file could be made. Anything else, or anything unexpected, and nothing is done:
 * the JDK's own attach then runs as before.
 */
final class AttachListener {
    /** Bit of SIGQUIT (3) in the {@code SigCgt} mask of {@code /proc/PID/status}. */
    private static final long SIGQUIT_BIT = 1L << (3 - 1);
    private static final String CAPABILITIES = "sun.rt.jvmCapabilities";

    private final Path socket;
    private final Path attachFile; // made by us, so deleted by us

    private AttachListener(Path socket, Path attachFile) {
        this.socket = socket;
        this.attachFile = attachFile;
    }

    /**
     * Sends the attach request signal to a JVM of this user whose listener is not running yet.
     *
     * @param owner the user the JVM runs as (its perf data is {@code /tmp/hsperfdata_OWNER/PID})
     * @return what to {@link #await} before {@code VirtualMachine.attach}, or null if nothing was sent
     */
    static AttachListener start(long pid, String owner) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            if (!Files.isDirectory(proc)) return null;
            List<String> status = status(proc);
            int nsPid = namespacePid(status, pid);
            Path socket = proc.resolve("root/tmp/.java_pid" + nsPid);
            if (Files.exists(socket)) return null; // running: the JDK connects without a signal
            Path perfData = proc.resolve("root/tmp/hsperfdata_" + owner + "/" + nsPid);
            if (!attachSupported(perfData) || !catchesSigquit(status)) return null;
            Method quit = sendQuit();
            if (quit == null) return null;
            Path attachFile = makeAttachFile(proc, pid, nsPid);
            if (attachFile == null) return null;
            try {
                quit.invoke(null, (int) pid);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Files.deleteIfExists(attachFile);
                return null;
            }
            return new AttachListener(socket, attachFile);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Waits until the socket exists or {@code maxMillis} passed, then deletes the attach file. Either way the JDK's
     * attach follows: it connects, or (the listener did not come up in time) runs its own protocol as before.
     *
     * @return whether the socket exists (false also when interrupted: the interrupt is kept for the caller)
     */
    boolean await(long maxMillis) {
        long end = System.nanoTime() + maxMillis * 1_000_000;
        try {
            while (!Files.exists(socket)) {
                if (System.nanoTime() - end > 0) return false;
                Thread.sleep(1);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(attachFile);
            } catch (IOException | RuntimeException ignored) {
                // the JVM ignores a stale attach file owned by us; the JDK's attach would delete it
            }
        }
    }

    /** The lines of {@code /proc/PID/status}. */
    static List<String> status(Path proc) throws IOException {
        return Files.readAllLines(proc.resolve("status"), StandardCharsets.ISO_8859_1);
    }

    /** The target's pid in its own pid namespace (a container), as the JDK's attach finds it. */
    static int namespacePid(List<String> status, long pid) {
        for (String line : status) {
            if (line.startsWith("NSpid:")) {
                String[] ids = line.substring(6).trim().split("\\s+");
                return Integer.parseInt(ids[ids.length - 1]);
            }
        }
        return (int) pid;
    }

    /** The process has a handler for SIGQUIT (a JVM past its start, without -Xrs). */
    static boolean catchesSigquit(List<String> status) {
        for (String line : status) {
            if (line.startsWith("SigCgt:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & SIGQUIT_BIT) != 0;
        }
        return false;
    }

    /**
     * Whether the JVM's perf data says it supports the attach mechanism: the first character of the string counter
     * {@value #CAPABILITIES} is '1' (what the JDK's attach provider checks before it sends a signal). False when
     * the file cannot be read or has no such counter.
     */
    static boolean attachSupported(Path perfData) throws IOException {
        String caps = perfDataString(Files.readAllBytes(perfData), CAPABILITIES);
        return caps != null && caps.startsWith("1");
    }

    /**
     * A string counter of a HotSpot perf data file (format 2.0): a 32-byte prologue (magic 0xcafec0c0, byte order,
     * versions, ..., entry offset at 24, entry count at 28), then entries (length, name offset, vector length, type,
     * flags, units, variability, data offset), names and values NUL-terminated. Null if absent or malformed.
     */
    static String perfDataString(byte[] data, String name) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (data.length < 32 || b.getInt(0) != 0xcafec0c0) return null;
        b.order(data[4] == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (data[5] != 2) return null;
        int entry = b.getInt(24);
        int count = b.getInt(28);
        for (int i = 0; i < count && entry >= 0 && entry + 20 <= data.length; i++) {
            int length = b.getInt(entry);
            if (length <= 0) return null;
            String n = cString(data, entry + b.getInt(entry + 4), data.length);
            if (name.equals(n)) {
                if (data[entry + 12] != 'B') return null;
                int from = entry + b.getInt(entry + 16);
                return cString(data, from, Math.min(data.length, from + b.getInt(entry + 8)));
            }
            entry += length;
        }
        return null;
    }

    private static String cString(byte[] data, int from, int limit) {
        if (from < 0 || from >= limit) return null;
        int end = from;
        while (end < limit && data[end] != 0) end++;
        return new String(data, from, end - from, StandardCharsets.ISO_8859_1);
    }

    /** The JDK's {@code sendQuitTo(int)} (a kill(2)), open to this code when the launcher or manifest opened it. */
    private static Method sendQuit() {
        try {
            Class<?> impl = Class.forName("sun.tools.attach.VirtualMachineImpl"); // its initialiser loads libattach
            Method m = impl.getDeclaredMethod("sendQuitTo", int.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Where the JDK puts it: the target's working directory, else its /tmp; null if neither can be written. */
    private static Path makeAttachFile(Path proc, long pid, int nsPid) {
        String name = ".attach_pid" + nsPid;
        Path tmp = pid == nsPid ? Path.of("/tmp") : proc.resolve("root/tmp");
        for (Path dir : new Path[] {proc.resolve("cwd"), tmp}) {
            try {
                Path f = dir.toRealPath().resolve(name);
                Files.createFile(f);
                return f;
            } catch (IOException | RuntimeException e) {
                // next place (a file that already exists is another attacher's: leave it to them)
            }
        }
        return null;
    }
}
