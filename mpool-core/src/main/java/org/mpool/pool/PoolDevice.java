package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.Superblock;
import org.mpool.observe.Counters;
import org.mpool.spi.BlockDevice;

/**
 * A device of a pool with its superblock, kept by the two-copy protocol of {@link Superblock}:
 * reads take the valid copy of higher generation; writes go copy by copy in its write order,
 * each flushed, so a crash at any point leaves a valid copy and copy 0 (the one blkid reads)
 * is never the only one written. A crash or damage can leave one copy alone holding the
 * current superblock; the next update first rewrites the other copy with it, so the write
 * that may garble never hits the only current copy.
 */
public final class PoolDevice {
    private final Path path;
    private final BlockDevice device;
    private final boolean file;
    /** The pool's counters: its logs count into them too (Layout passes them on). */
    private final Counters counters;

    private Superblock superblock;
    /** Superblock copies that were not valid when the device was read (open rewrites both). */
    private int badCopiesAtOpen;
    /**
     * Copies that do not hold the current superblock (not valid, or older): a crash in an
     * update, or damage, left them so. The next update repairs them before anything else.
     */
    private final boolean[] stale = new boolean[Superblock.COPY_OFFSETS.length];

    /** {@code file}: the device is a regular file (see {@link #isFile}). */
    PoolDevice(Path path, BlockDevice device, boolean file, Superblock superblock, Counters counters) {
        this.path = path;
        this.device = device;
        this.file = file;
        this.superblock = superblock;
        this.counters = counters;
    }

    /** Reads the superblock of an open device; NOT_FOUND if it holds no mpool. */
    static PoolDevice read(Path path, BlockDevice device, boolean file, Counters counters) {
        Superblock[] valid = new Superblock[Superblock.COPY_OFFSETS.length];
        Superblock sb = readSuperblock(device, path.toString(), valid);
        checkSize(path, device, sb);
        PoolDevice d = new PoolDevice(path, device, file, sb, counters);
        for (int copy = 0; copy < valid.length; copy++) {
            d.badCopiesAtOpen += valid[copy] == null ? 1 : 0;
            d.stale[copy] = !sb.equals(valid[copy]);
        }
        return d;
    }

    /** The device's current superblock: the valid copy of the higher generation. */
    static Superblock readSuperblock(BlockDevice device, String name) {
        return readSuperblock(device, name, new Superblock[Superblock.COPY_OFFSETS.length]);
    }

    /** Like {@link #readSuperblock(BlockDevice, String)}, leaving the valid copies in {@code valid} (null: not valid). */
    private static Superblock readSuperblock(BlockDevice device, String name, Superblock[] valid) {
        boolean corrupt = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, Superblock.SIZE);
            for (int copy = 0; copy < valid.length; copy++) {
                device.read(Superblock.COPY_OFFSETS[copy], buf);
                switch (Superblock.check(buf)) {
                    case VALID -> valid[copy] = Superblock.decode(buf);
                    case NEWER_VERSION ->
                        throw new MpoolException(
                                ErrorCode.UNSUPPORTED,
                                name
                                        + " holds an mpool of a newer format version (" + Superblock.versionOf(buf)
                                        + ") than this mpool supports (up to " + Superblock.VERSION + ")");
                    case CORRUPT -> corrupt = true;
                    case BLANK, NOT_MPOOL -> {}
                }
            }
        }
        Superblock best = Superblock.newer(valid[0], valid[1]);
        if (best == null) {
            throw corrupt
                    ? new MpoolException(ErrorCode.CORRUPT, name + ": both superblock copies fail their checksums")
                    : new MpoolException(ErrorCode.NOT_FOUND, name + " holds no mpool");
        }
        return best;
    }

    /**
     * A device smaller than its superblock says (a file truncated, a volume shrunk under the
     * pool) has lost the zones past its end: refused at open, before a read or write reaches
     * them, rather than failing later writes with a puzzling error.
     */
    static void checkSize(Path path, BlockDevice device, Superblock sb) {
        long needed = sb.zoneCount() * sb.zoneBytes();
        if (device.sizeBytes() < needed) {
            throw MpoolException.corrupt(path + " is smaller than the pool on it: " + device.sizeBytes()
                    + " bytes, the pool's " + sb.zoneCount() + " zones of " + sb.zoneBytes() + " bytes need " + needed
                    + " (was it truncated or shrunk? grow it back to at least that size)");
        }
    }

    /** Writes {@code sb} with the next generation, crash-safely, and makes it current. */
    synchronized void update(Superblock sb) {
        Superblock next = sb.withGeneration(superblock == null ? 1 : superblock.generation() + 1);
        if (superblock != null) {
            repairStaleCopies();
        }
        writeBoth(device, next);
        superblock = next;
        Arrays.fill(stale, false);
    }

    /**
     * Writes the current superblock into each copy that does not hold it, flushing after each.
     * Without this, an update whose first write goes to the one current copy (copy 1, when a
     * crash cut the last update after it) could garble that copy and leave only the older one:
     * the pool would go back to a state a reader had already seen superseded (a rename undone;
     * the pool crash explorer found it, sequence 3225548259861804339:f19,f4).
     */
    private void repairStaleCopies() {
        writeCopies(device, superblock, copy -> stale[copy]);
        Arrays.fill(stale, false);
    }

    /** Writes both copies of {@code sb} as they are, in the protocol's order, each flushed. */
    static void writeBoth(BlockDevice device, Superblock sb) {
        writeCopies(device, sb, copy -> true);
    }

    /** Writes {@code sb} into each copy {@code which} names, in the protocol's order, each flushed. */
    private static void writeCopies(BlockDevice device, Superblock sb, IntPredicate which) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, Superblock.SIZE);
            sb.encode(buf);
            for (int copy : Superblock.WRITE_ORDER) {
                if (which.test(copy)) {
                    device.write(Superblock.COPY_OFFSETS[copy], buf);
                    device.flush();
                }
            }
        }
    }

    /** Zeroes both superblock copies: the device no longer holds a pool. */
    static void wipe(BlockDevice device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zeros = AlignedBuffers.allocate(arena, Superblock.SIZE);
            for (long offset : Superblock.COPY_OFFSETS) {
                device.write(offset, zeros);
            }
            device.flush();
        }
    }

    public Path path() {
        return path;
    }

    public BlockDevice device() {
        return device;
    }

    /** The counters of the pool the device belongs to. */
    public Counters counters() {
        return counters;
    }

    /** Superblock copies that were not valid when the device was read. */
    int badCopiesAtOpen() {
        return badCopiesAtOpen;
    }

    /**
     * Whether the device is a regular file. Synced appends into a file's holes cost a journal
     * commit each (PLATFORM.md), so logs on files are zero-filled when they are made.
     */
    boolean isFile() {
        return file;
    }

    public synchronized Superblock superblock() {
        return superblock;
    }

    public MediaClass mediaClass() {
        return MediaClass.fromCode(superblock().mediaClassCode());
    }

    public long zoneBytes() {
        return superblock().zoneBytes();
    }

    /** Byte offset of a zone on this device. */
    public long zoneOffset(long zone) {
        return zone * zoneBytes();
    }
}
