package org.mpool.pool;

import java.util.UUID;
import org.mpool.common.MpoolException;
import org.mpool.format.CatalogRecord;
import org.mpool.format.LogIds;
import org.mpool.format.ObjectIdBits;
import org.mpool.format.Superblock;
import org.mpool.format.ZoneZero;
import org.mpool.log.LogSpec;

/**
 * Where every log of a pool lives, and the sizes that decide it. MDC-0's two logs share zone
 * 0 of the capacity device after the superblocks ({@link ZoneZero}); each shard MDC-1..N has
 * two logs of whole zones allocated from the capacity class at create; an mlog is its whole
 * zones. Every log is seeded with the pool's UUID and its own id ({@link LogIds}, or the
 * mlog's object id).
 */
public final class Layout {
    public static final long MIN_MBLOCK_BYTES = 1L << 20;
    public static final long MAX_MBLOCK_BYTES = 64L << 20;
    public static final int MAX_SHARDS = ObjectIdBits.MAX_SHARD;
    /** MDC-0 is small and rarely written: a small write buffer. */
    static final int MDC0_BUFFER_BYTES = 64 * 1024;
    /** Shard logs take every commit record: a buffer that holds a burst of group commits. */
    static final int SHARD_BUFFER_BYTES = 256 * 1024;
    /** A shard log takes this share of the capacity device... */
    private static final int SHARD_LOG_SHARE = 128;
    /** ...but no more than this: compaction keeps a shard's live records far smaller. */
    private static final long MAX_SHARD_LOG_BYTES = 32L << 20;
    /** Each log of the root MDC holds at least this: a client's manifest, compacted as it grows. */
    private static final long ROOT_MDC_LOG_BYTES = 1L << 20;

    private Layout() {}

    public static void checkMblockSize(long bytes, String what) {
        if (Long.bitCount(bytes) != 1 || bytes < MIN_MBLOCK_BYTES || bytes > MAX_MBLOCK_BYTES) {
            throw MpoolException.invalid(what + " must be a power of two from 1 MiB to 64 MiB, got " + bytes);
        }
    }

    /** Zones per shard log: 1/128 of the device, at least one zone, at most 32 MiB. */
    static int zonesPerShardLog(long deviceBytes, long zoneBytes) {
        long wanted = Math.min(MAX_SHARD_LOG_BYTES, deviceBytes / SHARD_LOG_SHARE);
        return (int) Math.max(1, (wanted + zoneBytes - 1) / zoneBytes);
    }

    /** The fewest zones a capacity device needs: zone 0, the shard logs, the root MDC, and one for data. */
    static long minimumZones(int shards, int zonesPerLog, long zoneBytes) {
        return 1 + 2L * shards * zonesPerLog + 2 * rootMdcZonesPerLog(zoneBytes) + 1;
    }

    /** Zones per log of the root MDC: at least 1 MiB. */
    static long rootMdcZonesPerLog(long zoneBytes) {
        return zonesFor(ROOT_MDC_LOG_BYTES, zoneBytes);
    }

    /** Whole zones holding at least {@code bytes}; INVALID_ARGUMENT if that many cannot exist. */
    static long zonesFor(long bytes, long zoneBytes) {
        if (bytes <= 0 || bytes > Long.MAX_VALUE - zoneBytes) {
            throw MpoolException.invalid("a capacity of " + bytes + " bytes is not possible");
        }
        return (bytes + zoneBytes - 1) / zoneBytes;
    }

    /** Log {@code which} of MDC-0, as the capacity superblock places it. */
    static LogSpec mdc0(PoolDevice capacity, int which) {
        Superblock sb = capacity.superblock();
        long offset = ZoneZero.mdc0LogOffset(sb.mdc0Offset(), sb.mdc0LogBytes(), which);
        return new LogSpec(
                capacity.device(),
                offset,
                sb.mdc0LogBytes(),
                sb.poolUuid(),
                LogIds.mdc0(which),
                MDC0_BUFFER_BYTES,
                capacity.counters());
    }

    /** Log {@code which} of shard {@code s}. */
    static LogSpec shard(PoolDevice capacity, CatalogRecord.Shard s, int which) {
        Superblock sb = capacity.superblock();
        long zone = which == 0 ? s.log0Zone() : s.log1Zone();
        return new LogSpec(
                capacity.device(),
                zone * sb.zoneBytes(),
                s.zonesPerLog() * sb.zoneBytes(),
                sb.poolUuid(),
                LogIds.shard(s.shard(), which),
                SHARD_BUFFER_BYTES,
                capacity.counters());
    }

    /** Log {@code which} of the root MDC, where its ROOT_MDC record places it. */
    static LogSpec rootMdc(PoolDevice capacity, CatalogRecord.RootMdc root, int which) {
        Superblock sb = capacity.superblock();
        long first = root.firstZone() + which * root.zonesPerLog();
        return new LogSpec(
                capacity.device(),
                first * sb.zoneBytes(),
                root.zonesPerLog() * sb.zoneBytes(),
                sb.poolUuid(),
                LogIds.rootMdc(which),
                MDC0_BUFFER_BYTES,
                capacity.counters());
    }

    /** Log {@code which} of MDC {@code id}: its zones {@code [first + which * n, first + (which + 1) * n)}. */
    static LogSpec mdc(PoolDevice device, UUID pool, long id, long firstZone, long zonesPerLog, int which) {
        long zoneBytes = device.zoneBytes();
        return new LogSpec(
                device.device(),
                (firstZone + which * zonesPerLog) * zoneBytes,
                zonesPerLog * zoneBytes,
                pool,
                ObjectIdBits.mdcLogId(id, which),
                LogSpec.DEFAULT_BUFFER_BYTES,
                device.counters());
    }

    /** The extent of mlog {@code id}: {@code zones} zones from {@code firstZone} of {@code device}. */
    static LogSpec mlog(PoolDevice device, UUID pool, long id, long firstZone, long zones) {
        long zoneBytes = device.superblock().zoneBytes();
        return new LogSpec(
                device.device(),
                firstZone * zoneBytes,
                zones * zoneBytes,
                pool,
                id,
                LogSpec.DEFAULT_BUFFER_BYTES,
                device.counters());
    }
}
