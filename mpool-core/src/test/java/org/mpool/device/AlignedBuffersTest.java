package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Smaps;

/**
 * I/O buffers: page aligned and zeroed; from 1 MiB on backed by transparent huge pages (one
 * device segment per 2 MiB instead of one per 4 KiB), and released when their arena closes.
 */
class AlignedBuffersTest {
    private static final long MiB = 1 << 20;

    @Test
    void smallAndLargeBuffersArePageAlignedZeroedAndUsable() {
        try (Arena arena = Arena.ofConfined()) {
            for (long size : List.of(512L, 4096L, 100_000L, MiB - 4096, MiB, 3 * MiB + 12_345)) {
                MemorySegment b = AlignedBuffers.allocate(arena, size);
                assertThat(b.byteSize()).as("size of a %d-byte buffer", size).isEqualTo(size);
                assertThat(b.address() % AlignedBuffers.ALIGNMENT)
                        .as("alignment of a %d-byte buffer", size)
                        .isZero();
                for (long off = 0; off < size; off += 4096) {
                    assertThat(b.get(ValueLayout.JAVA_BYTE, off))
                            .as("byte %d of a fresh %d-byte buffer", off, size)
                            .isZero();
                }
                b.fill((byte) 0x5A);
                assertThat(b.get(ValueLayout.JAVA_BYTE, size - 1)).isEqualTo((byte) 0x5A);
            }
        }
    }

    @Test
    void aLargeBufferStartsOnAHugePageAndIsGoneWhenItsArenaCloses() {
        MemorySegment b;
        try (Arena arena = Arena.ofConfined()) {
            b = AlignedBuffers.allocate(arena, MiB);
            assertThat(b.address() % AlignedBuffers.HUGE_PAGE)
                    .as("start of a 1 MiB buffer")
                    .isZero();
            b.fill((byte) 1);
        }
        MemorySegment closed = b;
        assertThatThrownBy(() -> closed.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    /** Where the kernel offers THP for advised memory, a touched 1 MiB buffer sits in a huge page. */
    @Test
    void aTouchedLargeBufferIsBackedByAHugePage() throws IOException {
        Path enabled = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        assumeTrue(
                Files.exists(enabled) && !Files.readString(enabled).contains("[never]"),
                "transparent huge pages are disabled on this kernel: nothing to check");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = AlignedBuffers.allocate(arena, MiB);
            b.fill((byte) 7);
            long hugeKiB = Smaps.ofMappingAt(b.address(), "AnonHugePages");
            assumeTrue(hugeKiB >= 0, "no smaps entry for the buffer: nothing to check");
            assertThat(hugeKiB).as("AnonHugePages of the buffer's mapping (kB)").isGreaterThanOrEqualTo(2048);
        }
    }

    @Test
    void aNonPositiveSizeIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> AlignedBuffers.allocate(arena, 0))
                    .isInstanceOf(MpoolException.class)
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }
}
