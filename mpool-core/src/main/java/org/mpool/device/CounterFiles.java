package org.mpool.device;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.CounterPage;

/**
 * The counter page of a pool ({@link CounterPage}) as a file beside its lock:
 * {@code <lock dir>/<pool uuid>.stats}. The process that opens the pool for writing (it holds
 * the pool's lock, so there is one) makes a new page under a temporary name, writes its header,
 * maps it shared and renames it into place: a reader sees the old page or the new one, whole.
 * The page outlives the process: after a close it holds the final counts and the time of the
 * close; after a crash its closed time stays 0 and no process holds the lock.
 */
public final class CounterFiles {
    private CounterFiles() {}

    /** Where pool {@code uuid}'s counter page is. */
    public static Path pathOf(UUID uuid) {
        return PoolLockFiles.configuredDirectory().resolve(uuid + ".stats");
    }

    /**
     * Makes pool {@code uuid}'s counter page for this process and maps it (unmapped when
     * {@code arena} closes); the counters are left to the caller. IO if it cannot be made.
     */
    public static MemorySegment publish(UUID uuid, int counters, Arena arena) {
        Path target = PoolLockFiles.directory().resolve(uuid + ".stats");
        Path temporary =
                target.resolveSibling(uuid + ".stats." + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(
                temporary,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment page = ch.map(FileChannel.MapMode.READ_WRITE, 0, CounterPage.SIZE, arena);
            CounterPage.writeHeader(page, counters, ProcessHandle.current().pid(), System.currentTimeMillis(), uuid);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return page;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new MpoolException(
                    ErrorCode.IO, "cannot publish the counters of pool " + uuid + " (" + target + "): " + e, e);
        }
    }

    /** Deletes pool {@code uuid}'s counter page (the pool is gone); a failure leaves a stale page, harmless. */
    public static void remove(UUID uuid) {
        try {
            Files.deleteIfExists(pathOf(uuid));
        } catch (IOException e) {
            // a page of a pool that no longer exists is never read: nothing to report
        }
    }

    /**
     * A copy of pool {@code uuid}'s counter page (its first {@link CounterPage#SIZE} bytes: less
     * if the file is shorter), if there is one.
     */
    public static Optional<MemorySegment> read(UUID uuid) {
        Path file = pathOf(uuid);
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(MemorySegment.ofArray(in.readNBytes(CounterPage.SIZE)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new MpoolException(ErrorCode.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
