package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides by content which parsers to try, most likely first. File names are never consulted: dumps are
 * saved as .txt, .log, .out, .json or nothing at all.
 */
final class FormatDetector {

    private static final int JSON_SNIFF_CHARS = 64 * 1024;
    private static final int TEXT_SNIFF_CHARS = 2 << 20;

    private FormatDetector() {
    }

    /**
     * @param formats   parsers to try, in order (may be empty)
     * @param jsonStart where the JSON document starts, for the JSON formats
     * @param seen      what the input looked like, for the "no thread dump found" message
     */
    record Detection(List<DumpFormat> formats, int jsonStart, String seen) {
    }

    static Detection detect(String text) {
        int first = firstNonBlank(text);
        String head = text.substring(first, Math.min(text.length(), first + JSON_SNIFF_CHARS));
        boolean startsJson = !head.isEmpty() && (head.charAt(0) == '{' || head.charAt(0) == '[');
        int jcmdMarker = head.indexOf("\"threadDump\"");
        int actuatorMarker = Math.max(head.indexOf("\"threadName\""), head.indexOf("\"threads\""));
        if (startsJson && head.contains("\"knotSnapshot\"")) return new Detection(List.of(DumpFormat.LIVE), first, "");
        if (startsJson && jcmdMarker >= 0) return new Detection(List.of(DumpFormat.JCMD_JSON), first, "");
        if (startsJson && actuatorMarker >= 0) return new Detection(List.of(DumpFormat.ACTUATOR_JSON), first, "");
        if (!startsJson && jcmdMarker >= 0) {
            // JSON after some preamble (a log line, HTTP headers): start at the '{' opening its line
            int open = jsonLineStart(text, first + jcmdMarker);
            if (open >= 0) return new Detection(List.of(DumpFormat.JCMD_JSON), open, "");
        }

        int jstack = 0;
        int jcmdText = 0;
        int threadInfo = 0;
        int lineCount = 0;
        String firstLine = null;
        // The first few MB decide the format; scanning a 25 MB dump to the end would only cost time.
        String sniffed = text;
        if (text.length() > TEXT_SNIFF_CHARS) {
            int cut = text.lastIndexOf('\n', TEXT_SNIFF_CHARS);
            sniffed = text.substring(0, cut < 0 ? TEXT_SNIFF_CHARS : cut + 1);
        }
        ParseSupport.Lines lines = new ParseSupport.Lines(sniffed);
        String line;
        while ((line = lines.next()) != null) {
            lineCount++;
            if (line.isEmpty()) continue;
            if (firstLine == null && !line.isBlank()) firstLine = line;
            char c = line.charAt(0);
            if (c == '#') {
                if (JcmdTextParser.isHeader(line)) jcmdText++;
            } else if (c == '"') {
                if (ThreadInfoTextParser.headerKind(line) != null) threadInfo++;
                else if (looksLikeHotSpotHeader(line)) jstack++;
            }
        }
        record Count(DumpFormat format, int n, int rank) {
        }
        List<Count> counts = new ArrayList<>();
        if (jstack > 0) counts.add(new Count(DumpFormat.JSTACK, jstack, 0));
        if (jcmdText > 0) counts.add(new Count(DumpFormat.JCMD_TEXT, jcmdText, 1));
        if (threadInfo > 0) counts.add(new Count(DumpFormat.THREADINFO_TEXT, threadInfo, 2));
        counts.sort(Comparator.comparingInt((Count k) -> -k.n).thenComparingInt(k -> k.rank));
        List<DumpFormat> formats = new ArrayList<>();
        for (Count k : counts) formats.add(k.format);
        // The jstack parser knows its own headers best (old and non-HotSpot VMs): let it have a look too; it also
        // reads the JVM's deadlock report alone, as people paste it.
        if (!formats.contains(DumpFormat.JSTACK) && (JstackTextParser.looksLike(text) || text.contains(DeadlockSection.MARKER))) {
            formats.add(DumpFormat.JSTACK);
        }

        String seen;
        if (startsJson) {
            seen = "JSON without a \"threadDump\" or \"threads\" field";
        } else {
            seen = "no thread header in " + (sniffed.length() < text.length() ? "more than " : "") + lineCount
                    + (lineCount == 1 ? " line" : " lines") + " of text, starting \""
                    + ParseSupport.oneLine(firstLine == null ? "" : firstLine, 60) + "\"";
        }
        return new Detection(formats, 0, seen);
    }

    /** {@code "name" #12 … prio=5 … tid=0x… nid=0x…}, also VM threads and old/other VMs without {@code #id}. */
    static boolean looksLikeHotSpotHeader(String line) {
        return JstackTextParser.isThreadHeader(line);
    }

    private static int firstNonBlank(String text) {
        int i = 0;
        while (i < text.length() && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == '\uFEFF')) i++;
        return i;
    }

    /** Index of the '{' that starts the line holding the outermost object before {@code marker}, or -1. */
    private static int jsonLineStart(String text, int marker) {
        int i = text.lastIndexOf('{', marker);
        while (i >= 0) {
            int lineStart = text.lastIndexOf('\n', i) + 1;
            if (text.substring(lineStart, i).isBlank()) return i;
            i = i == 0 ? -1 : text.lastIndexOf('{', i - 1);
        }
        return -1;
    }
}
