package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The catalog records (docs/FORMAT.md §5): every record type round-trips over the whole range
 * of its fields, and decode rejects every byte string that is not exactly one record: unknown
 * types, truncations, stray bytes, unknown media classes.
 */
class CatalogRecordTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Set<Integer> TYPES = Set.of(
            (int) CatalogRecord.CONFIG,
            (int) CatalogRecord.MEDIA_CLASS,
            (int) CatalogRecord.SHARD,
            (int) CatalogRecord.ROOT_MDC,
            (int) CatalogRecord.MBLOCK_V1,
            (int) CatalogRecord.MLOG_V1,
            (int) CatalogRecord.DELETE,
            (int) CatalogRecord.ID_RESERVE,
            (int) CatalogRecord.MBLOCK,
            (int) CatalogRecord.MLOG,
            (int) CatalogRecord.MDC,
            (int) CatalogRecord.MBLOCK_CHUNKED);

    @Provide
    Arbitrary<CatalogRecord.Config> configs() {
        return Combinators.combine(FormatArbitraries.strings(120, true), FormatArbitraries.strings(120, true))
                .as(CatalogRecord.Config::new);
    }

    @Provide
    Arbitrary<CatalogRecord.MediaClassInfo> mediaClassInfos() {
        return Combinators.combine(
                        FormatArbitraries.classCodes(),
                        FormatArbitraries.uuids(),
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        FormatArbitraries.strings(120, true))
                .as(CatalogRecord.MediaClassInfo::new);
    }

    @Provide
    Arbitrary<CatalogRecord.Shard> shardRecords() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.integers())
                .as(CatalogRecord.Shard::new);
    }

    @Provide
    Arbitrary<CatalogRecord.Mblock> mblocks() {
        return Combinators.combine(
                        Arbitraries.longs(),
                        FormatArbitraries.classCodes(),
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.integers(),
                        Arbitraries.longs(),
                        Arbitraries.of(true, false))
                .as(CatalogRecord.Mblock::new);
    }

    @Provide
    Arbitrary<CatalogRecord.Mlog> mlogs() {
        return Combinators.combine(
                        Arbitraries.longs(),
                        FormatArbitraries.classCodes(),
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.longs())
                .as(CatalogRecord.Mlog::new);
    }

    @Provide
    Arbitrary<CatalogRecord.Mdc> mdcs() {
        return Combinators.combine(
                        Arbitraries.longs(),
                        FormatArbitraries.classCodes(),
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.longs())
                .as(CatalogRecord.Mdc::new);
    }

    @Provide
    Arbitrary<CatalogRecord.RootMdc> roots() {
        return Combinators.combine(FormatArbitraries.classCodes(), Arbitraries.longs(), Arbitraries.longs())
                .as(CatalogRecord.RootMdc::new);
    }

    @Provide
    Arbitrary<CatalogRecord> records() {
        return Arbitraries.oneOf(
                configs(),
                mediaClassInfos(),
                shardRecords(),
                mblocks(),
                mlogs(),
                mdcs(),
                roots(),
                Arbitraries.longs().map(CatalogRecord.Delete::new),
                Arbitraries.longs().map(CatalogRecord.IdReserve::new));
    }

    /** Records that name a media class: the byte offset of the class code in their encoding. */
    @Provide
    Arbitrary<CatalogRecord> recordsWithAClass() {
        return Arbitraries.oneOf(mediaClassInfos(), mblocks(), mlogs(), mdcs(), roots());
    }

    static CatalogRecord decode(byte[] bytes) {
        try {
            return CatalogRecord.decode(bytes);
        } catch (FormatException e) {
            throw new AssertionError("decode of " + HEX.formatHex(bytes) + " failed: " + e.getMessage(), e);
        }
    }

    static Throwable decodeFailure(byte[] bytes) {
        return catchThrowable(() -> CatalogRecord.decode(bytes));
    }

    // ---- round trips, one property per record type so each type gets its share of tries.

    @Property(tries = 300)
    void configRoundTrips(@ForAll("configs") CatalogRecord.Config r) {
        assertRoundTrip(r);
    }

    @Property(tries = 300)
    void mediaClassInfoRoundTrips(@ForAll("mediaClassInfos") CatalogRecord.MediaClassInfo r) {
        assertRoundTrip(r);
    }

    @Property(tries = 300)
    void shardRoundTrips(@ForAll("shardRecords") CatalogRecord.Shard r) {
        assertRoundTrip(r);
    }

    @Property(tries = 300)
    void mblockRoundTrips(@ForAll("mblocks") CatalogRecord.Mblock r) {
        assertRoundTrip(r);
    }

    @Property(tries = 300)
    void mlogRoundTrips(@ForAll("mlogs") CatalogRecord.Mlog r) {
        assertRoundTrip(r);
    }

    @Property(tries = 300)
    void mdcRoundTrips(@ForAll("mdcs") CatalogRecord.Mdc r) {
        assertRoundTrip(r);
    }

    @Property(tries = 300)
    void rootMdcRoundTrips(@ForAll("roots") CatalogRecord.RootMdc r) {
        assertRoundTrip(r);
    }

    /** Version-1 pools hold MBLOCK and MLOG records of types 10 and 11, without an owner: they decode, owner 0. */
    @Example
    void versionOneRecordsStillDecodeWithOwnerZero() throws FormatException {
        byte[] mblockV1 =
                HEX.parseHex("0a" + "0111000000000000" + "00" + "0700000000000000" + "0010000000000000" + "ffffffff");
        assertThat(CatalogRecord.decode(mblockV1))
                .as("MBLOCK_V1")
                .isEqualTo(new CatalogRecord.Mblock(0x1101, 0, 7, 4096, -1, 0));
        byte[] mlogV1 = HEX.parseHex("0b" + "0112000000000000" + "01" + "0900000000000000" + "0200000000000000");
        assertThat(CatalogRecord.decode(mlogV1)).as("MLOG_V1").isEqualTo(new CatalogRecord.Mlog(0x1201, 1, 9, 2, 0));
        for (byte[] v1 : new byte[][] {mblockV1, mlogV1}) {
            byte[] longer = Arrays.copyOf(v1, v1.length + 8);
            assertThat(decodeFailure(longer))
                    .as("a version-1 record with an owner's 8 bytes more")
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("stray bytes");
        }
    }

    @Property(tries = 300)
    void deleteRoundTrips(@ForAll long id) {
        assertRoundTrip(new CatalogRecord.Delete(id));
    }

    @Property(tries = 300)
    void idReserveRoundTrips(@ForAll long next) {
        assertRoundTrip(new CatalogRecord.IdReserve(next));
    }

    static void assertRoundTrip(CatalogRecord r) {
        byte[] bytes = CatalogRecord.encode(r);
        assertThat(decode(bytes))
                .as("decode(encode(%s)) from %s", r, HEX.formatHex(bytes))
                .isEqualTo(r);
    }

    /** The field layout of FORMAT.md §5, byte by byte, for one record of each type. */
    @Example
    void encodingsMatchTheDocumentedLayout() {
        UUID dev = new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Config("k", "é"))))
                .as("CONFIG k=é")
                .isEqualTo("01" + "0100" + "6b" + "0200" + "c3a9");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.MediaClassInfo(1, dev, 1 << 20, 3, "/d"))))
                .as("MEDIA_CLASS")
                .isEqualTo("02" + "01" + "0807060504030201" + "100f0e0d0c0b0a09" + "0000100000000000"
                        + "0300000000000000" + "0200" + "2f64");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Shard(255, 1, 2, 0x01020304))))
                .as("SHARD")
                .isEqualTo("03" + "ff" + "0100000000000000" + "0200000000000000" + "04030201");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.RootMdc(0, 5, 2))))
                .as("ROOT_MDC")
                .isEqualTo("04" + "00" + "0500000000000000" + "0200000000000000");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Mblock(0x1101, 0, 7, 4096, -1, 0x0102))))
                .as("MBLOCK")
                .isEqualTo("0e" + "0111000000000000" + "00" + "0700000000000000" + "0010000000000000" + "ffffffff"
                        + "0201000000000000");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Mblock(0x1101, 0, 7, 4096, -1, 0x0102, true))))
                .as("MBLOCK_CHUNKED")
                .isEqualTo("11" + "0111000000000000" + "00" + "0700000000000000" + "0010000000000000" + "ffffffff"
                        + "0201000000000000");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Mlog(0x1201, 1, 9, 2, -1))))
                .as("MLOG")
                .isEqualTo("0f" + "0112000000000000" + "01" + "0900000000000000" + "0200000000000000"
                        + "ffffffffffffffff");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Mdc(0x1301, 0, 11, 3, 7))))
                .as("MDC")
                .isEqualTo("10" + "0113000000000000" + "00" + "0b00000000000000" + "0300000000000000"
                        + "0700000000000000");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.Delete(-1))))
                .as("DELETE")
                .isEqualTo("0c" + "ffffffffffffffff");
        assertThat(HEX.formatHex(CatalogRecord.encode(new CatalogRecord.IdReserve(0x8000_0000_0000_0000L))))
                .as("ID_RESERVE")
                .isEqualTo("0d" + "0000000000000080");
    }

    /** Strings take a u16 byte count: the longest, 65535 bytes, in every UTF-8 width, round-trips. */
    @Example
    void stringsOfTheLargestLengthRoundTrip() {
        String ascii = "a".repeat(0xFFFF);
        String twoByte = "é".repeat(0x7FFF) + "a"; // 65534 + 1
        String threeByte = "€".repeat(0x5555); // 3 * 21845 = 65535
        String fourByte = "😀".repeat(0x3FFF) + "abc"; // 4 * 16383 + 3 = 65535
        for (String s : List.of(ascii, twoByte, threeByte, fourByte)) {
            assertThat(FormatArbitraries.utf8Bytes(s))
                    .as("UTF-8 bytes of the test string")
                    .isEqualTo(0xFFFF);
            assertRoundTrip(new CatalogRecord.Config(s, s));
            assertRoundTrip(new CatalogRecord.MediaClassInfo(MediaClassCodes.STAGING, new UUID(1, 2), 1, 2, s));
        }
    }

    @Example
    void everyKnownMediaClassCodeRoundTripsInEveryRecordThatNamesOne() {
        assertThat(FormatArbitraries.knownClassCodes())
                .as("known media class codes")
                .contains(MediaClassCodes.CAPACITY, MediaClassCodes.STAGING);
        for (int code : FormatArbitraries.knownClassCodes()) {
            assertRoundTrip(new CatalogRecord.MediaClassInfo(code, new UUID(-1, -1), -1, -1, "/dev/x"));
            assertRoundTrip(new CatalogRecord.Mblock(-1, code, -1, -1, -1, 0));
            assertRoundTrip(new CatalogRecord.Mlog(-1, code, -1, -1, 0));
        }
    }

    // ---- rejections

    @Property(tries = 100)
    void everyUnknownTypeIsRejected(@ForAll @Size(max = 64) byte[] rest) {
        for (int type = 0; type < 256; type++) {
            if (TYPES.contains((int) (byte) type)) {
                continue;
            }
            byte[] bytes = new byte[1 + rest.length];
            bytes[0] = (byte) type;
            System.arraycopy(rest, 0, bytes, 1, rest.length);
            assertThat(decodeFailure(bytes))
                    .as("decode of unknown type %d: %s", type, HEX.formatHex(bytes))
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("unknown catalog record type");
        }
    }

    @Example
    void theEmptyRecordIsRejected() {
        assertThat(decodeFailure(new byte[0])).as("decode of no bytes").isInstanceOf(FormatException.class);
    }

    @Property(tries = 300)
    void everyTruncationIsRejected(@ForAll("records") CatalogRecord r) {
        byte[] bytes = CatalogRecord.encode(r);
        for (int n = 0; n < bytes.length; n++) {
            byte[] prefix = Arrays.copyOf(bytes, n);
            assertThat(decodeFailure(prefix))
                    .as("decode of the first %d of %d bytes of %s", n, bytes.length, r)
                    .isInstanceOf(FormatException.class);
        }
    }

    @Property(tries = 300)
    void strayTrailingBytesAreRejected(
            @ForAll("records") CatalogRecord r, @ForAll @Size(min = 1, max = 16) byte[] stray) {
        byte[] bytes = CatalogRecord.encode(r);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + stray.length);
        System.arraycopy(stray, 0, longer, bytes.length, stray.length);
        assertThat(decodeFailure(longer))
                .as("decode of %s followed by %s", r, HEX.formatHex(stray))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("stray bytes");
    }

    @Property(tries = 100)
    void everyUnknownMediaClassCodeIsRejected(@ForAll("recordsWithAClass") CatalogRecord r) {
        byte[] bytes = CatalogRecord.encode(r);
        int at = classCodeOffset(r);
        assertThat(Byte.toUnsignedInt(bytes[at]))
                .as("class code byte of %s", r)
                .isIn(FormatArbitraries.knownClassCodes());
        for (int code : FormatArbitraries.unknownClassCodes()) {
            bytes[at] = (byte) code;
            assertThat(decodeFailure(bytes))
                    .as("decode of %s with class code %d", r, code)
                    .isInstanceOf(FormatException.class)
                    .hasMessageContaining("unknown media class");
        }
    }

    private static int classCodeOffset(CatalogRecord r) {
        return switch (r) {
            case CatalogRecord.MediaClassInfo m -> 1;
            case CatalogRecord.Mblock m -> 1 + 8;
            case CatalogRecord.Mlog m -> 1 + 8;
            case CatalogRecord.Mdc m -> 1 + 8;
            case CatalogRecord.RootMdc m -> 1;
            default -> throw new IllegalArgumentException("no class code in " + r);
        };
    }
}
