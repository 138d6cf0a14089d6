package org.mpool;

import java.util.HexFormat;

/**
 * A 64-bit object id, never reused within a pool. As in mpool: bits 12–63 a uniquifier, bits
 * 8–11 the object type, bits 0–7 the metadata shard (MDC-1..N) that owns the object.
 */
public record ObjectId(long value) implements Comparable<ObjectId> {
    /** Object types, as stored in bits 8–11. */
    public enum Type { MBLOCK, MLOG }

    private static final int TYPE_MBLOCK = 1;
    private static final int TYPE_MLOG = 2;

    public ObjectId {
        int t = (int) (value >>> 8) & 0xF;
        if ((t != TYPE_MBLOCK && t != TYPE_MLOG) || (value & 0xFF) == 0) {
            throw MpoolException.invalid("not an mpool object id: 0x" + Long.toHexString(value));
        }
    }

    public static ObjectId of(long uniquifier, Type type, int shard) {
        if (uniquifier < 0 || uniquifier >= (1L << 52) || shard < 1 || shard > 255) {
            throw MpoolException.invalid("object id out of range: uniquifier " + uniquifier + ", shard " + shard);
        }
        return new ObjectId(uniquifier << 12 | (long) (type == Type.MBLOCK ? TYPE_MBLOCK : TYPE_MLOG) << 8 | shard);
    }

    /** Parses the form {@link #toString()} prints: {@code 0x} and 16 hex digits (or fewer). */
    public static ObjectId parse(String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        try {
            return new ObjectId(Long.parseUnsignedLong(t, 16));
        } catch (NumberFormatException e) {
            throw MpoolException.invalid("not an object id: '" + text + "' (expected hex such as 0x0000000000001101)");
        }
    }

    public long uniquifier() {
        return value >>> 12;
    }

    public Type type() {
        return ((value >>> 8) & 0xF) == TYPE_MBLOCK ? Type.MBLOCK : Type.MLOG;
    }

    public int shard() {
        return (int) (value & 0xFF);
    }

    @Override
    public int compareTo(ObjectId o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().toHexDigits(value);
    }
}
