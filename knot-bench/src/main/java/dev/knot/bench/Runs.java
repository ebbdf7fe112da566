package dev.knot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Timing one command run from outside, and the median of several: shared by the bench runners. */
final class Runs {
    private Runs() {
    }

    /**
     * Wall time in ns of one run of {@code pb}, its standard output to {@code out}, standard error to {@code err}, no
     * input; it must exit with one of {@code ok}, else the first line of what it said is the exception's message.
     */
    static long time(ProcessBuilder pb, Path out, Path err, int... ok) throws IOException, InterruptedException {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        long t0 = System.nanoTime();
        int code = pb.start().waitFor();
        long t = System.nanoTime() - t0;
        if (Arrays.stream(ok).noneMatch(c -> c == code)) {
            String why = Files.readString(err, StandardCharsets.ISO_8859_1).strip();
            throw new IllegalStateException(String.join(" ", pb.command()) + " exited " + code + ": "
                    + (why.length() > 200 ? why.substring(0, 200) + "..." : why));
        }
        return t;
    }

    static long median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One line: min, median and max in ms, then every run in order; the label padded to {@code width}. */
    static void print(String label, int width, long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        StringBuilder all = new StringBuilder();
        for (long x : t) all.append(all.length() == 0 ? "" : ", ").append(x / 1_000_000);
        System.out.printf(Locale.ROOT, "%-" + width + "s min %5d  median %5d  max %5d ms   [%s]%n", label,
                s[0] / 1_000_000, median(t) / 1_000_000, s[s.length - 1] / 1_000_000, all);
    }
}
