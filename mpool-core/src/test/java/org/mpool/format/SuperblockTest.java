package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The superblock (docs/FORMAT.md §2): encode, check, decode round-trip over every field value;
 * check tells blank, foreign, damaged and newer copies apart; a reader takes the valid copy of
 * higher generation.
 */
class SuperblockTest {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The bytes check() and the two CRCs cover. */
    private static final int CHECKED_BYTES = 256;

    @Provide
    Arbitrary<Superblock> superblocks() {
        // Combinators take at most 8 arbitraries: the tail fields come as one more tuple.
        Arbitrary<long[]> tail = Arbitraries.longs().array(long[].class).ofSize(5);
        return Combinators.combine(
                        FormatArbitraries.stringsOfAtMost(Superblock.MAX_NAME_BYTES, false),
                        FormatArbitraries.uuids(),
                        Arbitraries.integers().between(1, Superblock.VERSION),
                        FormatArbitraries.u32(),
                        FormatArbitraries.classCodes(),
                        Arbitraries.of(true, false),
                        FormatArbitraries.uuids(),
                        tail)
                .as((name, pool, version, generation, code, clean, device, t) -> new Superblock(
                        name, pool, version, generation, code, clean, t[0], t[1], device, t[2], t[3], t[4]));
    }

    static MemorySegment encoded(Superblock sb) {
        MemorySegment out = Arena.ofAuto().allocate(Superblock.SIZE);
        fillRandom(out, sb.hashCode()); // encode zeroes what it does not write
        sb.encode(out);
        return out;
    }

    static void fillRandom(MemorySegment s, long seed) {
        Random random = new Random(seed);
        for (long i = 0; i < s.byteSize(); i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
        }
    }

    static void flip(MemorySegment s, int bit) {
        int i = bit / 8;
        s.set(ValueLayout.JAVA_BYTE, i, (byte) (s.get(ValueLayout.JAVA_BYTE, i) ^ (1 << (bit % 8))));
    }

    static int crc(MemorySegment s, int length) {
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }

    /** Rewrites both CRCs, so a change to a field is seen by the field checks rather than the CRC's. */
    static void reseal(MemorySegment s) {
        s.set(U32, Superblock.OFF_BLKID_CRC, crc(s, Superblock.OFF_BLKID_CRC));
        s.set(U32, Superblock.OFF_CRC, crc(s, Superblock.OFF_CRC));
    }

    @Property(tries = 500)
    void encodeCheckDecodeRoundTrips(@ForAll("superblocks") Superblock sb) {
        MemorySegment out = encoded(sb);
        assertThat(Superblock.check(out)).as("check of encoded %s", sb).isEqualTo(Superblock.Check.VALID);
        assertThat(Superblock.decode(out)).as("decode(encode(%s))", sb).isEqualTo(sb);
        assertThat(out.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE))
                .as("magic of %s", sb)
                .isEqualTo("mpoolDev".getBytes(StandardCharsets.US_ASCII));
        for (int i = 128; i < Superblock.SIZE; i++) {
            if (i < Superblock.OFF_CRC || i >= Superblock.OFF_CRC + 4) {
                assertThat(out.get(ValueLayout.JAVA_BYTE, i))
                        .as("byte %d of encoded %s", i, sb)
                        .isZero();
            }
        }
    }

    @Example
    void theLongestNamesInEveryUtf8WidthRoundTrip() {
        Superblock base = new Superblock(
                "p",
                new java.util.UUID(1, 2),
                Superblock.VERSION,
                0xFFFF_FFFFL,
                MediaClassCodes.CAPACITY,
                true,
                1 << 20,
                10,
                new java.util.UUID(3, 4),
                65536,
                4096,
                0);
        for (String name :
                new String[] {"a".repeat(31), "é".repeat(15) + "a", "€".repeat(10) + "a", "😀".repeat(7) + "abc", ""}) {
            assertThat(Superblock.fitsName(name)).as("fitsName(%s)", name).isTrue();
            Superblock sb = base.withName(name);
            MemorySegment out = encoded(sb);
            assertThat(Superblock.check(out)).as("check with name %s", name).isEqualTo(Superblock.Check.VALID);
            assertThat(Superblock.decode(out)).as("decode with name %s", name).isEqualTo(sb);
        }
        assertThat(Superblock.fitsName("a".repeat(32)))
                .as("fitsName of 32 bytes")
                .isFalse();
        assertThat(Superblock.fitsName("é".repeat(16)))
                .as("fitsName of 16 two-byte chars")
                .isFalse();
    }

    @Example
    void blankIsAllZeroInTheFirst256Bytes() {
        MemorySegment s = Arena.ofAuto().allocate(Superblock.SIZE);
        assertThat(Superblock.check(s)).as("check of zeros").isEqualTo(Superblock.Check.BLANK);
        fillRandom(s.asSlice(CHECKED_BYTES), 7);
        assertThat(Superblock.check(s))
                .as("check of 256 zeros then random bytes")
                .isEqualTo(Superblock.Check.BLANK);
        for (int i = 0; i < CHECKED_BYTES; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) 0x40);
            assertThat(Superblock.check(s)).as("check of zeros but byte %d", i).isEqualTo(Superblock.Check.NOT_MPOOL);
            s.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
    }

    @Property(tries = 200)
    void otherBytesAreNotMpool(@ForAll long seed) {
        MemorySegment s = Arena.ofAuto().allocate(Superblock.SIZE);
        fillRandom(s, seed);
        s.set(ValueLayout.JAVA_BYTE, 0, (byte) 'M'); // anything but the magic's first byte
        assertThat(Superblock.check(s))
                .as("check of random bytes (seed %d)", seed)
                .isEqualTo(Superblock.Check.NOT_MPOOL);
    }

    /**
     * One flipped bit in bytes 8..255 (fields, padding, both CRCs) is CORRUPT: both CRCs cover
     * everything before them. A flip in the magic (bytes 0..7) makes the copy NOT_MPOOL
     * instead: without the magic there is nothing to say it was ever a superblock (the rest is
     * not blank, so not BLANK either). Bytes 256.. are outside the superblock: no check and no
     * decoded field depends on them.
     */
    @Property(tries = 40)
    void everySingleBitFlipIsClassified(@ForAll("superblocks") Superblock sb) {
        MemorySegment out = encoded(sb);
        for (int bit = 0; bit < CHECKED_BYTES * 8; bit++) {
            flip(out, bit);
            Superblock.Check expected = bit < 64 ? Superblock.Check.NOT_MPOOL : Superblock.Check.CORRUPT;
            assertThat(Superblock.check(out))
                    .as("check of %s with bit %d (byte %d) flipped", sb, bit, bit / 8)
                    .isEqualTo(expected);
            flip(out, bit);
        }
        Random random = new Random(sb.hashCode());
        for (int n = 0; n < 64; n++) {
            int bit = CHECKED_BYTES * 8 + random.nextInt((Superblock.SIZE - CHECKED_BYTES) * 8);
            flip(out, bit);
            assertThat(Superblock.check(out))
                    .as("check with bit %d (byte %d) flipped", bit, bit / 8)
                    .isEqualTo(Superblock.Check.VALID);
            assertThat(Superblock.decode(out))
                    .as("decode with bit %d (byte %d) flipped", bit, bit / 8)
                    .isEqualTo(sb);
            flip(out, bit);
        }
        assertThat(Superblock.check(out)).as("check after undoing the flips").isEqualTo(Superblock.Check.VALID);
    }

    @Property(tries = 200)
    void aNewerVersionIsNewerVersion(
            @ForAll("superblocks") Superblock sb,
            @ForAll @IntRange(min = Superblock.VERSION + 1, max = 0xFFFF) int version) {
        Superblock newer = new Superblock(
                sb.poolName(),
                sb.poolUuid(),
                version,
                sb.generation(),
                sb.mediaClassCode(),
                sb.cleanlyClosed(),
                sb.zoneBytes(),
                sb.zoneCount(),
                sb.deviceUuid(),
                sb.mdc0Offset(),
                sb.mdc0LogBytes(),
                sb.createdMillis());
        MemorySegment out = encoded(newer);
        assertThat(Superblock.check(out)).as("check of version %d", version).isEqualTo(Superblock.Check.NEWER_VERSION);
        // A newer version may define media classes this code does not know: the version decides.
        out.set(ValueLayout.JAVA_BYTE, Superblock.OFF_MEDIA_CLASS, (byte) 0x7F);
        reseal(out);
        assertThat(Superblock.check(out))
                .as("check of version %d with an unknown class", version)
                .isEqualTo(Superblock.Check.NEWER_VERSION);
        // Damage is reported before the version: a flipped bit is not taken for a newer format.
        flip(out, Superblock.OFF_ZONE_BYTES * 8);
        assertThat(Superblock.check(out))
                .as("check of damaged version %d", version)
                .isEqualTo(Superblock.Check.CORRUPT);
    }

    @Property(tries = 100)
    void anUnknownMediaClassUnderValidChecksumsIsCorrupt(@ForAll("superblocks") Superblock sb) {
        MemorySegment out = encoded(sb);
        for (int code : FormatArbitraries.unknownClassCodes()) {
            out.set(ValueLayout.JAVA_BYTE, Superblock.OFF_MEDIA_CLASS, (byte) code);
            reseal(out);
            assertThat(Superblock.check(out))
                    .as("check with media class code %d", code)
                    .isEqualTo(Superblock.Check.CORRUPT);
        }
    }

    @Example
    void olderVersionsAreValid() {
        Superblock sb = new Superblock(
                "old",
                new java.util.UUID(5, 6),
                0,
                3,
                MediaClassCodes.STAGING,
                false,
                1 << 20,
                100,
                new java.util.UUID(7, 8),
                0,
                0,
                1);
        MemorySegment out = encoded(sb);
        assertThat(out.get(U16, Superblock.OFF_VERSION)).as("stored version").isEqualTo((short) 0);
        assertThat(Superblock.check(out)).as("check of version 0").isEqualTo(Superblock.Check.VALID);
        assertThat(Superblock.decode(out)).as("decode of version 0").isEqualTo(sb);
    }

    /**
     * What a reader does with the two copies: checks each, decodes the valid ones, and takes
     * the one of higher generation (copy 0 on a tie, neither if neither is valid).
     */
    @Property(tries = 500)
    void theReaderTakesTheValidCopyOfHigherGeneration(
            @ForAll("superblocks") Superblock sb,
            @ForAll("generations") long g0,
            @ForAll("generations") long g1,
            @ForAll boolean damage0,
            @ForAll boolean damage1,
            @ForAll @IntRange(min = 64, max = CHECKED_BYTES * 8 - 1) int bit) {
        Superblock c0 = sb.withGeneration(g0).withCleanlyClosed(true);
        Superblock c1 = sb.withGeneration(g1).withCleanlyClosed(false);
        Superblock[] read = new Superblock[2];
        Superblock[] copies = {c0, c1};
        boolean[] damaged = {damage0, damage1};
        for (int i = 0; i < 2; i++) {
            MemorySegment out = encoded(copies[i]);
            if (damaged[i]) {
                flip(out, bit);
            }
            read[i] = Superblock.check(out) == Superblock.Check.VALID ? Superblock.decode(out) : null;
            assertThat(read[i] != null)
                    .as("copy %d valid (damaged: %s)", i, damaged[i])
                    .isEqualTo(!damaged[i]);
        }
        Superblock expected = damage0 && damage1 ? null : damage0 ? c1 : damage1 ? c0 : g1 > g0 ? c1 : c0;
        assertThat(Superblock.newer(read[0], read[1]))
                .as(
                        "newer(copy 0 gen %d%s, copy 1 gen %d%s)",
                        g0, damage0 ? " damaged" : "", g1, damage1 ? " damaged" : "")
                .isEqualTo(expected);
    }

    /** Generations from the whole u32 range, with ties and neighbours common. */
    @Provide
    Arbitrary<Long> generations() {
        return Arbitraries.oneOf(
                FormatArbitraries.u32(),
                Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(0xFFFF_FFFCL, 0xFFFF_FFFFL));
    }

    @Example
    void generationsAreUnsigned32Bits() {
        Superblock low = new Superblock(
                "g", new java.util.UUID(1, 1), 1, 0x7FFF_FFFFL, 0, false, 1, 1, new java.util.UUID(2, 2), 0, 0, 0);
        Superblock high = low.withGeneration(0xFFFF_FFFFL);
        assertThat(Superblock.decode(encoded(high)).generation())
                .as("decoded generation 2^32-1")
                .isEqualTo(0xFFFF_FFFFL);
        assertThat(Superblock.newer(Superblock.decode(encoded(low)), Superblock.decode(encoded(high))))
                .as("newer of 2^31-1 and 2^32-1")
                .isEqualTo(high);
    }
}
