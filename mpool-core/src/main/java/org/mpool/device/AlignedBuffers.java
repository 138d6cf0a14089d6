package org.mpool.device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Errno;
import org.mpool.linux.LibC;

/** Allocation of I/O buffers that satisfy every device's direct-I/O alignment. */
public final class AlignedBuffers {
    /** Buffers are aligned to a page, which covers every logical block size (512 or 4096). */
    public static final int ALIGNMENT = 4096;
    /** A transparent huge page: the unit of physically contiguous memory the kernel hands out. */
    public static final long HUGE_PAGE = 2L << 20;
    /**
     * Buffers from this size on are backed by huge pages. A direct I/O from 4 KiB pages reaches
     * the device as one segment per page, and devices cap segments per request (254 on
     * virtio-blk here), so a 1 MiB I/O from such a buffer is split in two requests. From a huge
     * page it is one segment: measured here, 1 MiB direct reads 1,940-2,060 MiB/s from 4 KiB
     * pages against 2,470-2,620 from a huge page, writes 1,780-2,270 against 2,740-2,850.
     */
    public static final long HUGE_FROM_BYTES = 1L << 20;

    private AlignedBuffers() {}

    /**
     * A zeroed native buffer of {@code sizeBytes}, aligned to {@link #ALIGNMENT}; from
     * {@link #HUGE_FROM_BYTES} on, backed by transparent huge pages where the kernel allows
     * (memory is then taken in whole 2 MiB pages). Freed when {@code arena} closes.
     */
    public static MemorySegment allocate(Arena arena, long sizeBytes) {
        if (sizeBytes <= 0) {
            throw MpoolException.invalid("buffer size must be positive, got " + sizeBytes);
        }
        if (sizeBytes < HUGE_FROM_BYTES) {
            return arena.allocate(sizeBytes, ALIGNMENT);
        }
        return allocateHuge(arena, sizeBytes);
    }

    /**
     * Maps anonymous memory (zeroed by the kernel), aligned to a huge page and advised
     * MADV_HUGEPAGE before anything touches it, so the first touch faults in huge pages.
     * Without THP (disabled, or no huge page free) the advice is refused or unmet, and the
     * buffer is made of small pages: still correct, only split into more segments.
     */
    @SuppressWarnings("restricted") // gives the mapped range its size and its munmap
    private static MemorySegment allocateHuge(Arena arena, long sizeBytes) {
        long usable = alignUp(sizeBytes, HUGE_PAGE);
        long mapped = usable + HUGE_PAGE; // room to align the start
        long raw = LibC.mmap(0, mapped, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (raw < 0) {
            int errno = (int) -raw;
            throw new MpoolException(
                    errno == Errno.ENOMEM ? ErrorCode.NO_SPACE : Errno.toErrorCode(errno),
                    "cannot allocate a " + sizeBytes + "-byte I/O buffer: mmap failed: " + Errno.name(errno) + " ("
                            + Errno.describe(errno) + ")");
        }
        long start = alignUp(raw, HUGE_PAGE);
        LibC.madvise(start, usable, LibC.MADV_HUGEPAGE); // advice only: small pages serve as well
        return MemorySegment.ofAddress(start).reinterpret(sizeBytes, arena, s -> LibC.munmap(raw, mapped));
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
