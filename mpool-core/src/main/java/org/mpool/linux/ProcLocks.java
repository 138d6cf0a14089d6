package org.mpool.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** Finds which process holds a flock on a file, by reading {@code /proc/locks}. */
public final class ProcLocks {
    private ProcLocks() {}

    /**
     * The pid holding a FLOCK on the file at {@code path}, if the kernel tells. Lines look like
     * {@code 3: FLOCK  ADVISORY  WRITE 4242 fd:01:1311893 0 EOF}, where the device is
     * {@code major:minor} in hex and the inode is decimal.
     */
    public static OptionalLong flockHolder(Path path) {
        try {
            long inode = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
            long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
            return holder(Files.readAllLines(Path.of("/proc/locks")), major(dev), minor(dev), inode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong holder(List<String> lines, long major, long minor, long inode) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // "->" marks a waiter rather than a holder: its fields are shifted by one.
            if (f.length < 6 || !f[1].equals("FLOCK")) {
                continue;
            }
            String[] id = f[5].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                if (Long.parseLong(id[0], 16) == major
                        && Long.parseLong(id[1], 16) == minor
                        && Long.parseLong(id[2]) == inode) {
                    return OptionalLong.of(Long.parseLong(f[4]));
                }
            } catch (NumberFormatException e) {
                // A line we do not understand names no holder.
            }
        }
        return OptionalLong.empty();
    }

    /** glibc's gnu_dev_major of a user-space st_dev. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's gnu_dev_minor of a user-space st_dev (its {@code (unsigned int)} cast keeps 32 bits). */
    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
    }
}
