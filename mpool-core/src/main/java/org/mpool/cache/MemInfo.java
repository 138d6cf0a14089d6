package org.mpool.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** RAM size, for budgets given as a percentage. */
public final class MemInfo {
    private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");
    /** What to assume when /proc/meminfo cannot be read: a budget then still means something. */
    private static final long FALLBACK_BYTES = 4L << 30;

    private static volatile long memTotalBytes;

    private MemInfo() {}

    /** MemTotal of /proc/meminfo in bytes, read once. */
    public static long memTotalBytes() {
        long total = memTotalBytes;
        if (total == 0) {
            try {
                total = parseMemTotal(Files.readString(PROC_MEMINFO));
            } catch (IOException | RuntimeException e) {
                total = FALLBACK_BYTES;
            }
            memTotalBytes = total;
        }
        return total;
    }

    /** Parses the {@code MemTotal:  24683620 kB} line. */
    static long parseMemTotal(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        throw new IllegalArgumentException("no MemTotal line in /proc/meminfo");
    }
}
