package org.mpool.device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.mpool.MpoolException;

/** Allocation of I/O buffers that satisfy every device's direct-I/O alignment. */
public final class AlignedBuffers {
    /** Buffers are aligned to a page, which covers every logical block size (512 or 4096). */
    public static final int ALIGNMENT = 4096;

    private AlignedBuffers() {}

    /** A zeroed native buffer of {@code sizeBytes}, aligned to {@link #ALIGNMENT}. */
    public static MemorySegment allocate(Arena arena, long sizeBytes) {
        if (sizeBytes <= 0) {
            throw MpoolException.invalid("buffer size must be positive, got " + sizeBytes);
        }
        return arena.allocate(sizeBytes, ALIGNMENT);
    }

    public static boolean isAligned(long value, long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    public static long alignDown(long value, long alignment) {
        return value & -alignment;
    }

    public static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }
}
