package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Log block headers and fragment headers (docs/FORMAT.md §3): they round-trip, they are valid
 * only for the pool and log they were written for, and a flipped bit anywhere in them is seen.
 */
class LogFormatTest {

    @Provide
    Arbitrary<UUID> pools() {
        return FormatArbitraries.uuids();
    }

    @Provide
    Arbitrary<Long> u32() {
        return FormatArbitraries.u32();
    }

    static MemorySegment randomBlock(long seed) {
        MemorySegment block = Arena.ofAuto().allocate(LogFormat.BLOCK_SIZE);
        SuperblockTest.fillRandom(block, seed);
        return block;
    }

    static void flip(MemorySegment s, long bit) {
        long i = bit / 8;
        s.set(ValueLayout.JAVA_BYTE, i, (byte) (s.get(ValueLayout.JAVA_BYTE, i) ^ (1 << (bit % 8))));
    }

    @Property(tries = 500)
    void blockHeadersRoundTrip(
            @ForAll("pools") UUID pool,
            @ForAll long logId,
            @ForAll long generation,
            @ForAll("u32") long index,
            @ForAll("u32") long epoch,
            @ForAll("u32") long markUnits) {
        MemorySegment block = randomBlock(generation ^ index);
        LogFormat.Seed seed = new LogFormat.Seed(pool, logId);
        long mark = markUnits * LogFormat.DURABLE_MARK_UNIT;
        // A durable position between two units is recorded rounded down: the mark never claims more.
        LogFormat.writeBlockHeader(
                seed, block, generation, index, epoch, mark + markUnits % LogFormat.DURABLE_MARK_UNIT);
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("check of the header just written")
                .isEqualTo(LogFormat.HeaderCheck.VALID);
        assertThat(LogFormat.readBlockHeader(block))
                .as("read of the header just written")
                .isEqualTo(new LogFormat.BlockHeader(LogFormat.VERSION, generation, index, epoch, mark));
        assertThat(LogFormat.checkBlockHeader(new LogFormat.Seed(pool, logId), block))
                .as("check with a new seed of the same identity")
                .isEqualTo(LogFormat.HeaderCheck.VALID);
    }

    @Example
    void aDurableMarkBeyondWhatTheFieldHoldsIsRecordedAsTheLargestItHolds() {
        MemorySegment block = randomBlock(7);
        LogFormat.Seed seed = new LogFormat.Seed(new UUID(1, 2), 0x22);
        long largest = 0xFFFF_FFFFL * LogFormat.DURABLE_MARK_UNIT;
        LogFormat.writeBlockHeader(seed, block, 3, 0, 1, largest + 4096);
        assertThat(LogFormat.readBlockHeader(block).durableMark())
                .as("a mark past 64 GiB: the largest the u32 holds, which still claims nothing untrue")
                .isEqualTo(largest);
    }

    /** One flipped bit anywhere in the 32 header bytes makes it INVALID (never BLANK: it is not all zero). */
    @Property(tries = 200)
    void everySingleBitFlipInTheHeaderIsInvalid(
            @ForAll("pools") UUID pool,
            @ForAll long logId,
            @ForAll long generation,
            @ForAll("u32") long index,
            @ForAll("u32") long epoch) {
        MemorySegment block = randomBlock(logId);
        LogFormat.Seed seed = new LogFormat.Seed(pool, logId);
        LogFormat.writeBlockHeader(seed, block, generation, index, epoch);
        for (int bit = 0; bit < LogFormat.BLOCK_HEADER_SIZE * 8; bit++) {
            flip(block, bit);
            assertThat(LogFormat.checkBlockHeader(seed, block))
                    .as("check with bit %d (byte %d) flipped", bit, bit / 8)
                    .isEqualTo(LogFormat.HeaderCheck.INVALID);
            flip(block, bit);
        }
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("check after undoing the flips")
                .isEqualTo(LogFormat.HeaderCheck.VALID);
    }

    /** A block of another pool or another log is never taken for this log's, even at one bit's distance. */
    @Property(tries = 300)
    void anotherPoolOrLogIsInvalid(
            @ForAll("pools") UUID pool,
            @ForAll long logId,
            @ForAll("pools") UUID otherPool,
            @ForAll long otherLogId,
            @ForAll @IntRange(min = 0, max = 127) int poolBit,
            @ForAll @IntRange(min = 0, max = 63) int logBit,
            @ForAll long generation) {
        MemorySegment block = randomBlock(generation);
        LogFormat.writeBlockHeader(new LogFormat.Seed(pool, logId), block, generation, 0, 1);
        UUID nearPool = poolBit < 64
                ? new UUID(pool.getMostSignificantBits() ^ (1L << poolBit), pool.getLeastSignificantBits())
                : new UUID(pool.getMostSignificantBits(), pool.getLeastSignificantBits() ^ (1L << (poolBit - 64)));
        long nearLog = logId ^ (1L << logBit);
        assertThat(LogFormat.checkBlockHeader(new LogFormat.Seed(nearPool, logId), block))
                .as("check under pool %s (one bit from %s)", nearPool, pool)
                .isEqualTo(LogFormat.HeaderCheck.INVALID);
        assertThat(LogFormat.checkBlockHeader(new LogFormat.Seed(pool, nearLog), block))
                .as("check under log id %x (one bit from %x)", nearLog, logId)
                .isEqualTo(LogFormat.HeaderCheck.INVALID);
        if (!otherPool.equals(pool)) {
            assertThat(LogFormat.checkBlockHeader(new LogFormat.Seed(otherPool, logId), block))
                    .as("check under pool %s", otherPool)
                    .isEqualTo(LogFormat.HeaderCheck.INVALID);
        }
        if (otherLogId != logId) {
            assertThat(LogFormat.checkBlockHeader(new LogFormat.Seed(pool, otherLogId), block))
                    .as("check under log id %x", otherLogId)
                    .isEqualTo(LogFormat.HeaderCheck.INVALID);
        }
    }

    @Example
    void aZeroHeaderIsBlankWhateverFollowsIt() {
        LogFormat.Seed seed = new LogFormat.Seed(new UUID(1, 2), 0x10);
        MemorySegment block = randomBlock(3);
        block.asSlice(0, LogFormat.BLOCK_HEADER_SIZE).fill((byte) 0);
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("check of a zero header")
                .isEqualTo(LogFormat.HeaderCheck.BLANK);
        for (int i = 0; i < LogFormat.BLOCK_HEADER_SIZE; i++) {
            block.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
            assertThat(LogFormat.checkBlockHeader(seed, block))
                    .as("check of a zero header but byte %d", i)
                    .isEqualTo(LogFormat.HeaderCheck.INVALID);
            block.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
    }

    /** A newer version under a valid CRC is NEWER_VERSION; a header length other than 32 is INVALID. */
    @Property(tries = 100)
    void versionAndHeaderLengthAreChecked(
            @ForAll("pools") UUID pool,
            @ForAll long logId,
            @ForAll @IntRange(min = LogFormat.VERSION + 1, max = 0xFFFF) int version,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int length) {
        LogFormat.Seed seed = new LogFormat.Seed(pool, logId);
        MemorySegment block = randomBlock(version);
        LogFormat.writeBlockHeader(seed, block, 5, 0, 1);
        block.set(LogFormat.U16, LogFormat.BH_VERSION, (short) version);
        block.set(LogFormat.U32, LogFormat.BH_CRC, seed.blockHeaderCrc(block));
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("check of version %d", version)
                .isEqualTo(LogFormat.HeaderCheck.NEWER_VERSION);
        LogFormat.writeBlockHeader(seed, block, 5, 0, 1);
        block.set(LogFormat.U16, LogFormat.BH_LENGTH, (short) length);
        block.set(LogFormat.U32, LogFormat.BH_CRC, seed.blockHeaderCrc(block));
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("check with header length %d", length)
                .isEqualTo(
                        length == LogFormat.BLOCK_HEADER_SIZE
                                ? LogFormat.HeaderCheck.VALID
                                : LogFormat.HeaderCheck.INVALID);
    }

    // ---- fragments

    @Provide
    Arbitrary<Byte> fragmentTypes() {
        return Arbitraries.of(LogFormat.FULL, LogFormat.FIRST, LogFormat.MIDDLE, LogFormat.LAST);
    }

    record Sealed(MemorySegment fragment, int length) {}

    static Sealed seal(
            LogFormat.Seed seed, long generation, long position, byte[] payload, byte type, long epoch, long durable) {
        MemorySegment fragment = Arena.ofAuto().allocate(LogFormat.FRAGMENT_HEADER_SIZE + payload.length);
        SuperblockTest.fillRandom(fragment.asSlice(0, LogFormat.FRAGMENT_HEADER_SIZE), position);
        MemorySegment.copy(payload, 0, fragment, ValueLayout.JAVA_BYTE, LogFormat.FRAGMENT_HEADER_SIZE, payload.length);
        LogFormat.sealFragment(seed, fragment, generation, position, payload.length, type, epoch, durable);
        return new Sealed(fragment, payload.length);
    }

    @Property(tries = 500)
    void fragmentsRoundTrip(
            @ForAll("pools") UUID pool,
            @ForAll long logId,
            @ForAll long generation,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long position,
            @ForAll byte[] payload,
            @ForAll("fragmentTypes") byte type,
            @ForAll("u32") long epoch,
            @ForAll long durable) {
        if (payload.length > LogFormat.BLOCK_PAYLOAD) {
            payload = java.util.Arrays.copyOf(payload, LogFormat.BLOCK_PAYLOAD);
        }
        LogFormat.Seed seed = new LogFormat.Seed(pool, logId);
        Sealed s = seal(seed, generation, position, payload, type, epoch, durable);
        MemorySegment f = s.fragment();
        assertThat(LogFormat.fragmentCrc(f))
                .as("stored CRC vs. CRC recomputed")
                .isEqualTo(new LogFormat.Seed(pool, logId).fragmentCrc(generation, position, f, s.length()));
        assertThat(LogFormat.fragmentLength(f)).as("length").isEqualTo(payload.length);
        assertThat(LogFormat.fragmentType(f)).as("type").isEqualTo(type);
        assertThat(LogFormat.fragmentEpoch(f)).as("epoch").isEqualTo(epoch);
        assertThat(LogFormat.fragmentDurable(f)).as("durable position").isEqualTo(durable);
        assertThat(f.get(ValueLayout.JAVA_BYTE, LogFormat.FH_TYPE + 1))
                .as("reserved byte 7")
                .isZero();
        assertThat(f.asSlice(LogFormat.FRAGMENT_HEADER_SIZE).toArray(ValueLayout.JAVA_BYTE))
                .as("payload")
                .isEqualTo(payload);
    }

    /**
     * Any single flipped bit in a fragment, header or payload, makes its stored CRC disagree
     * with the CRC of its bytes (CRC32C catches every single-bit error); so does reading it at
     * a position or generation one bit away from where it was written.
     */
    @Property(tries = 100)
    void everySingleBitFlipInAFragmentIsSeen(
            @ForAll("pools") UUID pool,
            @ForAll long logId,
            @ForAll long generation,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long position,
            @ForAll byte[] payload,
            @ForAll("fragmentTypes") byte type,
            @ForAll("u32") long epoch,
            @ForAll long durable) {
        if (payload.length > 300) {
            payload = java.util.Arrays.copyOf(payload, 300);
        }
        LogFormat.Seed seed = new LogFormat.Seed(pool, logId);
        Sealed s = seal(seed, generation, position, payload, type, epoch, durable);
        MemorySegment f = s.fragment();
        long bits = f.byteSize() * 8;
        for (long bit = 0; bit < bits; bit++) {
            flip(f, bit);
            assertThat(LogFormat.fragmentCrc(f))
                    .as("stored CRC vs. recomputed with bit %d (byte %d) flipped", bit, bit / 8)
                    .isNotEqualTo(seed.fragmentCrc(generation, position, f, s.length()));
            flip(f, bit);
        }
        int stored = LogFormat.fragmentCrc(f);
        assertThat(seed.fragmentCrc(generation, position, f, s.length()))
                .as("CRC after undoing the flips")
                .isEqualTo(stored);
        for (int bit = 0; bit < 64; bit++) {
            assertThat(seed.fragmentCrc(generation, position ^ (1L << bit), f, s.length()))
                    .as("CRC at position %d (bit %d flipped)", position ^ (1L << bit), bit)
                    .isNotEqualTo(stored);
            assertThat(seed.fragmentCrc(generation ^ (1L << bit), position, f, s.length()))
                    .as("CRC in generation %d (bit %d flipped)", generation ^ (1L << bit), bit)
                    .isNotEqualTo(stored);
            assertThat(new LogFormat.Seed(pool, logId ^ (1L << bit)).fragmentCrc(generation, position, f, s.length()))
                    .as("CRC under log id bit %d flipped", bit)
                    .isNotEqualTo(stored);
        }
    }

    @Property(tries = 1000)
    void blockEndIsTheEndOfTheBlockHoldingTheByteBefore(@ForAll @LongRange(min = 1, max = 1L << 50) long position) {
        long end = LogFormat.blockEnd(position);
        assertThat(end % LogFormat.BLOCK_SIZE)
                .as("blockEnd(%d) mod block", position)
                .isZero();
        assertThat(end).as("blockEnd(%d)", position).isBetween(position, position - 1 + LogFormat.BLOCK_SIZE);
    }

    @Example
    void aBlockIsItsHeaderOneFragmentHeaderAndThePayload() {
        assertThat(LogFormat.BLOCK_PAYLOAD + LogFormat.BLOCK_HEADER_SIZE + LogFormat.FRAGMENT_HEADER_SIZE)
                .as("a block's header, one fragment header and its payload")
                .isEqualTo(LogFormat.BLOCK_SIZE);
        assertThat(LogFormat.MIN_FRAME_START_ROOM)
                .as("room a frame start needs")
                .isEqualTo(21);
    }
}
