package org.mpool.common;

import java.util.Map;
import java.util.UUID;

/**
 * The counters a process published for a pool it opened for writing, read by another process
 * ({@code Mpool.publishedCounters}, {@code mpool show --stats}). The counters are those of
 * {@link PoolStats#counters()}: since that process opened the pool.
 *
 * @param pool the pool's UUID
 * @param pid the process that opened the pool
 * @param openedMillis when it opened it, ms since the epoch
 * @param closedMillis when it closed it (the counts are final), 0 if it did not (it still has the
 *     pool open, or it died)
 * @param live the process still has the pool open: it holds the pool's lock and has not closed it
 * @param counters each counter by its stable name, in a fixed order
 */
public record PoolCounters(
        UUID pool, long pid, long openedMillis, long closedMillis, boolean live, Map<String, Long> counters) {}
