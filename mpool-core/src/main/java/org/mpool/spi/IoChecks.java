package org.mpool.spi;

import java.lang.foreign.MemorySegment;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/** The argument checks every {@link BlockDevice} makes before it touches the media. */
final class IoChecks {
    private IoChecks() {}

    static void checkIo(BlockDevice device, String op, long offset, MemorySegment buffer) {
        long length = buffer.byteSize();
        checkRange(device, op, offset, length);
        if (!buffer.isNative()) {
            throw MpoolException.invalid(op + " on " + device.name()
                    + ": the buffer must be native memory (allocate it with Mpool.allocateBuffer)");
        }
        if (!aligned(buffer.address(), device.logicalBlockSize())) {
            throw MpoolException.invalid(op + " on " + device.name() + ": buffer address 0x"
                    + Long.toHexString(buffer.address()) + " is not aligned to "
                    + device.logicalBlockSize() + " bytes");
        }
    }

    static void checkRange(BlockDevice device, String op, long offset, long length) {
        int block = device.logicalBlockSize();
        if (offset < 0 || length < 0) {
            throw MpoolException.invalid(
                    op + " on " + device.name() + ": negative offset " + offset + " or length " + length);
        }
        if (!aligned(offset, block) || !aligned(length, block)) {
            throw MpoolException.invalid(op + " on " + device.name() + ": offset " + offset
                    + " and length " + length + " must be multiples of the " + block
                    + "-byte logical block size");
        }
        if (length > device.sizeBytes() - offset) {
            throw MpoolException.invalid(op + " on " + device.name() + ": range [" + offset
                    + ", " + (offset + length) + ") reaches past the end of the device ("
                    + device.sizeBytes() + " bytes)");
        }
    }

    static MpoolException closed(BlockDevice device, String op) {
        return new MpoolException(ErrorCode.INVALID_STATE, op + " on " + device.name() + ": the device is closed");
    }

    /** Whether {@code value} is a multiple of {@code alignment}, a power of two. */
    private static boolean aligned(long value, long alignment) {
        return (value & (alignment - 1)) == 0;
    }
}
