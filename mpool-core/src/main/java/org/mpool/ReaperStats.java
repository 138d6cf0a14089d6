package org.mpool;

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
public record ReaperStats(long scans, long evictions, long ttlEvictions, long evictedBytes, long residentBytes,
                          long budgetBytes, int liveMaps, long errors) {}
