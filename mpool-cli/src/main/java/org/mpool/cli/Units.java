package org.mpool.cli;

import java.time.Duration;
import java.util.Locale;
import org.mpool.common.MpoolException;

/** Formats byte counts and rates for people. */
final class Units {
    private static final String[] SUFFIX = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {}

    static String human(long bytes) {
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < SUFFIX.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, SUFFIX[i]);
    }

    /** Formats bytes in a unit chosen by {@code --units}: b, k, m, g, t or h (human). */
    static String format(long bytes, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "b" -> Long.toString(bytes);
            case "k" -> fixed(bytes, 10);
            case "m" -> fixed(bytes, 20);
            case "g" -> fixed(bytes, 30);
            case "t" -> fixed(bytes, 40);
            case "h" -> human(bytes);
            default -> throw MpoolException.invalid("--units takes b, k, m, g, t or h, not '" + unit + "'");
        };
    }

    private static String fixed(long bytes, int shift) {
        double v = bytes / (double) (1L << shift);
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A duration as people write it: 500ms, 1s, 10m, 2h. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static String rate(long bytes, long nanos) {
        return human((long) (bytes / (nanos / 1e9))) + "/s";
    }
}
