package org.mpool.pool;

import org.mpool.MpoolException;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.LogFormat;
import org.mpool.format.Superblock;

/**
 * Where metadata lives. Zone 0 of every device is reserved: its first 64 KiB hold the
 * superblocks; on the capacity device the rest of zone 0 holds MDC-0's two logs. Each shard
 * MDC-1..N has two logs of whole zones allocated from the capacity class at create.
 */
public final class Layout {
    public static final long MIN_MBLOCK = 1L << 20;
    public static final long MAX_MBLOCK = 64L << 20;
    /** Log ids that seed MDC checksums; object ids always have type bits set, so these never clash. */
    public static final long MDC0_LOG_ID = 0x10;
    private static final long SHARD_LOG_ID_BASE = 0x20;
    private static final long MAX_SHARD_LOG_BYTES = 32L << 20;

    private Layout() {}

    public static void checkMblockSize(long bytes, String what) {
        if (!AlignedBuffers.isPowerOfTwo(bytes) || bytes < MIN_MBLOCK || bytes > MAX_MBLOCK) {
            throw MpoolException.invalid(what + " must be a power of two from 1 MiB to 64 MiB, got " + bytes);
        }
    }

    /** Bytes of each MDC-0 log, which share zone 0 after the superblocks. */
    public static long mdc0LogBytes(long zoneBytes) {
        return AlignedBuffers.alignDown((zoneBytes - Superblock.RESERVED_BYTES) / 2, LogFormat.BLOCK_SIZE);
    }

    /** Zones per shard log: 1/128 of the device, at least one zone, at most 32 MiB. */
    public static int zonesPerShardLog(long deviceBytes, long zoneBytes) {
        long wanted = Math.min(MAX_SHARD_LOG_BYTES, deviceBytes / 128);
        return (int) Math.max(1, (wanted + zoneBytes - 1) / zoneBytes);
    }

    public static long shardLogId(int shard, int which) {
        return SHARD_LOG_ID_BASE + 2L * shard + which;
    }
}
