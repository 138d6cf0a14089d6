package org.mpool.testing;

import java.lang.foreign.MemorySegment;
import org.mpool.spi.BlockDevice;

/** A device that passes every call to another; the test devices override what they change. */
abstract class DeviceWrapper implements BlockDevice {
    private final BlockDevice inner;

    DeviceWrapper(BlockDevice inner) {
        this.inner = inner;
    }

    /** The device this one passes calls to. */
    BlockDevice inner() {
        return inner;
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
        inner.flush();
    }

    @Override
    public void discard(long offset, long length) {
        inner.discard(offset, length);
    }

    @Override
    public long refreshSize() {
        return inner.refreshSize();
    }

    @Override
    public void extend(long newSizeBytes) {
        inner.extend(newSizeBytes);
    }

    @Override
    public void close() {
        inner.close();
    }
}
