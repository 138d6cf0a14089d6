package org.mpool.common;

import java.util.Map;

/**
 * Usage of a pool, per media class.
 *
 * @param classes usage of each media class the pool has
 * @param mblocks committed mblocks
 * @param mlogs committed mlogs
 * @param mdcs committed MDCs (the root MDC not counted)
 * @param shards metadata shards (MDC-1..N)
 * @param reaper what the reaper has done for the pool's maps
 * @param counters what this open of the pool has counted since it opened, each counter by its
 *     stable name in a fixed order: device calls and bytes (deviceReads, deviceReadBytes,
 *     deviceWrites, deviceWriteBytes, deviceFlushes, deviceDiscards, deviceDiscardBytes,
 *     deviceErrors), logFlushRounds and logFlushRecords, commits, deletes, discardFailures,
 *     catalogCompactions, reaperScans, reaperEvictions, reaperEvictedBytes, grows
 *     (docs/OBSERVABILITY.md)
 */
public record PoolStats(
        Map<MediaClass, ClassStats> classes,
        long mblocks,
        long mlogs,
        long mdcs,
        int shards,
        Reaper.Stats reaper,
        Map<String, Long> counters) {
    /**
     * @param totalBytes bytes of all zones
     * @param usedBytes bytes of zones owned by objects and metadata
     * @param freeBytes bytes of free zones, spare included
     * @param spareBytes bytes of free zones only metadata may use
     * @param mblockSizeBytes the class's fixed mblock (zone) size
     * @param mblocks committed mblocks in this class
     * @param mlogs committed mlogs in this class
     * @param mdcs committed MDCs in this class (the root MDC not counted)
     */
    public record ClassStats(
            long totalBytes,
            long usedBytes,
            long freeBytes,
            long spareBytes,
            long mblockSizeBytes,
            long mblocks,
            long mlogs,
            long mdcs) {
        /** What objects may still take: the free bytes beyond the spare (0 once data reaches the spare). */
        public long availableBytes() {
            return Math.max(0, freeBytes - spareBytes);
        }

        /** What objects may take in all: the total without the spare. */
        public long usableBytes() {
            return totalBytes - spareBytes;
        }
    }
}
