package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * A device's superblock: who the device belongs to and how it is laid out. The first 66 bytes
 * are what util-linux's blkid probes (TYPE="mpool", LABEL, UUID). Little-endian, except the two
 * UUIDs, which are stored in RFC 4122 byte order (big-endian), as blkid prints them.
 *
 * <pre>
 *   0 u64     magic "mpoolDev"                 ┐
 *   8 u8[32]  pool name, UTF-8, NUL padded     │ read by blkid; CRC32C of
 *  40 u8[16]  pool UUID (RFC 4122 order)       │ bytes 0..61 at 62
 *  56 u16     format version                   │
 *  58 u32     generation                       │
 *  62 u32     crc32c(bytes 0..61)              ┘
 *  66 u16     0
 *  68 u8      media class code of this device ({@link MediaClassCodes})
 *  69 u8      flags (bit 0: pool closed cleanly)
 *  70 u16     0
 *  72 u64     zone (mblock) size in bytes
 *  80 u64     zone count
 *  88 u8[16]  device UUID (RFC 4122 order)
 * 104 u64     MDC-0 log 0 offset (capacity device; 0 elsewhere)
 * 112 u64     MDC-0 log capacity in bytes (capacity device; 0 elsewhere)
 * 120 u64     creation time, ms since the epoch
 * 128 .. 251  zeros
 * 252 u32     crc32c(bytes 0..251)
 * 256 .. 4095 zeros
 * </pre>
 *
 * <p>Each device holds two copies, at {@link #COPY_OFFSETS}: see {@link #newer} for which one a
 * reader takes and {@link #WRITE_ORDER} for how a writer updates them.
 */
public record Superblock(
        String poolName,
        UUID poolUuid,
        int version,
        long generation,
        int mediaClassCode,
        boolean cleanlyClosed,
        long zoneBytes,
        long zoneCount,
        UUID deviceUuid,
        long mdc0Offset,
        long mdc0LogBytes,
        long createdMillis) {
    /** The format version this code writes; it reads this and every older one. */
    public static final int VERSION = FormatVersion.CURRENT;

    public static final int SIZE = 4096;
    public static final int MAX_NAME_BYTES = 31;

    /**
     * Where the two copies are. A reader takes the valid copy of higher generation
     * ({@link #newer}). A writer writes the copies in {@link #WRITE_ORDER}, flushing after each:
     * a torn write then always leaves the other copy valid, and copy 0 (the one blkid reads) is
     * never the only one written.
     */
    public static final long[] COPY_OFFSETS = {0, SIZE};
    /** The order a writer updates the copies in (indexes into {@link #COPY_OFFSETS}), a flush after each. */
    public static final int[] WRITE_ORDER = {1, 0};

    public static final int OFF_MAGIC = 0;
    public static final int OFF_NAME = 8;
    public static final int NAME_FIELD_BYTES = 32;
    public static final int OFF_POOL_UUID = 40;
    public static final int OFF_VERSION = 56;
    public static final int OFF_GENERATION = 58;
    public static final int OFF_BLKID_CRC = 62;
    public static final int OFF_MEDIA_CLASS = 68;
    public static final int OFF_FLAGS = 69;
    public static final int OFF_ZONE_BYTES = 72;
    public static final int OFF_ZONE_COUNT = 80;
    public static final int OFF_DEVICE_UUID = 88;
    public static final int OFF_MDC0_OFFSET = 104;
    public static final int OFF_MDC0_LOG_BYTES = 112;
    public static final int OFF_CREATED = 120;
    public static final int OFF_CRC = 252;
    /** Bytes blkid reads before the CRC it checks. */
    public static final int BLKID_BYTES = OFF_BLKID_CRC;

    public static final int FLAG_CLEANLY_CLOSED = 1;
    static final byte[] MAGIC = "mpoolDev".getBytes(StandardCharsets.US_ASCII);

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The outcome of checking one copy. */
    public enum Check {
        VALID,
        /** All zeros where the magic and the next bytes would be: never written, or wiped. */
        BLANK,
        /** Something else: not an mpool device. */
        NOT_MPOOL,
        /** The magic, but a checksum fails or a field holds a value no version defines. */
        CORRUPT,
        /** Written by a newer format version than this code reads. */
        NEWER_VERSION
    }

    public Superblock {
        assert poolName.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES : poolName;
        assert MediaClassCodes.isKnown(mediaClassCode) : mediaClassCode;
        assert generation >= 0 && generation <= 0xFFFF_FFFFL : generation;
    }

    /** Whether {@code name} fits the name field (at most {@value #MAX_NAME_BYTES} bytes of UTF-8). */
    public static boolean fitsName(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
    }

    public Superblock withGeneration(long g) {
        return new Superblock(
                poolName,
                poolUuid,
                version,
                g,
                mediaClassCode,
                cleanlyClosed,
                zoneBytes,
                zoneCount,
                deviceUuid,
                mdc0Offset,
                mdc0LogBytes,
                createdMillis);
    }

    public Superblock withVersion(int v) {
        return new Superblock(
                poolName,
                poolUuid,
                v,
                generation,
                mediaClassCode,
                cleanlyClosed,
                zoneBytes,
                zoneCount,
                deviceUuid,
                mdc0Offset,
                mdc0LogBytes,
                createdMillis);
    }

    public Superblock withName(String name) {
        return new Superblock(
                name,
                poolUuid,
                version,
                generation,
                mediaClassCode,
                cleanlyClosed,
                zoneBytes,
                zoneCount,
                deviceUuid,
                mdc0Offset,
                mdc0LogBytes,
                createdMillis);
    }

    /** The device grown to {@code zones} zones (see docs/FORMAT.md §2: a grow writes this first). */
    public Superblock withZoneCount(long zones) {
        return new Superblock(
                poolName,
                poolUuid,
                version,
                generation,
                mediaClassCode,
                cleanlyClosed,
                zoneBytes,
                zones,
                deviceUuid,
                mdc0Offset,
                mdc0LogBytes,
                createdMillis);
    }

    public Superblock withCleanlyClosed(boolean clean) {
        return new Superblock(
                poolName,
                poolUuid,
                version,
                generation,
                mediaClassCode,
                clean,
                zoneBytes,
                zoneCount,
                deviceUuid,
                mdc0Offset,
                mdc0LogBytes,
                createdMillis);
    }

    /** Encodes into the first {@link #SIZE} bytes of {@code out} (which is zeroed first). */
    public void encode(MemorySegment out) {
        MemorySegment sb = out.asSlice(0, SIZE);
        sb.fill((byte) 0);
        MemorySegment.copy(MAGIC, 0, sb, ValueLayout.JAVA_BYTE, OFF_MAGIC, MAGIC.length);
        byte[] name = poolName.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(name, 0, sb, ValueLayout.JAVA_BYTE, OFF_NAME, name.length);
        sb.set(BE64, OFF_POOL_UUID, poolUuid.getMostSignificantBits());
        sb.set(BE64, OFF_POOL_UUID + 8, poolUuid.getLeastSignificantBits());
        sb.set(U16, OFF_VERSION, (short) version);
        sb.set(U32, OFF_GENERATION, (int) generation);
        sb.set(U32, OFF_BLKID_CRC, crc(sb, OFF_BLKID_CRC));
        sb.set(ValueLayout.JAVA_BYTE, OFF_MEDIA_CLASS, (byte) mediaClassCode);
        sb.set(ValueLayout.JAVA_BYTE, OFF_FLAGS, (byte) (cleanlyClosed ? FLAG_CLEANLY_CLOSED : 0));
        sb.set(U64, OFF_ZONE_BYTES, zoneBytes);
        sb.set(U64, OFF_ZONE_COUNT, zoneCount);
        sb.set(BE64, OFF_DEVICE_UUID, deviceUuid.getMostSignificantBits());
        sb.set(BE64, OFF_DEVICE_UUID + 8, deviceUuid.getLeastSignificantBits());
        sb.set(U64, OFF_MDC0_OFFSET, mdc0Offset);
        sb.set(U64, OFF_MDC0_LOG_BYTES, mdc0LogBytes);
        sb.set(U64, OFF_CREATED, createdMillis);
        sb.set(U32, OFF_CRC, crc(sb, OFF_CRC));
    }

    /** Classifies a copy without decoding it. */
    public static Check check(MemorySegment in) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get(ValueLayout.JAVA_BYTE, OFF_MAGIC + i) != MAGIC[i]) {
                for (int j = 0; j < 256; j++) {
                    if (in.get(ValueLayout.JAVA_BYTE, j) != 0) {
                        return Check.NOT_MPOOL;
                    }
                }
                return Check.BLANK;
            }
        }
        if (in.get(U32, OFF_BLKID_CRC) != crc(in, OFF_BLKID_CRC) || in.get(U32, OFF_CRC) != crc(in, OFF_CRC)) {
            return Check.CORRUPT;
        }
        if (Short.toUnsignedInt(in.get(U16, OFF_VERSION)) > VERSION) {
            return Check.NEWER_VERSION;
        }
        if (!MediaClassCodes.isKnown(in.get(ValueLayout.JAVA_BYTE, OFF_MEDIA_CLASS))) {
            return Check.CORRUPT;
        }
        return Check.VALID;
    }

    /** The format version a copy claims (read it only after {@link #check} found magic and CRCs sound). */
    public static int versionOf(MemorySegment in) {
        return Short.toUnsignedInt(in.get(U16, OFF_VERSION));
    }

    /** Decodes a copy that {@link #check} found VALID. */
    public static Superblock decode(MemorySegment in) {
        assert check(in) == Check.VALID;
        byte[] nameBytes = in.asSlice(OFF_NAME, NAME_FIELD_BYTES).toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < MAX_NAME_BYTES && nameBytes[n] != 0) {
            n++;
        }
        return new Superblock(
                new String(nameBytes, 0, n, StandardCharsets.UTF_8),
                new UUID(in.get(BE64, OFF_POOL_UUID), in.get(BE64, OFF_POOL_UUID + 8)),
                Short.toUnsignedInt(in.get(U16, OFF_VERSION)),
                Integer.toUnsignedLong(in.get(U32, OFF_GENERATION)),
                in.get(ValueLayout.JAVA_BYTE, OFF_MEDIA_CLASS),
                (in.get(ValueLayout.JAVA_BYTE, OFF_FLAGS) & FLAG_CLEANLY_CLOSED) != 0,
                in.get(U64, OFF_ZONE_BYTES),
                in.get(U64, OFF_ZONE_COUNT),
                new UUID(in.get(BE64, OFF_DEVICE_UUID), in.get(BE64, OFF_DEVICE_UUID + 8)),
                in.get(U64, OFF_MDC0_OFFSET),
                in.get(U64, OFF_MDC0_LOG_BYTES),
                in.get(U64, OFF_CREATED));
    }

    /**
     * Of two decoded copies (either may be null: not valid), the one a reader takes: the valid
     * copy of higher generation; copy 0 on a tie. Null if neither is valid.
     */
    public static Superblock newer(Superblock copy0, Superblock copy1) {
        if (copy0 == null || copy1 == null) {
            return copy0 != null ? copy0 : copy1;
        }
        return copy1.generation() > copy0.generation() ? copy1 : copy0;
    }

    private static int crc(MemorySegment s, int length) {
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
