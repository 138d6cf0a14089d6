package org.mpool.cli;

import java.util.Locale;

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

    static String rate(long bytes, long nanos) {
        return human((long) (bytes / (nanos / 1e9))) + "/s";
    }
}
