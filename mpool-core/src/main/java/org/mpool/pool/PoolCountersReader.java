package org.mpool.pool;

import java.util.Optional;
import java.util.UUID;
import org.mpool.common.PoolCounters;

/** Reads the counters another process published for a pool (see {@link CounterPublication}). */
public final class PoolCountersReader {
    private PoolCountersReader() {}

    public static Optional<PoolCounters> read(UUID poolUuid) {
        return CounterPublication.read(poolUuid);
    }
}
