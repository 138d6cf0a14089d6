package org.mpool.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mpool.common.MpoolException;
import org.mpool.spi.BlockDevice;

/**
 * A device in memory, for tests and for crash images. It checks alignment exactly as a native
 * device does, so code tested here behaves the same on real media.
 *
 * <p>Copies are cheap where little was written: a device starts as zero pages the kernel maps
 * on first touch ({@link AnonymousMemory}) and remembers which 4 KiB blocks may hold other
 * bytes than zeros, so {@link #copyOf} copies those alone. Writes through {@link #write},
 * {@link #discard} and {@link #region} are tracked; whoever takes the whole {@link #media()}
 * may write anywhere, so from then on a copy looks at every block (and copies the non-zero ones).
 */
public final class MemoryDevice implements BlockDevice {
    private static final int TRACKED_BLOCK = 4096;

    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment media;
    /** One bit per 4 KiB block that may hold other bytes than zeros. */
    private final AtomicLongArray written;
    /** {@link #media()} was handed out: any block may have been written. */
    private volatile boolean untracked;

    private final int logicalBlockSize;
    private final int physicalBlockSize;
    private volatile boolean closed;

    /** A zeroed device with 512-byte logical and 4096-byte physical blocks, like a loop device. */
    public MemoryDevice(String name, long sizeBytes) {
        this(name, sizeBytes, 512, 4096);
    }

    public MemoryDevice(String name, long sizeBytes, int logicalBlockSize, int physicalBlockSize) {
        if (Integer.bitCount(logicalBlockSize) != 1
                || logicalBlockSize < 512
                || physicalBlockSize < logicalBlockSize
                || Integer.bitCount(physicalBlockSize) != 1) {
            throw MpoolException.invalid("block sizes must be powers of two with 512 <= logical (" + logicalBlockSize
                    + ") <= physical (" + physicalBlockSize + ")");
        }
        if (sizeBytes <= 0 || sizeBytes % physicalBlockSize != 0) {
            throw MpoolException.invalid(
                    "device size " + sizeBytes + " must be a positive multiple of " + physicalBlockSize);
        }
        this.name = name;
        this.logicalBlockSize = logicalBlockSize;
        this.physicalBlockSize = physicalBlockSize;
        this.media = AnonymousMemory.allocate(arena, sizeBytes, physicalBlockSize);
        this.written = new AtomicLongArray((int) ((trackedBlocks(sizeBytes) + 63) / 64));
    }

    /** A new memory device holding a copy of everything {@code source} holds now. */
    public static MemoryDevice copyOf(BlockDevice source) {
        MemoryDevice copy = new MemoryDevice(
                source.name() + " (copy)", source.sizeBytes(), source.logicalBlockSize(), source.physicalBlockSize());
        if (source instanceof MemoryDevice m) {
            m.copyWrittenBlocksTo(copy);
        } else {
            long chunk = 1 << 20;
            for (long off = 0; off < source.sizeBytes(); off += chunk) {
                long len = Math.min(chunk, source.sizeBytes() - off);
                source.read(off, copy.region(off, len));
            }
        }
        return copy;
    }

    /** Copies every block that may hold other bytes than zeros, in runs; marks them in {@code copy}. */
    private void copyWrittenBlocksTo(MemoryDevice copy) {
        boolean scan = untracked;
        long blocks = trackedBlocks(media.byteSize());
        long runStart = -1;
        for (long b = 0; b <= blocks; b++) {
            boolean take = b < blocks && (scan ? !isZero(b) : isMarked(b));
            if (take && runStart < 0) {
                runStart = b;
            } else if (!take && runStart >= 0) {
                long offset = runStart * TRACKED_BLOCK;
                long length = Math.min((b - runStart) * TRACKED_BLOCK, media.byteSize() - offset);
                MemorySegment.copy(media, offset, copy.region(offset, length), 0, length);
                runStart = -1;
            }
        }
    }

    private boolean isMarked(long block) {
        return (written.get((int) (block >>> 6)) & (1L << block)) != 0;
    }

    private boolean isZero(long block) {
        long offset = block * TRACKED_BLOCK;
        long length = Math.min(TRACKED_BLOCK, media.byteSize() - offset);
        return media.asSlice(offset, length).mismatch(ZEROS.asSlice(0, length)) < 0;
    }

    /** Tracked blocks of a device of {@code sizeBytes}: the last one may be partial (512-byte sectors). */
    private static long trackedBlocks(long sizeBytes) {
        return (sizeBytes + TRACKED_BLOCK - 1) / TRACKED_BLOCK;
    }

    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[TRACKED_BLOCK]);

    private void mark(long offset, long length) {
        for (long b = offset / TRACKED_BLOCK; b * TRACKED_BLOCK < offset + length; b++) {
            int word = (int) (b >>> 6);
            long bit = 1L << b;
            if ((written.get(word) & bit) == 0) {
                written.getAndAccumulate(word, bit, (a, x) -> a | x);
            }
        }
    }

    /**
     * The bytes {@code [offset, offset + length)}, to write directly: a crash image's surviving
     * sectors, a durable copy's flushed writes. Tracked, unlike {@link #media()}.
     */
    public MemorySegment region(long offset, long length) {
        mark(offset, length);
        return media.asSlice(offset, length);
    }

    /**
     * The device's bytes, for tests that inspect or damage the media directly. Copies of this
     * device look at every block from now on (see the class comment).
     */
    public MemorySegment media() {
        untracked = true;
        return media;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long sizeBytes() {
        return media.byteSize();
    }

    @Override
    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    @Override
    public int physicalBlockSize() {
        return physicalBlockSize;
    }

    @Override
    public int optimalIoSize() {
        return physicalBlockSize;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void read(long offset, MemorySegment buffer) {
        ensureOpen("read");
        BlockDevice.checkIo(this, "read", offset, buffer);
        MemorySegment.copy(media, offset, buffer, 0, buffer.byteSize());
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        ensureOpen("write");
        BlockDevice.checkIo(this, "write", offset, buffer);
        mark(offset, buffer.byteSize());
        MemorySegment.copy(buffer, 0, media, offset, buffer.byteSize());
    }

    @Override
    public void flush() {
        ensureOpen("flush");
    }

    @Override
    public void discard(long offset, long length) {
        ensureOpen("discard");
        BlockDevice.checkRange(this, "discard", offset, length);
        media.asSlice(offset, length).fill((byte) 0); // zeros: the blocks need no mark
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private void ensureOpen(String op) {
        if (closed) {
            throw BlockDevice.closedError(this, op);
        }
    }

    @Override
    public String toString() {
        return "MemoryDevice[" + name + ", " + sizeBytes() + " bytes]";
    }
}
