package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.mpool.ErrorCode;
import org.mpool.MediaClass;
import org.mpool.MpoolException;

/**
 * A device's superblock: who the device belongs to and how it is laid out. Each device holds
 * two copies, at byte 0 and byte 4096; the valid copy of higher generation wins. Updates
 * write copy 1, flush, then copy 0, flush, so a torn write always leaves one good copy. The
 * first 66 bytes are the layout util-linux's blkid probes (TYPE="mpool", LABEL, UUID).
 *
 * <pre>
 *   0 u64  magic "mpoolDev"                 ┐
 *   8 u8[32] pool name, NUL padded          │ read by blkid: CRC32C of
 *  40 u8[16] pool UUID (big-endian bytes)   │ bytes 0..61 at 62
 *  56 u16  format version                   │
 *  58 u32  generation                       │
 *  62 u32  crc32c(bytes 0..61)              ┘
 *  66 u16  0
 *  68 u8   media class of this device (0 capacity, 1 staging)
 *  69 u8   flags (bit 0: pool closed cleanly)
 *  70 u16  0
 *  72 u64  zone (mblock) size in bytes
 *  80 u64  zone count
 *  88 u8[16] device UUID
 * 104 u64  MDC-0 log 0 offset (capacity device; 0 elsewhere)
 * 112 u64  MDC-0 log capacity in bytes
 * 120 u64  creation time, ms since the epoch
 * 128 .. 251 zeros
 * 252 u32  crc32c(bytes 0..251)
 * </pre>
 */
public record Superblock(String poolName, UUID poolUuid, int version, long generation, MediaClass mediaClass,
                         boolean cleanlyClosed, long zoneBytes, long zoneCount, UUID deviceUuid,
                         long mdc0Offset, long mdc0LogBytes, long createdMillis) {
    public static final int VERSION = 1;
    public static final int SIZE = 4096;
    /** Offsets of the two copies. */
    public static final long[] COPY_OFFSETS = {0, SIZE};
    /** Bytes at the start of a device reserved for superblocks (the rest of zone 0 holds MDC-0). */
    public static final long RESERVED_BYTES = 64 * 1024;
    public static final int MAX_NAME_BYTES = 31;
    static final byte[] MAGIC = "mpoolDev".getBytes(StandardCharsets.US_ASCII);

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The outcome of decoding one copy. */
    public enum Check { VALID, BLANK, NOT_MPOOL, CORRUPT, NEWER_VERSION }

    /** Checks a pool name: 1 to 31 bytes of {@code [A-Za-z0-9_.-]}, not starting with '-' or '.'. */
    public static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_BYTES || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw MpoolException.invalid("invalid pool name '" + name + "': use 1 to " + MAX_NAME_BYTES
                    + " characters from A-Z a-z 0-9 _ . - (not starting with . or -)");
        }
    }

    public Superblock withGeneration(long g) {
        return new Superblock(poolName, poolUuid, version, g, mediaClass, cleanlyClosed, zoneBytes, zoneCount,
                deviceUuid, mdc0Offset, mdc0LogBytes, createdMillis);
    }

    public Superblock withName(String name) {
        return new Superblock(name, poolUuid, version, generation, mediaClass, cleanlyClosed, zoneBytes, zoneCount,
                deviceUuid, mdc0Offset, mdc0LogBytes, createdMillis);
    }

    public Superblock withCleanlyClosed(boolean clean) {
        return new Superblock(poolName, poolUuid, version, generation, mediaClass, clean, zoneBytes, zoneCount,
                deviceUuid, mdc0Offset, mdc0LogBytes, createdMillis);
    }

    /** Encodes into the first {@link #SIZE} bytes of {@code out} (which is zeroed first). */
    public void encode(MemorySegment out) {
        MemorySegment sb = out.asSlice(0, SIZE);
        sb.fill((byte) 0);
        MemorySegment.copy(MAGIC, 0, sb, ValueLayout.JAVA_BYTE, 0, 8);
        byte[] name = poolName.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(name, 0, sb, ValueLayout.JAVA_BYTE, 8, name.length);
        sb.set(BE64, 40, poolUuid.getMostSignificantBits());
        sb.set(BE64, 48, poolUuid.getLeastSignificantBits());
        sb.set(U16, 56, (short) version);
        sb.set(U32, 58, (int) generation);
        sb.set(U32, 62, crc(sb, 62));
        sb.set(ValueLayout.JAVA_BYTE, 68, (byte) mediaClass.ordinal());
        sb.set(ValueLayout.JAVA_BYTE, 69, (byte) (cleanlyClosed ? 1 : 0));
        sb.set(U64, 72, zoneBytes);
        sb.set(U64, 80, zoneCount);
        sb.set(BE64, 88, deviceUuid.getMostSignificantBits());
        sb.set(BE64, 96, deviceUuid.getLeastSignificantBits());
        sb.set(U64, 104, mdc0Offset);
        sb.set(U64, 112, mdc0LogBytes);
        sb.set(U64, 120, createdMillis);
        sb.set(U32, 252, crc(sb, 252));
    }

    /** Classifies a copy without decoding it. */
    public static Check check(MemorySegment in) {
        for (int i = 0; i < 8; i++) {
            if (in.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                for (int j = 0; j < 256; j++) {
                    if (in.get(ValueLayout.JAVA_BYTE, j) != 0) {
                        return Check.NOT_MPOOL;
                    }
                }
                return Check.BLANK;
            }
        }
        if (in.get(U32, 62) != crc(in, 62) || in.get(U32, 252) != crc(in, 252)) {
            return Check.CORRUPT;
        }
        if (Short.toUnsignedInt(in.get(U16, 56)) > VERSION) {
            return Check.NEWER_VERSION;
        }
        return Check.VALID;
    }

    /** Decodes a copy that {@link #check} found VALID. */
    public static Superblock decode(MemorySegment in) {
        byte[] nameBytes = in.asSlice(8, 32).toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < nameBytes.length && nameBytes[n] != 0) {
            n++;
        }
        int mc = in.get(ValueLayout.JAVA_BYTE, 68);
        if (mc < 0 || mc >= MediaClass.values().length) {
            throw new MpoolException(ErrorCode.CORRUPT, "superblock names unknown media class " + mc);
        }
        return new Superblock(new String(nameBytes, 0, n, StandardCharsets.UTF_8),
                new UUID(in.get(BE64, 40), in.get(BE64, 48)), Short.toUnsignedInt(in.get(U16, 56)),
                Integer.toUnsignedLong(in.get(U32, 58)), MediaClass.values()[mc],
                (in.get(ValueLayout.JAVA_BYTE, 69) & 1) != 0, in.get(U64, 72), in.get(U64, 80),
                new UUID(in.get(BE64, 88), in.get(BE64, 96)), in.get(U64, 104), in.get(U64, 112), in.get(U64, 120));
    }

    private static int crc(MemorySegment s, int length) {
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
