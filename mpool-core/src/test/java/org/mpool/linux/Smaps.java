package org.mpool.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fields (in kB) of this process's mappings, read from /proc/self/smaps. */
public final class Smaps {
    private Smaps() {}

    /** {@code field} (say "AnonHugePages") of the mapping that holds {@code address}; -1 if none does. */
    public static long ofMappingAt(long address, String field) throws IOException {
        long[] found = {-1};
        forEach(field, (from, to, kib) -> {
            if (address >= from && address < to) {
                found[0] = kib;
            }
        });
        return found[0];
    }

    /** The sum of {@code field} (say "Rss") over the mappings that lie wholly in {@code [address, address + length)}. */
    public static long sumWithin(long address, long length, String field) throws IOException {
        long[] sum = {0};
        forEach(field, (from, to, kib) -> {
            if (from >= address && to <= address + length) {
                sum[0] += kib;
            }
        });
        return sum[0];
    }

    private interface Entry {
        void accept(long from, long to, long kib);
    }

    private static void forEach(String field, Entry entry) throws IOException {
        long from = -1;
        long to = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                from = Long.parseUnsignedLong(line.substring(0, dash), 16);
                to = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
            } else if (from >= 0 && line.startsWith(field + ":")) {
                entry.accept(from, to, Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
    }
}
