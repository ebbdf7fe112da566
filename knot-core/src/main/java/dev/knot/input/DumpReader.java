package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.ThreadDump;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads thread dumps from bytes: jstack / jcmd Thread.print text (also many dumps in one log), jcmd
 * Thread.dump_to_file JSON and text, Spring Boot actuator JSON and text, ThreadInfo.toString() output.
 * The format is detected from the content; gzip and UTF-16 input are recognised. Every failure is an
 * {@link UnreadableInputException} with a one-line message that starts with the source name.
 */
public final class DumpReader {

    /** Larger inputs are refused rather than risking the heap (10,000 threads as JSON are ~25 MB). */
    static final int MAX_BYTES = 1 << 30;

    private static final String EXPECTED =
            "expected jstack/jcmd text, jcmd JSON or Spring Boot actuator output";

    private DumpReader() {
    }

    /** Reads a file; its path as given names it in messages. */
    public static List<ThreadDump> readFile(Path path) throws UnreadableInputException {
        return readFile(path, path.toString());
    }

    /** Reads a file; {@code source} names it in messages. */
    public static List<ThreadDump> readFile(Path path, String source) throws UnreadableInputException {
        if (Files.isDirectory(path)) throw new UnreadableInputException(source, "is a directory");
        try {
            if (!Files.isRegularFile(path)) {
                try (InputStream in = Files.newInputStream(path)) {   // a pipe or device: size unknown
                    return read(source, in);
                }
            }
            if (Files.size(path) > MAX_BYTES) throw tooLarge(source);
            // one array of the file's size: a stream would be read in chunks and copied once more
            return parseGuarded(ParseSupport.oneLine(source, 300), Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new UnreadableInputException(source, "no such file");
        } catch (AccessDeniedException e) {
            throw new UnreadableInputException(source, "permission denied");
        } catch (IOException e) {
            throw new UnreadableInputException(source, cannotRead(e));
        }
    }

    /**
     * Reads every dump in the stream, in input order. The stream is read to its end but not closed.
     *
     * @param source name for messages and {@link ThreadDump#source()}, e.g. a file name or {@code <stdin>}
     */
    public static List<ThreadDump> read(String source, InputStream in) throws UnreadableInputException {
        String src = source == null || source.isBlank() ? "<input>" : ParseSupport.oneLine(source, 300);
        byte[] bytes;
        try {
            bytes = readAll(in, src);
        } catch (IOException e) {
            throw new UnreadableInputException(src, cannotRead(e));
        }
        return parseGuarded(src, bytes);
    }

    private static List<ThreadDump> parseGuarded(String src, byte[] bytes) throws UnreadableInputException {
        try {
            return parseBytes(src, bytes);
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug must not become a stack trace for the user (the cause is kept for tests and logs).
            throw internalError(src, "cannot read this input", e);
        }
    }

    private static String cannotRead(IOException e) {
        String msg = ParseSupport.oneLine(e.getMessage(), 200);
        return msg.isEmpty() ? "cannot read (" + e.getClass().getSimpleName() + ")" : "cannot read: " + msg;
    }

    private static List<ThreadDump> parseBytes(String source, byte[] raw) throws UnreadableInputException {
        List<String> notes = new ArrayList<>();
        byte[] bytes = raw;
        if (isGzip(bytes)) bytes = gunzip(source, bytes, notes);
        if (bytes.length == 0) throw new UnreadableInputException(source, "empty input");
        if (bytes.length >= JstackTextParser.PARALLEL_THRESHOLD_BYTES && Runtime.getRuntime().availableProcessors() > 1) {
            List<ThreadDump> dumps = parseBigText(source, bytes, notes);
            if (dumps != null) return dumps;
        }

        String text = decode(bytes, notes);
        if (text.isBlank()) throw new UnreadableInputException(source, "empty input (only whitespace)");
        if (isBinary(text)) throw new UnreadableInputException(source, "not a thread dump (binary data)");

        FormatDetector.Detection detection = FormatDetector.detect(text);
        UnreadableInputException firstError = null;
        for (DumpFormat format : detection.formats()) {
            List<ThreadDump> dumps;
            try {
                dumps = parse(format, source, text, detection.jsonStart());
            } catch (UnreadableInputException e) {
                if (firstError == null) firstError = e;
                continue;
            } catch (RuntimeException | StackOverflowError e) {
                if (firstError == null) firstError = internalError(source, "cannot read as " + format.displayName(), e);
                continue;
            }
            List<ThreadDump> withThreads = withThreads(dumps, notes);
            if (!withThreads.isEmpty()) return withThreads;
        }
        if (firstError != null) throw firstError;
        if (detection.formats().isEmpty() || detection.formats().contains(DumpFormat.JSTACK)) {
            int header = text.indexOf("Full thread dump");
            if (header >= 0 && header < (16 << 20)) {
                // jstack's own header with no thread after it
                throw new UnreadableInputException(source, "not a thread dump: \"" + ParseSupport.oneLine(
                        text.substring(header, Math.min(text.length(), text.indexOf('\n', header) < 0 ? text.length()
                                : text.indexOf('\n', header))), 80) + "\" but no thread after it (cut off before its first thread?)");
            }
        }
        if (text.contains("J9VMThread:") || text.contains("1XMTHDINFO") || text.contains("0SECTION       THREADS")) {
            throw new UnreadableInputException(source, "an OpenJ9 javacore, which Knot does not read (yet): take the dump"
                    + " with a HotSpot JDK, or with OpenJ9's `jcmd <pid> Thread.print`");
        }
        throw new UnreadableInputException(source, "not a thread dump: " + detection.seen() + " (" + EXPECTED + ")");
    }

    private static final int HEAD_BYTES = 64 << 10;

    /**
     * A big jstack text in two halves on two threads, without ever decoding or scanning it whole (see
     * {@link JstackTextParser#parseInTwo}). Null for anything else: other encodings and formats, no place to
     * cut, no threads; the caller then reads it the ordinary way, with all its checks and messages.
     */
    static List<ThreadDump> parseBigText(String source, byte[] bytes, List<String> notes) {
        if (utf16OrBom(bytes)) return null;
        // Sniff from the first line that starts with a quote: the dump's preamble can be long (the thread list of
        // "Threads class SMR info" is ~200 KB for 10,000 threads) and says nothing about the format.
        int from = firstQuotedLine(bytes, Math.min(bytes.length, MAX_PREAMBLE_BYTES));
        if (from < 0) return null;
        int headEnd = Math.min(bytes.length, from + HEAD_BYTES);
        while (headEnd > from && bytes[headEnd - 1] != '\n') headEnd--;
        String head = headEnd == from ? null : decodeStrictUtf8(bytes, from, headEnd);
        // 8 KB tell text from binary data; the whole head would cost a cold loop over 64 KB
        if (head == null || head.isBlank() || isBinary(head.substring(0, Math.min(head.length(), 8192)))) return null;
        FormatDetector.Detection detection = FormatDetector.detect(head);
        if (detection.formats().isEmpty() || detection.formats().get(0) != DumpFormat.JSTACK) return null;
        List<ThreadDump> dumps = JstackTextParser.parseInTwo(source, bytes, DumpReader::decodeStrictUtf8);
        if (dumps == null) return null;
        List<ThreadDump> withThreads = withThreads(dumps, notes);
        return withThreads.isEmpty() ? null : withThreads;
    }

    /** The dumps that have threads, each with the reader's own notes (gzip, encoding) among its warnings. */
    private static List<ThreadDump> withThreads(List<ThreadDump> dumps, List<String> notes) {
        List<ThreadDump> out = new ArrayList<>(dumps.size());
        for (ThreadDump d : dumps) {
            if (!d.threads().isEmpty()) out.add(notes.isEmpty() ? d : withWarnings(d, notes));
        }
        return out;
    }

    private static final int MAX_PREAMBLE_BYTES = 4 << 20;

    private static int firstQuotedLine(byte[] b, int limit) {
        if (limit > 0 && b[0] == '"') return 0;
        for (int i = 0; i + 1 < limit; i++) {
            if (b[i] == '\n' && b[i + 1] == '"') return i + 1;
        }
        return -1;
    }

    private static boolean utf16OrBom(byte[] b) {
        if (b.length >= 2 && ((b[0] & 0xff) >= 0xef || b[0] == 0)) return true; // a BOM, or NUL-padded UTF-16
        for (int i = 0; i < Math.min(b.length, 8192); i++) {
            if (b[i] == 0) return true;
        }
        return false;
    }

    private static List<ThreadDump> parse(DumpFormat format, String source, String text, int jsonStart)
            throws UnreadableInputException {
        return switch (format) {
            case JCMD_JSON -> JcmdJsonParser.parse(source, jsonStart == 0 ? text : text.substring(jsonStart));
            case ACTUATOR_JSON -> ActuatorJsonParser.parse(source, jsonStart == 0 ? text : text.substring(jsonStart));
            case JCMD_TEXT -> JcmdTextParser.parse(source, text);
            case THREADINFO_TEXT -> ThreadInfoTextParser.parse(source, text);
            case JSTACK -> JstackTextParser.parse(source, text);
            case LIVE -> List.of(KnotSnapshots.read(source, jsonStart == 0 ? text : text.substring(jsonStart)));
        };
    }

    private static UnreadableInputException internalError(String source, String what, Throwable cause) {
        UnreadableInputException e = new UnreadableInputException(source, what + " (internal error: "
                + cause.getClass().getSimpleName() + ")");
        e.initCause(cause);
        return e;
    }

    private static ThreadDump withWarnings(ThreadDump d, List<String> extra) {
        List<String> w = new ArrayList<>(extra);
        w.addAll(d.warnings());
        return new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), d.threads(),
                d.jdkDeadlocks(), w, d.facts(), d.cutOff(), d.lockOrder());
    }

    /**
     * Dumps sorted by their time, oldest first. Stable: dumps without a time keep their input position and
     * dumps with equal times keep their input order.
     */
    /**
     * Dumps grouped by the process they come from, each group in input order. Two dumps are of one process unless
     * something differs that cannot change while a JVM runs: the pid (JSON and live snapshots have it), the native
     * id of the JVM's own threads that live as long as it ({@code Reference Handler}, {@code Signal Dispatcher},
     * {@code Finalizer}), or the JVM version line. Where neither dump shows one of these, they stay together.
     */
    public static List<List<ThreadDump>> byProcess(List<ThreadDump> dumps) {
        List<List<ThreadDump>> groups = new ArrayList<>();
        for (ThreadDump d : dumps) {
            List<ThreadDump> home = null;
            for (List<ThreadDump> g : groups) {
                if (sameProcess(g.get(0), d)) {
                    home = g;
                    break;
                }
            }
            if (home == null) groups.add(home = new ArrayList<>());
            home.add(d);
        }
        return groups;
    }

    private static final List<String> LIFELONG_THREADS = List.of("Reference Handler", "Signal Dispatcher", "Finalizer");

    static boolean sameProcess(ThreadDump a, ThreadDump b) {
        if (!a.processId().isEmpty() && !b.processId().isEmpty()) return a.processId().equals(b.processId());
        if (!a.jvmVersion().isEmpty() && !b.jvmVersion().isEmpty() && !a.jvmVersion().equals(b.jvmVersion())) return false;
        for (String name : LIFELONG_THREADS) {
            String x = nativeIdOf(a, name);
            String y = nativeIdOf(b, name);
            if (!x.isEmpty() && !y.isEmpty()) return x.equals(y);
        }
        return true;
    }

    private static String nativeIdOf(ThreadDump d, String threadName) {
        for (var t : d.threads()) {
            if (t.name().equals(threadName) && !t.virtual()) return t.nativeId();
        }
        return "";
    }

    public static List<ThreadDump> orderByTime(List<ThreadDump> dumps) {
        List<ThreadDump> timed = new ArrayList<>();
        for (ThreadDump d : dumps) {
            if (d.time() != null) timed.add(d);
        }
        timed.sort(Comparator.comparing(ThreadDump::time)); // List.sort is stable
        List<ThreadDump> out = new ArrayList<>(dumps.size());
        int next = 0;
        for (ThreadDump d : dumps) {
            out.add(d.time() == null ? d : timed.get(next++));
        }
        return out;
    }

    // ---- bytes ----------------------------------------------------------------------------------------

    private static byte[] readAll(InputStream in, String source) throws IOException, UnreadableInputException {
        // readNBytes collects chunks and copies once, unlike a growing ByteArrayOutputStream
        byte[] bytes = in.readNBytes(MAX_BYTES);
        if (bytes.length == MAX_BYTES && in.read() >= 0) throw tooLarge(source);
        return bytes;
    }

    private static UnreadableInputException tooLarge(String source) {
        return new UnreadableInputException(source, "input larger than " + (MAX_BYTES >> 20) + " MB");
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    /** Unzips; a cut-off archive keeps what was decompressed, with a note. */
    private static byte[] gunzip(String source, byte[] bytes, List<String> notes) throws UnreadableInputException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() > MAX_BYTES - n) throw tooLarge(source);
                out.write(buf, 0, n);
            }
        } catch (EOFException | ZipException e) {
            if (out.size() == 0) {
                throw new UnreadableInputException(source, "corrupt gzip data ("
                        + ParseSupport.oneLine(e.getMessage() == null ? "cut short" : e.getMessage(), 80) + ")");
            }
            notes.add("gzip data is cut short or corrupt; read the first " + out.size() + " bytes");
        } catch (IOException e) {
            throw new UnreadableInputException(source, "corrupt gzip data (" + ParseSupport.oneLine(e.getMessage(), 80) + ")");
        }
        return out.toByteArray();
    }

    /** UTF-8 by default; UTF-16 by BOM or by the NUL bytes of ASCII text; ISO-8859-1 when not valid UTF-8. */
    static String decode(byte[] b, List<String> notes) {
        int len = b.length;
        if (len >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return decodeUtf8OrLatin1(b, 3, notes);
        }
        if (len >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return new String(b, 2, len - 2, StandardCharsets.UTF_16LE);
        }
        if (len >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return new String(b, 2, len - 2, StandardCharsets.UTF_16BE);
        }
        // ASCII text as UTF-16 has a NUL in every other byte: odd positions for LE, even for BE.
        int sample = Math.min(len, 8192) & ~1;
        if (sample >= 4) {
            int evenNul = 0;
            int oddNul = 0;
            for (int i = 0; i < sample; i += 2) {
                if (b[i] == 0) evenNul++;
                if (b[i + 1] == 0) oddNul++;
            }
            int pairs = sample / 2;
            if (oddNul * 10 > pairs * 3 && evenNul * 20 < pairs) return new String(b, StandardCharsets.UTF_16LE);
            if (evenNul * 10 > pairs * 3 && oddNul * 20 < pairs) return new String(b, StandardCharsets.UTF_16BE);
        }
        return decodeUtf8OrLatin1(b, 0, notes);
    }

    private static String decodeUtf8OrLatin1(byte[] b, int off, List<String> notes) {
        String text = decodeStrictUtf8(b, off, b.length);
        if (text != null) return text;
        notes.add("input is not valid UTF-8; read as ISO-8859-1");
        return new String(b, off, b.length - off, StandardCharsets.ISO_8859_1);
    }

    /** {@code b[from, to)} as UTF-8, or null if it is not valid UTF-8. */
    static String decodeStrictUtf8(byte[] b, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static final int BINARY_SNIFF_CHARS = 1 << 20;

    /** Binary: more than 1 in 10 characters are control characters (other than tab, newlines, form feed, ESC). */
    static boolean isBinary(String text) {
        int bad = 0;
        // The first megabyte tells binary from text; scanning all of a 25 MB dump would only cost time.
        int n = Math.min(text.length(), BINARY_SNIFF_CHARS);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                if (c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) bad++;
            } else if ((c >= 0x7f && c < 0xa0) || c == '\uFFFD') {
                bad++;
            }
        }
        return bad > 0 && bad * 10L > n;
    }
}
