package org.mpool.format;

/**
 * The 64 bits of an object id, as stored in catalog records (u64, little-endian) and used as
 * the log id that seeds an mlog's checksums. As in mpool:
 *
 * <pre>
 *  63                                              12 11      8 7        0
 * +--------------------------------------------------+---------+----------+
 * | uniquifier (52 bits): never reused within a pool  |  type   |  shard   |
 * +--------------------------------------------------+---------+----------+
 *   type: 1 mblock, 2 mlog, 3 MDC (0 and 4..15: not an object id; 4 seeds an MDC's second log)
 *   shard: the metadata shard MDC-1..255 that records the object (0: not an object id)
 * </pre>
 *
 * <p>Metadata log ids ({@link LogIds}) have uniquifier 0, which no object is given, so they
 * never equal an object id. An MDC's two logs are seeded with its id and with the same bits
 * of type 4 ({@link #mdcLogId}), which no object has.
 */
public final class ObjectIdBits {
    public static final int TYPE_SHIFT = 8;
    public static final int UNIQUIFIER_SHIFT = 12;
    public static final long SHARD_MASK = 0xFF;
    public static final long TYPE_MASK = 0xF;
    public static final int TYPE_MBLOCK = 1;
    public static final int TYPE_MLOG = 2;
    public static final int TYPE_MDC = 3;
    /** Not an object type: the type bits of the id that seeds an MDC's second log. */
    public static final int TYPE_MDC_SECOND_LOG = 4;
    /** Uniquifiers are below this. */
    public static final long UNIQUIFIER_LIMIT = 1L << (64 - UNIQUIFIER_SHIFT);

    public static final int MAX_SHARD = 255;

    private ObjectIdBits() {}

    public static long pack(long uniquifier, int typeCode, int shard) {
        assert uniquifier >= 0 && uniquifier < UNIQUIFIER_LIMIT : uniquifier;
        assert isKnownType(typeCode) : typeCode;
        assert shard >= 1 && shard <= MAX_SHARD : shard;
        return uniquifier << UNIQUIFIER_SHIFT | (long) typeCode << TYPE_SHIFT | shard;
    }

    public static long uniquifier(long id) {
        return id >>> UNIQUIFIER_SHIFT;
    }

    public static int typeCode(long id) {
        return (int) ((id >>> TYPE_SHIFT) & TYPE_MASK);
    }

    public static int shard(long id) {
        return (int) (id & SHARD_MASK);
    }

    public static boolean isKnownType(int typeCode) {
        return typeCode == TYPE_MBLOCK || typeCode == TYPE_MLOG || typeCode == TYPE_MDC;
    }

    /** The id that seeds log {@code which} (0 or 1) of MDC {@code mdcId}: the MDC's id, then its bits with type 4. */
    public static long mdcLogId(long mdcId, int which) {
        assert typeCode(mdcId) == TYPE_MDC : toString(mdcId);
        assert which == 0 || which == 1 : which;
        return which == 0 ? mdcId : (mdcId & ~(TYPE_MASK << TYPE_SHIFT)) | (long) TYPE_MDC_SECOND_LOG << TYPE_SHIFT;
    }

    /** Whether {@code id} has the bits of an object id: a known type and a shard. */
    public static boolean isObjectId(long id) {
        return isKnownType(typeCode(id)) && shard(id) != 0;
    }

    /** The form ids are printed in everywhere: {@code 0x} and 16 hex digits. */
    public static String toString(long id) {
        return String.format("0x%016x", id);
    }
}
