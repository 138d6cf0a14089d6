package org.mpool.log;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;
import org.mpool.device.BlockDevice;

/** A device whose flushes take as long as a real cache flush (fdatasync) does. */
final class LatencyDevice implements BlockDevice {
    private final BlockDevice inner;
    private final long flushNanos;

    LatencyDevice(BlockDevice inner, long flushNanos) {
        this.inner = inner;
        this.flushNanos = flushNanos;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long sizeBytes() {
        return inner.sizeBytes();
    }

    @Override
    public int logicalBlockSize() {
        return inner.logicalBlockSize();
    }

    @Override
    public int physicalBlockSize() {
        return inner.physicalBlockSize();
    }

    @Override
    public int optimalIoSize() {
        return inner.optimalIoSize();
    }

    @Override
    public boolean readOnly() {
        return inner.readOnly();
    }

    @Override
    public void read(long offset, MemorySegment buffer) {
        inner.read(offset, buffer);
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        inner.write(offset, buffer);
    }

    @Override
    public void flush() {
        LockSupport.parkNanos(flushNanos);
        inner.flush();
    }

    @Override
    public void discard(long offset, long length) {
        inner.discard(offset, length);
    }

    @Override
    public void close() {
        inner.close();
    }
}
