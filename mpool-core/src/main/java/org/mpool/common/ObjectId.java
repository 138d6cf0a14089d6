package org.mpool.common;

import java.util.Locale;
import org.mpool.format.ObjectIdBits;

/**
 * A 64-bit object id, never reused within a pool. As in mpool: bits 12–63 a uniquifier, bits
 * 8–11 the object type, bits 0–7 the metadata shard (MDC-1..N) that records the object
 * (docs/FORMAT.md §5).
 */
public record ObjectId(long value) implements Comparable<ObjectId> {
    /** Object types, as stored in bits 8–11. */
    public enum Type {
        MBLOCK(ObjectIdBits.TYPE_MBLOCK),
        MLOG(ObjectIdBits.TYPE_MLOG),
        /** A metadata container: two logs of the pool, compacted by its client. */
        MDC(ObjectIdBits.TYPE_MDC);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** The type's code in bits 8–11 of an id. */
        public int code() {
            return code;
        }

        /** The word for it in messages: "mblock", "mlog". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw MpoolException.invalid("no object type has code " + code);
        }
    }

    public ObjectId {
        if (!ObjectIdBits.isObjectId(value)) {
            throw MpoolException.invalid("not an mpool object id: " + ObjectIdBits.toString(value));
        }
    }

    public static ObjectId of(long uniquifier, Type type, int shard) {
        if (uniquifier < 0
                || uniquifier >= ObjectIdBits.UNIQUIFIER_LIMIT
                || shard < 1
                || shard > ObjectIdBits.MAX_SHARD) {
            throw MpoolException.invalid("object id out of range: uniquifier " + uniquifier + ", shard " + shard);
        }
        return new ObjectId(ObjectIdBits.pack(uniquifier, type.code(), shard));
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
        return ObjectIdBits.uniquifier(value);
    }

    public Type type() {
        return Type.ofCode(ObjectIdBits.typeCode(value));
    }

    public int shard() {
        return ObjectIdBits.shard(value);
    }

    @Override
    public int compareTo(ObjectId o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return ObjectIdBits.toString(value);
    }
}
