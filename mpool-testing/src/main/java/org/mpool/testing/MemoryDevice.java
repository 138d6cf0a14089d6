package org.mpool.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.mpool.common.MpoolException;
import org.mpool.spi.BlockDevice;

/**
 * A device in memory, for tests and for crash images. It checks alignment exactly as a native
 * device does, so code tested here behaves the same on real media.
 */
public final class MemoryDevice implements BlockDevice {
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment media;
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
        this.media = arena.allocate(sizeBytes, physicalBlockSize);
    }

    /** A new memory device holding a copy of everything {@code source} holds now. */
    public static MemoryDevice copyOf(BlockDevice source) {
        MemoryDevice copy = new MemoryDevice(
                source.name() + " (copy)", source.sizeBytes(), source.logicalBlockSize(), source.physicalBlockSize());
        if (source instanceof MemoryDevice m) {
            MemorySegment.copy(m.media, 0, copy.media, 0, m.media.byteSize());
        } else {
            long chunk = 1 << 20;
            for (long off = 0; off < source.sizeBytes(); off += chunk) {
                long len = Math.min(chunk, source.sizeBytes() - off);
                source.read(off, copy.media.asSlice(off, len));
            }
        }
        return copy;
    }

    /** The device's bytes, for tests that inspect or damage the media directly. */
    public MemorySegment media() {
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
        media.asSlice(offset, length).fill((byte) 0);
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
