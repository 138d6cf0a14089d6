package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The page-checksum table of an mblock (docs/FORMAT.md §5, format version 3): its region and
 * the capacity it leaves, a round trip for any length, and every way a table can be the wrong
 * one or damaged is refused.
 */
class ChunkTableTest {
    private static final HexFormat HEX = HexFormat.of();

    @Example
    void theRegionIsOnePageUpToFourMebibyteZonesAndAboutAThousandthBeyond() {
        assertThat(ChunkTable.regionBytes(1 << 20)).isEqualTo(4096);
        assertThat(ChunkTable.capacity(1 << 20)).isEqualTo((1 << 20) - 4096);
        assertThat(ChunkTable.regionBytes(4 << 20)).isEqualTo(8192); // 1024 entries + the header
        assertThat(ChunkTable.regionBytes(64L << 20)).isEqualTo(17 * 4096);
        for (long zone = 1 << 20; zone <= 64L << 20; zone *= 2) {
            assertThat(ChunkTable.pagesFor(ChunkTable.pageCount(ChunkTable.capacity(zone))))
                    .as("the table of a full mblock of a %d-byte zone fits its region", zone)
                    .isLessThanOrEqualTo(ChunkTable.regionBytes(zone));
            assertThat(ChunkTable.regionBytes(zone)).isLessThanOrEqualTo(zone / 500 + 4096);
        }
    }

    /**
     * A table is written in whole pages, and no more: 1,016 entries and the header fill exactly
     * one page, 1,017 spill into a second. (PIT: rounding up one byte further survived every
     * other test — a table of exactly a page would take two, and move its mblock's capacity.)
     */
    @Example
    void aTableThatFillsAPageExactlyTakesThatPage() {
        assertThat(ChunkTable.HEADER_BYTES + 4 * 1016).isEqualTo(4096);
        assertThat(ChunkTable.pagesFor(1016)).isEqualTo(4096);
        assertThat(ChunkTable.pagesFor(1017)).isEqualTo(8192);
        assertThat(ChunkTable.pagesFor(1)).isEqualTo(4096);
        assertThat(ChunkTable.pagesFor(2040)).isEqualTo(8192);
    }

    @Property(tries = 200)
    void aTableRoundTrips(@ForAll long id, @ForAll @LongRange(max = (64L << 20) - 69632) long length) {
        int[] crcs = crcsFor(length, id);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(ChunkTable.pagesFor(ChunkTable.pageCount(length)), 4096);
            int crc = ChunkTable.encode(table, id, length, crcs);
            assertThat(decode(table, id, length, crc)).isEqualTo(crcs);
        }
    }

    @Property(tries = 300)
    void anyFlippedBitOfATableIsRefused(
            @ForAll @LongRange(max = 1 << 20) long length, @ForAll @IntRange(min = 0, max = 1 << 20) int where) {
        long id = 0x1101;
        try (Arena arena = Arena.ofConfined()) {
            long bytes = ChunkTable.HEADER_BYTES + 4L * ChunkTable.pageCount(length);
            MemorySegment table = arena.allocate(ChunkTable.pagesFor(ChunkTable.pageCount(length)), 4096);
            int crc = ChunkTable.encode(table, id, length, crcsFor(length, 7));
            long bit = where % (bytes * 8);
            byte b = table.get(ValueLayout.JAVA_BYTE, bit / 8);
            table.set(ValueLayout.JAVA_BYTE, bit / 8, (byte) (b ^ (1 << (bit % 8))));
            assertThat(failure(table, id, length, crc))
                    .as("bit %d of %d bytes flipped", bit, bytes)
                    .isNotNull();
        }
    }

    @Example
    void aTableOfAnotherMblockOrLengthOrCrcIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(4096, 4096);
            int crc = ChunkTable.encode(table, 0x1101, 5000, crcsFor(5000, 1));
            assertThat(failure(table, 0x2101, 5000, crc)).hasMessageContaining("another mblock");
            assertThat(failure(table, 0x1101, 5001, crc)).hasMessageContaining("another mblock");
            assertThat(failure(table, 0x1101, 5000, crc + 1)).hasMessageContaining("checksum");
            assertThat(failure(arena.allocate(4096, 4096), 0x1101, 5000, crc)).hasMessageContaining("magic");
            table.set(ValueLayout.JAVA_SHORT_UNALIGNED, ChunkTable.OFF_VERSION, (short) 2);
            assertThat(failure(table, 0x1101, 5000, crc)).hasMessageContaining("version 2");
        }
    }

    /** The bytes as docs/FORMAT.md draws them: a change to the layout fails here first. */
    @Example
    void theLayoutIsPinned() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(4096, 4096);
            int crc = ChunkTable.encode(table, 0x1101, 4097, new int[] {0x11223344, 0x55667788});
            assertThat(HEX.formatHex(table.asSlice(0, 40).toArray(ValueLayout.JAVA_BYTE)))
                    .isEqualTo("4d424354" + "0100" + "0000" + "0111000000000000" + "0110000000000000" + "02000000"
                            + HEX.toHexDigits(Integer.reverseBytes(crc)) + "44332211" + "88776655");
        }
    }

    private static int[] crcsFor(long length, long seed) {
        int[] crcs = new int[ChunkTable.pageCount(length)];
        for (int i = 0; i < crcs.length; i++) {
            crcs[i] = (int) (seed * 31 + i * 0x9E3779B9L);
        }
        return crcs;
    }

    private static int[] decode(MemorySegment table, long id, long length, int crc) {
        try {
            return ChunkTable.decode(table, id, length, crc);
        } catch (FormatException e) {
            throw new AssertionError(e);
        }
    }

    private static FormatException failure(MemorySegment table, long id, long length, int crc) {
        return catchThrowableOfType(FormatException.class, () -> ChunkTable.decode(table, id, length, crc));
    }
}
