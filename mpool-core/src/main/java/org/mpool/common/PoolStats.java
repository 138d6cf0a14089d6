package org.mpool.common;

import java.util.Map;

/**
 * Usage of a pool, per media class.
 *
 * @param classes usage of each media class the pool has
 * @param mblocks committed mblocks
 * @param mlogs committed mlogs
 * @param shards metadata shards (MDC-1..N)
 */
public record PoolStats(Map<MediaClass, ClassStats> classes, long mblocks, long mlogs, int shards) {
    /**
     * @param totalBytes bytes of all zones
     * @param usedBytes bytes of zones owned by objects and metadata
     * @param freeBytes bytes of free zones, spare included
     * @param spareBytes bytes of free zones only metadata may use
     * @param mblockSizeBytes the class's fixed mblock (zone) size
     */
    public record ClassStats(long totalBytes, long usedBytes, long freeBytes, long spareBytes, long mblockSizeBytes) {}

    /**
     * What the reaper has done for one pool since it was opened.
     *
     * @param scans scans of the pool's maps (periodic, and those a willNeed asked for)
     * @param evictions mblock ranges whose pages were dropped (for the budget or the TTL)
     * @param ttlEvictions those of {@code evictions} dropped because they were idle past the TTL
     * @param evictedBytes resident bytes those ranges held when they were dropped
     * @param residentBytes page cache held by the pool's maps at the end of the last scan
     * @param budgetBytes the budget in force
     * @param liveMaps maps open now
     * @param errors scans that failed (the reaper keeps going; the failure is not lost silently)
     */
    public record ReaperStats(
            long scans,
            long evictions,
            long ttlEvictions,
            long evictedBytes,
            long residentBytes,
            long budgetBytes,
            int liveMaps,
            long errors) {}
}
