package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.Seeds;

/**
 * What every {@link BlockDevice} must do. A subclass supplies a fresh device per test and says
 * which media guarantees it has (zeros where never written, zeros after discard).
 */
abstract class BlockDeviceContractTest {
    static final long MIB = 1 << 20;
    /** Devices under test are at least this large. */
    static final long MIN_SIZE_BYTES = 32 * MIB;

    protected final Arena arena = Arena.ofShared();
    protected BlockDevice device;

    /** A new writable device of at least {@link #MIN_SIZE_BYTES}, never written. */
    protected abstract BlockDevice newDevice() throws Exception;

    /** Whether never-written ranges read as zeros (files and memory: yes). */
    protected boolean unwrittenReadsAsZeros() {
        return true;
    }

    /** Whether a discarded range reads as zeros (files and memory: yes; block devices: maybe). */
    protected boolean discardedReadsAsZeros() {
        return true;
    }

    /** Releases what {@link #newDevice} set up; runs after the device is closed, even if it failed. */
    protected void releaseDevice() throws Exception {}

    @BeforeEach
    final void openDevice() throws Exception {
        device = newDevice();
    }

    @AfterEach
    final void closeDevice() throws Exception {
        try {
            if (device != null) {
                device.close();
            }
        } finally {
            try {
                releaseDevice();
            } finally {
                arena.close();
            }
        }
    }

    private int block() {
        return device.logicalBlockSize();
    }

    @Test
    void sizesAreWholePowerOfTwoBlocks() {
        int logical = device.logicalBlockSize();
        int physical = device.physicalBlockSize();
        assertThat(logical).as("logical block size").isIn(512, 4096);
        assertThat(AlignedBuffers.isPowerOfTwo(physical))
                .as("physical %d is a power of two", physical)
                .isTrue();
        assertThat(physical).as("physical block size").isGreaterThanOrEqualTo(logical);
        assertThat(device.optimalIoSize() % physical)
                .as("optimal I/O size %d", device.optimalIoSize())
                .isZero();
        assertThat(device.optimalIoSize()).isPositive();
        assertThat(device.sizeBytes()).isGreaterThanOrEqualTo(MIN_SIZE_BYTES);
        assertThat(device.sizeBytes() % logical)
                .as("size %d", device.sizeBytes())
                .isZero();
        assertThat(device.name()).isNotBlank();
        assertThat(device.readOnly()).isFalse();
    }

    static Stream<Arguments> ranges() {
        return Stream.of(
                range("first block", d -> 0, d -> d.logicalBlockSize()),
                range("second block", d -> d.logicalBlockSize(), d -> d.logicalBlockSize()),
                range("5 blocks at block 3", d -> 3L * d.logicalBlockSize(), d -> 5L * d.logicalBlockSize()),
                range("one page at 64 KiB", d -> 64 << 10, d -> 4096),
                range(
                        "4 MiB + 1 block at 1 MiB + 1 block",
                        d -> MIB + d.logicalBlockSize(),
                        d -> 4 * MIB + d.logicalBlockSize()),
                range("8 MiB at 16 MiB", d -> 16 * MIB, d -> 8 * MIB),
                range("last block", d -> d.sizeBytes() - d.logicalBlockSize(), d -> d.logicalBlockSize()),
                range("last 3 MiB", d -> d.sizeBytes() - 3 * MIB, d -> 3 * MIB));
    }

    private static Arguments range(
            String name, ToLongFunction<BlockDevice> offset, ToLongFunction<BlockDevice> length) {
        return arguments(name, offset, length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void writtenBytesReadBack(String name, ToLongFunction<BlockDevice> offsetOf, ToLongFunction<BlockDevice> lengthOf) {
        long offset = offsetOf.applyAsLong(device);
        long length = lengthOf.applyAsLong(device);
        device.write(offset, BytePatterns.pattern(arena, offset, length, 1));

        MemorySegment back = AlignedBuffers.allocate(arena, length);
        device.read(offset, back);
        assertThat(BytePatterns.firstMismatch(back, offset, 1))
                .as("%s: first wrong byte reading %d bytes at %d", name, length, offset)
                .isEqualTo(-1);
    }

    @Test
    void partialReadsOfAWriteSeeTheirPart() {
        long offset = 2 * MIB;
        device.write(offset, BytePatterns.pattern(arena, offset, 64 * block(), 2));
        MemorySegment back = AlignedBuffers.allocate(arena, 3L * block());
        device.read(offset + 7L * block(), back);
        assertThat(BytePatterns.firstMismatch(back, offset + 7L * block(), 2)).isEqualTo(-1);
    }

    @Test
    void overwriteReplacesOnlyTheOverwrittenBlocks() {
        long offset = 3 * MIB;
        device.write(offset, BytePatterns.pattern(arena, offset, 8L * block(), 3));
        device.write(offset + 2L * block(), BytePatterns.pattern(arena, offset + 2L * block(), 2L * block(), 4));

        MemorySegment back = AlignedBuffers.allocate(arena, 8L * block());
        device.read(offset, back);
        long b = block();
        assertThat(BytePatterns.firstMismatch(back.asSlice(0, 2 * b), offset, 3))
                .isEqualTo(-1);
        assertThat(BytePatterns.firstMismatch(back.asSlice(2 * b, 2 * b), offset + 2 * b, 4))
                .isEqualTo(-1);
        assertThat(BytePatterns.firstMismatch(back.asSlice(4 * b, 4 * b), offset + 4 * b, 3))
                .isEqualTo(-1);
    }

    @Test
    void neverWrittenRangesReadAsZeros() {
        assumeTrue(unwrittenReadsAsZeros(), "this device makes no promise about never-written ranges");
        device.write(MIB, BytePatterns.pattern(arena, MIB, block(), 5));
        MemorySegment back = AlignedBuffers.allocate(arena, MIB);
        back.fill((byte) 0x5a);
        device.read(0, back);
        assertThat(BytePatterns.firstNonZero(back))
                .as("first non-zero byte before the write")
                .isEqualTo(-1);
        back.fill((byte) 0x5a);
        device.read(MIB + block(), back);
        assertThat(BytePatterns.firstNonZero(back))
                .as("first non-zero byte after the write")
                .isEqualTo(-1);
        back.fill((byte) 0x5a);
        device.read(device.sizeBytes() - MIB, back);
        assertThat(BytePatterns.firstNonZero(back))
                .as("first non-zero byte at the end")
                .isEqualTo(-1);
    }

    @Test
    void misalignedOffsetsAreRejected() {
        MemorySegment buf = AlignedBuffers.allocate(arena, block());
        for (long offset : new long[] {1, block() / 2, MIB + 8}) {
            assertInvalid(() -> device.read(offset, buf), "read at " + offset);
            assertInvalid(() -> device.write(offset, buf), "write at " + offset);
            assertInvalid(() -> device.discard(offset, block()), "discard at " + offset);
        }
    }

    @Test
    void misalignedLengthsAreRejected() {
        for (long length : new long[] {1, block() / 2, block() + 8L, 3L * block() + block() / 2}) {
            MemorySegment buf = AlignedBuffers.allocate(arena, length);
            assertInvalid(() -> device.read(0, buf), "read of " + length);
            assertInvalid(() -> device.write(0, buf), "write of " + length);
            assertInvalid(() -> device.discard(0, length), "discard of " + length);
        }
    }

    @Test
    void misalignedBufferAddressesAreRejected() {
        MemorySegment big = AlignedBuffers.allocate(arena, 4L * block());
        for (long shift : new long[] {8, block() / 2}) {
            MemorySegment buf = big.asSlice(shift, block());
            assertInvalid(() -> device.read(0, buf), "read into address +" + shift);
            assertInvalid(() -> device.write(0, buf), "write from address +" + shift);
        }
    }

    @Test
    void heapBuffersAreRejected() {
        MemorySegment bytes = MemorySegment.ofArray(new byte[block()]);
        MemorySegment longs = MemorySegment.ofArray(new long[block() / 8]);
        for (MemorySegment buf : List.of(bytes, longs)) {
            assertInvalid(() -> device.read(0, buf), "read into heap");
            assertInvalid(() -> device.write(0, buf), "write from heap");
        }
    }

    @Test
    void rangesOutsideTheDeviceAreRejected() {
        long size = device.sizeBytes();
        long b = block();
        MemorySegment one = AlignedBuffers.allocate(arena, b);
        MemorySegment two = AlignedBuffers.allocate(arena, 2 * b);
        long[][] cases = {{size, b}, {size - b, 2 * b}, {-b, b}, {Long.MAX_VALUE & -b, b}, {Long.MIN_VALUE, b}};
        for (long[] c : cases) {
            long offset = c[0];
            MemorySegment buf = c[1] == b ? one : two;
            assertInvalid(() -> device.read(offset, buf), "read of " + c[1] + " at " + offset);
            assertInvalid(() -> device.write(offset, buf), "write of " + c[1] + " at " + offset);
            assertInvalid(() -> device.discard(offset, c[1]), "discard of " + c[1] + " at " + offset);
        }
        assertInvalid(() -> device.discard(0, size + b), "discard longer than the device");
        assertInvalid(() -> device.discard(0, -b), "discard of negative length");
    }

    @Test
    void rejectedWritesLeaveTheMediaUntouched() {
        long b = block();
        long tail = device.sizeBytes() - 2 * b;
        device.write(tail, BytePatterns.pattern(arena, tail, 2 * b, 6));

        MemorySegment crossing = BytePatterns.pattern(arena, tail + b, 2 * b, 7);
        assertInvalid(() -> device.write(tail + b, crossing), "write crossing the end");
        MemorySegment shifted = AlignedBuffers.allocate(arena, 3 * b).asSlice(8, 2 * b);
        BytePatterns.fill(shifted, tail, 7);
        assertInvalid(() -> device.write(tail, shifted), "write from a misaligned buffer");

        MemorySegment back = AlignedBuffers.allocate(arena, 2 * b);
        device.read(tail, back);
        assertThat(BytePatterns.firstMismatch(back, tail, 6))
                .as("first changed byte")
                .isEqualTo(-1);
    }

    @Test
    void concurrentWritesToDisjointRangesAllLand() throws Exception {
        long seed = Seeds.base(getClass().getSimpleName() + ".concurrentWritesToDisjointRangesAllLand");
        int threads = 4;
        long region = 4 * MIB;
        long b = block();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                long base = t * region;
                SplittableRandom random = new SplittableRandom(seed + t);
                results.add(pool.submit(() -> writeRegion(base, region, b, random, start, seed)));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get(120, TimeUnit.SECONDS))
                        .as(Seeds.describe(seed))
                        .isPositive();
            }
        }
        MemorySegment back = AlignedBuffers.allocate(arena, threads * region);
        device.read(0, back);
        assertThat(BytePatterns.firstMismatch(back, 0, seed))
                .as("first wrong byte after concurrent writes, " + Seeds.describe(seed))
                .isEqualTo(-1);
    }

    /** Writes [base, base + length) in chunks of 1..64 random blocks; returns the chunk count. */
    private int writeRegion(long base, long length, long block, SplittableRandom random, CyclicBarrier start, long salt)
            throws Exception {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(local, 64 * block);
            start.await(60, TimeUnit.SECONDS);
            int chunks = 0;
            for (long off = base; off < base + length; chunks++) {
                long n = Math.min(block * random.nextInt(1, 65), base + length - off);
                MemorySegment slice = buf.asSlice(0, n);
                BytePatterns.fill(slice, off, salt);
                device.write(off, slice);
                off += n;
            }
            return chunks;
        }
    }

    @Test
    void flushKeepsWhatWasWritten() {
        assertThatCode(device::flush).as("flush of a fresh device").doesNotThrowAnyException();
        long offset = 5 * MIB;
        device.write(offset, BytePatterns.pattern(arena, offset, MIB, 8));
        device.flush();
        device.flush();
        MemorySegment back = AlignedBuffers.allocate(arena, MIB);
        device.read(offset, back);
        assertThat(BytePatterns.firstMismatch(back, offset, 8)).isEqualTo(-1);
    }

    @Test
    void discardChangesOnlyItsRange() {
        long chunk = 64 << 10;
        long offset = 6 * MIB;
        device.write(offset, BytePatterns.pattern(arena, offset, 3 * chunk, 9));
        device.discard(offset + chunk, chunk);
        device.discard(offset, 0);

        MemorySegment back = AlignedBuffers.allocate(arena, 3 * chunk);
        device.read(offset, back);
        assertThat(BytePatterns.firstMismatch(back.asSlice(0, chunk), offset, 9))
                .as("before the range")
                .isEqualTo(-1);
        assertThat(BytePatterns.firstMismatch(back.asSlice(2 * chunk, chunk), offset + 2 * chunk, 9))
                .as("after the range")
                .isEqualTo(-1);
        if (discardedReadsAsZeros()) {
            assertThat(BytePatterns.firstNonZero(back.asSlice(chunk, chunk)))
                    .as("inside the range")
                    .isEqualTo(-1);
        }
    }

    @Test
    void discardedRangesCanBeWrittenAgain() {
        long offset = 7 * MIB;
        device.write(offset, BytePatterns.pattern(arena, offset, MIB, 10));
        device.discard(offset, MIB);
        device.write(offset, BytePatterns.pattern(arena, offset, MIB, 11));
        MemorySegment back = AlignedBuffers.allocate(arena, MIB);
        device.read(offset, back);
        assertThat(BytePatterns.firstMismatch(back, offset, 11)).isEqualTo(-1);
    }

    @Test
    void closeIsIdempotentAndLaterOperationsFailWithInvalidState() {
        MemorySegment buf = AlignedBuffers.allocate(arena, block());
        device.close();
        assertThatCode(device::close).as("second close").doesNotThrowAnyException();
        assertInvalidState(() -> device.read(0, buf), "read");
        assertInvalidState(() -> device.write(0, buf), "write");
        assertInvalidState(device::flush, "flush");
        assertInvalidState(() -> device.discard(0, block()), "discard");
    }

    private void assertInvalid(ThrowingCallable call, String what) {
        assertThatThrownBy(call).as(what).isInstanceOfSatisfying(MpoolException.class, e -> {
            assertThat(e.code()).as(what + ": " + e.getMessage()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).as(what + ": names the device").contains(device.name());
        });
    }

    private void assertInvalidState(ThrowingCallable call, String what) {
        assertThatThrownBy(call)
                .as(what + " after close")
                .isInstanceOfSatisfying(
                        MpoolException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_STATE));
    }
}
