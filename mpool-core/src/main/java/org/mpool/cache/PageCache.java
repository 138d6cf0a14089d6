package org.mpool.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Errno;
import org.mpool.linux.LibC;

/**
 * Page-cache calls on mapped file ranges: residency, readahead, eviction. Callers pass raw
 * addresses of ranges they keep mapped for the duration of the call.
 *
 * <p>Eviction is {@code MADV_DONTNEED} on the mapping (drops this process's page-table
 * references) followed by {@code posix_fadvise(POSIX_FADV_DONTNEED)} on the file range (drops
 * the now unmapped pages from the page cache). Measured on this machine kind with mincore
 * (docs/MCACHE.md): either call alone, {@code MADV_COLD}, and {@code MADV_COLD} plus fadvise
 * leave every page resident; this pair drops all of them, 5-15x faster than
 * {@code MADV_PAGEOUT} (which also works). Pages another mapping still references stay.
 */
public final class PageCache {
    /**
     * MADV_WILLNEED starts at most about 8 MiB of readahead per call here (measured; the
     * device's read_ahead_kb is 8192): larger ranges go in chunks.
     */
    static final long WILLNEED_CHUNK_BYTES = 8L << 20;
    /** Pages per mincore call, so the vector stays small (64 KiB covers 256 MiB). */
    static final int MINCORE_PAGES = 64 * 1024;

    private static volatile boolean populateSupported = true;

    private PageCache() {}

    public static long pageSize() {
        return LibC.PAGE_SIZE;
    }

    /**
     * Resident pages of {@code [address, address + length)}, using {@code vector} (a byte per
     * page of the range, or {@link #MINCORE_PAGES} bytes if that is fewer) as mincore's output.
     */
    static long residentPages(long address, long length, MemorySegment vector) {
        long page = LibC.PAGE_SIZE;
        assert vector.byteSize() >= Math.min(MINCORE_PAGES, (length + page - 1) / page)
                : "mincore would write past its vector of " + vector.byteSize() + " bytes";
        long resident = 0;
        for (long off = 0; off < length; off += MINCORE_PAGES * page) {
            long len = Math.min(MINCORE_PAGES * page, length - off);
            check(LibC.mincore(address + off, len, vector), "mincore", len);
            long pages = (len + page - 1) / page;
            for (long i = 0; i < pages; i++) {
                resident += vector.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
        }
        return resident;
    }

    /** Starts asynchronous readahead of the range, in chunks the kernel honours in full. */
    static void willNeed(long address, long length) {
        for (long off = 0; off < length; off += WILLNEED_CHUNK_BYTES) {
            long len = Math.min(WILLNEED_CHUNK_BYTES, length - off);
            check(LibC.madvise(address + off, len, LibC.MADV_WILLNEED), "madvise(WILLNEED)", len);
        }
    }

    /**
     * Maps the range's pages into the page tables, reading any that are not cached
     * (MADV_POPULATE_READ, Linux 5.14). Where the kernel lacks it, nothing is done: the reader
     * then takes the faults itself.
     */
    static void populate(long address, long length) {
        if (!populateSupported) {
            return;
        }
        long r = LibC.madvise(address, length, LibC.MADV_POPULATE_READ);
        if (r == -Errno.EINVAL) {
            populateSupported = false;
            return;
        }
        check(r, "madvise(POPULATE_READ)", length);
    }

    /** A hint to the kernel (MADV_COLD, MADV_RANDOM): it moves no data by itself. */
    static void hint(long address, long length, int advice) {
        check(LibC.madvise(address, length, advice), "madvise(" + advice + ")", length);
    }

    /** Drops the range's pages from this mapping and from the page cache (see the class comment). */
    static void evict(long address, long length, int fd, long fileOffset) {
        check(LibC.madvise(address, length, LibC.MADV_DONTNEED), "madvise(DONTNEED)", length);
        check(LibC.posixFadvise(fd, fileOffset, length, LibC.POSIX_FADV_DONTNEED), "posix_fadvise(DONTNEED)", length);
    }

    private static void check(long r, String call, long length) {
        if (r < 0) {
            int errno = (int) -r;
            throw new MpoolException(
                    errno == Errno.ENOMEM ? ErrorCode.INVALID_STATE : Errno.toErrorCode(errno),
                    call + " of " + length + " mapped bytes failed: " + Errno.name(errno) + " (" + Errno.describe(errno)
                            + ")");
        }
    }
}
