package org.mpool.format;

/**
 * Zone 0 of every device of a pool is reserved for metadata. Its first 64 KiB hold the two
 * superblock copies; on the capacity device the rest holds MDC-0's two logs, each half of
 * what is left, in whole log blocks. Zones are the class's mblock size (1 to 64 MiB).
 *
 * <pre>
 * capacity device, zone 0                                staging device, zone 0
 * +---------+---------+---------+---------+---------+    +---------+---------+-------------+
 * | SB 0    | SB 1    | zeros   | MDC-0   | MDC-0   |    | SB 0    | SB 1    | unused      |
 * | @0      | @4096   | ..64KiB | log 0   | log 1   |    |         |         |             |
 * +---------+---------+---------+---------+---------+    +---------+---------+-------------+
 * zones 1..N: shard logs (two per shard, whole zones), mblocks (one zone), mlogs (whole zones)
 * </pre>
 *
 * <p>Where MDC-0's logs are is also written in the capacity superblock (bytes 104 and 112), so
 * open reads it from there rather than computing it.
 */
public final class ZoneZero {
    /** Bytes at the start of a device reserved for the superblocks. */
    public static final long RESERVED_BYTES = 64 * 1024;

    private ZoneZero() {}

    /** Bytes of each MDC-0 log in a zone of {@code zoneBytes}. */
    public static long mdc0LogBytes(long zoneBytes) {
        long half = (zoneBytes - RESERVED_BYTES) / 2;
        return half - half % LogFormat.BLOCK_SIZE;
    }

    /** Offset of MDC-0's log {@code which} (0 or 1), given the first's offset and the log size. */
    public static long mdc0LogOffset(long firstLogOffset, long logBytes, int which) {
        assert which == 0 || which == 1 : which;
        return firstLogOffset + which * logBytes;
    }
}
