package org.mpool.device;

import java.lang.foreign.MemorySegment;
import org.mpool.ErrorCode;
import org.mpool.MpoolException;

/** The argument checks every {@link BlockDevice} makes before it touches the media. */
final class IoChecks {
    private IoChecks() {}

    /** Rejects a request that is misaligned, out of range, or uses an unsuitable buffer. */
    static void checkIo(BlockDevice device, String op, long offset, MemorySegment buffer) {
        long length = buffer.byteSize();
        checkRange(device, op, offset, length);
        if (!buffer.isNative()) {
            throw MpoolException.invalid(op + " on " + device.name()
                    + ": the buffer must be native memory (allocate it with AlignedBuffers)");
        }
        if (!AlignedBuffers.isAligned(buffer.address(), device.logicalBlockSize())) {
            throw MpoolException.invalid(op + " on " + device.name() + ": buffer address 0x"
                    + Long.toHexString(buffer.address()) + " is not aligned to "
                    + device.logicalBlockSize() + " bytes");
        }
    }

    /** Rejects a range that is misaligned or reaches past the end of the device. */
    static void checkRange(BlockDevice device, String op, long offset, long length) {
        int block = device.logicalBlockSize();
        if (offset < 0 || length < 0) {
            throw MpoolException.invalid(op + " on " + device.name() + ": negative offset "
                    + offset + " or length " + length);
        }
        if (!AlignedBuffers.isAligned(offset, block) || !AlignedBuffers.isAligned(length, block)) {
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

    static void checkWritable(BlockDevice device, String op) {
        if (device.readOnly()) {
            throw new MpoolException(ErrorCode.PERMISSION,
                    op + " on " + device.name() + ": the device is open read-only");
        }
    }

    static MpoolException closed(BlockDevice device, String op) {
        return new MpoolException(ErrorCode.INVALID_STATE,
                op + " on " + device.name() + ": the device is closed");
    }
}
