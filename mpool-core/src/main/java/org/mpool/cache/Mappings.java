package org.mpool.cache;

import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Errno;
import org.mpool.linux.LibC;

/**
 * The virtual-memory calls behind a map: reserve one range, put file pieces over it, unmap it.
 *
 * <p>The range is reserved <em>readable</em> (anonymous, private, no swap reservation), not
 * {@code PROT_NONE}: a Java read of a {@code PROT_NONE} page is a SIGSEGV that kills the JVM
 * (measured: {@code Unsafe_GetByte} crash), while a read of an untouched private anonymous page
 * returns zeros from the shared zero page and costs no memory. So bytes of a slot past its
 * mblock read as zeros and no offset inside the segment can crash the process. Read-only
 * private mappings are not charged against overcommit either.
 */
final class Mappings {
    private Mappings() {}

    /** Reserves {@code bytes} of address space that reads as zeros; NO_SPACE when none is left. */
    static long reserve(long bytes) {
        long r = LibC.mmap(0, bytes, LibC.PROT_READ, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        if (r < 0) {
            throw new MpoolException(
                    ErrorCode.NO_SPACE,
                    "map: cannot reserve " + bytes + " bytes of address space: " + Errno.name((int) -r) + " ("
                            + Errno.describe((int) -r) + ")");
        }
        return r;
    }

    /** Maps {@code length} bytes of {@code fd} at {@code offset} read-only over {@code address}. */
    static void mapFile(long address, long length, int fd, long offset, String what) {
        long r = LibC.mmap(address, length, LibC.PROT_READ, LibC.MAP_SHARED | LibC.MAP_FIXED, fd, offset);
        if (r < 0) {
            int errno = (int) -r;
            // ENOMEM here means the process ran out of mappings (vm.max_map_count), not of RAM.
            ErrorCode code = errno == Errno.ENOMEM ? ErrorCode.NO_SPACE : Errno.toErrorCode(errno);
            throw new MpoolException(
                    code,
                    "map: cannot map " + what + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")"
                            + (errno == Errno.ENOMEM ? "; too many mappings (vm.max_map_count)?" : ""));
        }
        if (r != address) {
            throw new IllegalStateException(
                    "mmap MAP_FIXED returned 0x" + Long.toHexString(r) + ", not 0x" + Long.toHexString(address));
        }
    }

    static void unmap(long address, long bytes) {
        int r = LibC.munmap(address, bytes);
        // munmap fails only for bad arguments: that is a bug, and the range is lost either way.
        assert r == 0 : "munmap failed: " + Errno.name(-r);
    }
}
