package org.mpool.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.UUID;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Errno;
import org.mpool.linux.LibC;
import org.mpool.linux.ProcLocks;

/**
 * The lock that makes one process the writer of a pool, keyed by the pool's UUID rather than a
 * device node: the flock on a device covers one inode, so a pool file opened as a file by one
 * process and through a loop device over it by another (or any two nodes of one device: dm, LV,
 * partition, bind mount, symlinks resolve to one inode anyway) would have two writers. Every
 * read-write open takes an exclusive flock on {@code <dir>/<pool uuid>.lock} after reading the
 * superblock; the directory is {@code /run/lock/mpool} (world-writable, sticky, like
 * /run/lock), or {@code $MPOOL_LOCK_DIR}. Released when the pool closes or the process dies;
 * lock files are left behind (a few bytes of name each), since deleting one races with the
 * next open.
 */
public final class PoolLockFiles {
    static final Path DEFAULT_DIR = Path.of("/run/lock/mpool");

    private PoolLockFiles() {}

    /** Takes the lock of pool {@code uuid}; the action returned releases it. LOCKED if another open holds it. */
    public static Runnable lock(UUID uuid) {
        Path file = directory().resolve(uuid + ".lock");
        int fd = LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CREAT | LibC.O_CLOEXEC, 0644);
        if (fd < 0) {
            throw new MpoolException(
                    Errno.toErrorCode(-fd),
                    "cannot open the lock of pool " + uuid + " (" + file + "): " + Errno.name(-fd) + " ("
                            + Errno.describe(-fd) + ")");
        }
        int r = LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB);
        if (r != 0) {
            LibC.close(fd);
            if (-r != Errno.EAGAIN) {
                throw new MpoolException(
                        Errno.toErrorCode(-r),
                        "cannot lock pool " + uuid + " (" + file + "): " + Errno.name(-r) + " (" + Errno.describe(-r)
                                + ")");
            }
            OptionalLong holder = ProcLocks.flockHolder(file);
            String who = holder.isPresent()
                    ? "process " + holder.getAsLong()
                            + (holder.getAsLong() == ProcessHandle.current().pid() ? " (this process)" : "")
                    : "another process";
            throw new MpoolException(
                    ErrorCode.LOCKED,
                    "pool " + uuid + " is open for writing by " + who
                            + ", maybe through another path to the same device (lock " + file + ")");
        }
        boolean[] released = {false};
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    LibC.close(fd); // releases the flock
                }
            }
        };
    }

    /**
     * The process that holds pool {@code uuid}'s lock (has it open for writing), if any: read from
     * /proc/locks, never by trying the lock (a try would make a concurrent open fail).
     */
    public static OptionalLong holder(UUID uuid) {
        Path file = configuredDirectory().resolve(uuid + ".lock");
        return Files.exists(file) ? ProcLocks.flockHolder(file) : OptionalLong.empty();
    }

    /** The lock directory as configured ({@code $MPOOL_LOCK_DIR} or the default), made or not. */
    static Path configuredDirectory() {
        String env = System.getenv("MPOOL_LOCK_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_DIR;
    }

    /** The lock directory, made world-writable and sticky (as /run/lock) when this creates it. */
    static Path directory() {
        String env = System.getenv("MPOOL_LOCK_DIR");
        Path dir = configuredDirectory();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
                if (env == null || env.isBlank()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                    // The sticky bit (only owners delete their files) has no PosixFilePermission.
                    LibC.chmod(dir.toString(), 01777);
                }
            } catch (IOException | RuntimeException e) {
                if (!Files.isDirectory(dir)) {
                    throw new MpoolException(
                            ErrorCode.PERMISSION,
                            "cannot create the pool lock directory " + dir + ": " + e.getMessage()
                                    + " (set MPOOL_LOCK_DIR to a directory every user of the pools can write)",
                            e);
                }
            }
        }
        return dir;
    }
}
