package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.mpool.ErrorCode;
import org.mpool.MpoolException;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.BlockDevice;
import org.mpool.format.Superblock;

/**
 * A device of a pool with its superblock. Reads take the valid copy of higher generation;
 * writes go copy 1, flush, copy 0, flush, so a crash at any point leaves a valid copy and
 * copy 0 (the one blkid reads) is never the only one written.
 */
public final class PoolDevice {
    private final Path path;
    private final BlockDevice device;
    private Superblock superblock;

    public PoolDevice(Path path, BlockDevice device, Superblock superblock) {
        this.path = path;
        this.device = device;
        this.superblock = superblock;
    }

    /** Reads the superblock of an open device; NOT_FOUND if it holds no mpool. */
    public static PoolDevice read(Path path, BlockDevice device) {
        return new PoolDevice(path, device, readSuperblock(device, path.toString()));
    }

    /** The device's current superblock: the valid copy of the higher generation. */
    public static Superblock readSuperblock(BlockDevice device, String name) {
        Superblock best = null;
        boolean corrupt = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, Superblock.SIZE);
            for (long offset : Superblock.COPY_OFFSETS) {
                device.read(offset, buf);
                switch (Superblock.check(buf)) {
                    case VALID -> {
                        Superblock sb = Superblock.decode(buf);
                        if (best == null || sb.generation() > best.generation()) {
                            best = sb;
                        }
                    }
                    case NEWER_VERSION -> throw new MpoolException(ErrorCode.UNSUPPORTED, name
                            + " holds an mpool of a newer format version than this mpool supports ("
                            + Superblock.VERSION + ")");
                    case CORRUPT -> corrupt = true;
                    default -> { }
                }
            }
        }
        if (best == null) {
            throw corrupt ? new MpoolException(ErrorCode.CORRUPT, name + ": both superblock copies fail their checksums")
                    : new MpoolException(ErrorCode.NOT_FOUND, name + " holds no mpool");
        }
        return best;
    }

    /** Writes {@code sb} with the next generation, crash-safely, and makes it current. */
    public synchronized void update(Superblock sb) {
        Superblock next = sb.withGeneration(superblock == null ? 1 : superblock.generation() + 1);
        writeBoth(device, next);
        superblock = next;
    }

    /** Writes both copies of {@code sb} as they are: copy 1, flush, copy 0, flush. */
    public static void writeBoth(BlockDevice device, Superblock sb) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, Superblock.SIZE);
            sb.encode(buf);
            device.write(Superblock.COPY_OFFSETS[1], buf);
            device.flush();
            device.write(Superblock.COPY_OFFSETS[0], buf);
            device.flush();
        }
    }

    /** Zeroes both superblock copies: the device no longer holds a pool. */
    public static void wipe(BlockDevice device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zeros = AlignedBuffers.allocate(arena, Superblock.SIZE);
            device.write(Superblock.COPY_OFFSETS[0], zeros);
            device.write(Superblock.COPY_OFFSETS[1], zeros);
            device.flush();
        }
    }

    public Path path() {
        return path;
    }

    public BlockDevice device() {
        return device;
    }

    public synchronized Superblock superblock() {
        return superblock;
    }

    /** Byte offset of a zone on this device. */
    public long zoneOffset(long zone) {
        return zone * superblock().zoneBytes();
    }
}
