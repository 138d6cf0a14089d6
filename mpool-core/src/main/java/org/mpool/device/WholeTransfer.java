package org.mpool.device;

import java.lang.foreign.MemorySegment;
import org.mpool.linux.Errno;

/**
 * A pread or pwrite carried to its whole length. The kernel may move fewer bytes than asked (a
 * signal arriving mid-transfer, a device's request limit, the end of a file) or be interrupted
 * before moving any (EINTR); the rest is asked for again at the offset where the last call
 * stopped, from the buffer's matching position.
 */
final class WholeTransfer {
    /** One pread(2) or pwrite(2) of {@code count} bytes into or from {@code at}: bytes moved, or -errno. */
    @FunctionalInterface
    interface Call {
        long move(MemorySegment at, long count, long offset);
    }

    private WholeTransfer() {}

    /**
     * Moves all of {@code buffer} at {@code offset}. Returns the buffer's size when whole; the
     * bytes moved before a call moved none (the end of a file), which is less; or -errno.
     */
    static long of(Call call, long offset, MemorySegment buffer) {
        long done = 0;
        long length = buffer.byteSize();
        while (done < length) {
            long n = call.move(buffer.asSlice(done), length - done, offset + done);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                return n < 0 ? n : done;
            }
            done += n;
        }
        return done;
    }
}
