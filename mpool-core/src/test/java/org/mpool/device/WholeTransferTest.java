package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mpool.linux.Errno;

/**
 * Short transfers and EINTR, which files on this machine never produce: a fake system call over
 * a byte array moves fewer bytes than asked, or none with EINTR, and the transfer must still put
 * every byte at its offset.
 */
class WholeTransferTest {
    private static final int LENGTH = 64 * 1024;

    /** A "file" whose calls move at most a random part of what is asked, some interrupted. */
    private static final class ShortCalls implements WholeTransfer.Call {
        final byte[] file;
        final boolean reads;
        final SplittableRandom random;
        final List<Long> offsets = new ArrayList<>();

        ShortCalls(byte[] file, boolean reads, long seed) {
            this.file = file;
            this.reads = reads;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public long move(MemorySegment at, long count, long offset) {
            // The kernel moves count bytes from at: asking for more than the slice holds would
            // read or write past it.
            assertThat(count).as("count within the buffer").isEqualTo(at.byteSize());
            offsets.add(offset);
            if (random.nextInt(4) == 0) {
                return -Errno.EINTR;
            }
            int n = (int) Math.min(count, Math.min(file.length - offset, 1 + random.nextInt(9000)));
            if (reads) {
                MemorySegment.copy(file, (int) offset, at, ValueLayout.JAVA_BYTE, 0, n);
            } else {
                MemorySegment.copy(at, ValueLayout.JAVA_BYTE, 0, file, (int) offset, n);
            }
            return n;
        }
    }

    private static byte[] pattern(long seed, int length) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void aReadInShortPiecesFillsTheWholeBufferFromTheRightOffsets() {
        byte[] file = pattern(1, 3 * LENGTH);
        try (Arena arena = Arena.ofConfined()) {
            for (long seed = 0; seed < 50; seed++) {
                MemorySegment buffer = arena.allocate(LENGTH);
                ShortCalls call = new ShortCalls(file, true, seed);
                long r = WholeTransfer.of(call, LENGTH, buffer);
                assertThat(r).isEqualTo(LENGTH);
                assertThat(call.offsets.size()).as("several calls").isGreaterThan(1);
                byte[] expected = new byte[LENGTH];
                System.arraycopy(file, LENGTH, expected, 0, LENGTH);
                assertThat(buffer.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aWriteInShortPiecesPutsEveryByteAtItsOffset() {
        try (Arena arena = Arena.ofConfined()) {
            for (long seed = 0; seed < 50; seed++) {
                byte[] file = new byte[3 * LENGTH];
                byte[] data = pattern(seed + 100, LENGTH);
                MemorySegment buffer = arena.allocate(LENGTH);
                MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, LENGTH);
                long r = WholeTransfer.of(new ShortCalls(file, false, seed), 2 * LENGTH, buffer);
                assertThat(r).isEqualTo(LENGTH);
                byte[] expected = new byte[3 * LENGTH];
                System.arraycopy(data, 0, expected, 2 * LENGTH, LENGTH);
                assertThat(file).isEqualTo(expected);
            }
        }
    }

    @Test
    void theEndOfTheFileMidTransferReturnsTheBytesMoved() {
        byte[] file = pattern(2, LENGTH + 4096);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(3 * 4096);
            long r = WholeTransfer.of(new ShortCalls(file, true, 7), LENGTH - 4096, buffer);
            assertThat(r).as("two of the three pages lie before the end").isEqualTo(2 * 4096);
        }
    }

    @Test
    void anErrnoIsReturnedNegatedAndStopsTheTransfer() {
        List<Long> offsets = new ArrayList<>();
        WholeTransfer.Call failing = (at, count, offset) -> {
            offsets.add(offset);
            return offsets.size() == 1 ? 4096 : -Errno.EIO;
        };
        try (Arena arena = Arena.ofConfined()) {
            long r = WholeTransfer.of(failing, 8192, arena.allocate(3 * 4096));
            assertThat(r).isEqualTo(-Errno.EIO);
            assertThat(offsets).containsExactly(8192L, 8192L + 4096);
        }
    }
}
