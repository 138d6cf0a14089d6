package org.mpool.format;

/**
 * The ids of the pool's metadata logs, which seed their checksums as an object id seeds an
 * mlog's. They are all below 0x1000, so their uniquifier ({@link ObjectIdBits}) is 0, which no
 * object is given (shards hand out uniquifiers from 1): they never equal an object id. Their
 * type bits are not all 0: from shard 112 on, 0x20 + 2*s + w reaches bit 8 (shard 255's log 1,
 * 0x21f, has the bits of an mlog id of shard 31), so {@link ObjectIdBits#isObjectId} alone does
 * not tell them apart.
 *
 * <pre>
 *   MDC-0 (pool configuration)  log 0: 0x10   log 1: 0x11
 *   shard s (MDC-s, 1..255)     log w: 0x20 + 2*s + w   (0x22 .. 0x21f)
 * </pre>
 */
public final class LogIds {
    public static final long MDC0 = 0x10;
    /** The root MDC's logs: 0x12 and 0x13. */
    public static final long ROOT_MDC = 0x12;

    private static final long SHARD_BASE = 0x20;

    private LogIds() {}

    /** Log {@code which} (0 or 1) of MDC-0. */
    public static long mdc0(int which) {
        assert which == 0 || which == 1 : which;
        return MDC0 + which;
    }

    /** Log {@code which} (0 or 1) of the root MDC. */
    public static long rootMdc(int which) {
        assert which == 0 || which == 1 : which;
        return ROOT_MDC + which;
    }

    /** Log {@code which} (0 or 1) of shard {@code shard}. */
    public static long shard(int shard, int which) {
        assert shard >= 1 && shard <= ObjectIdBits.MAX_SHARD : shard;
        assert which == 0 || which == 1 : which;
        return SHARD_BASE + 2L * shard + which;
    }
}
