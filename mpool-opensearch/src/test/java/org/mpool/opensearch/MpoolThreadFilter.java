package org.mpool.opensearch;

import com.carrotsearch.randomizedtesting.ThreadFilter;

/**
 * mpool's daemon threads ({@code mpool-reaper}, {@code mpool-prefetch}, {@code mpool-log-writer})
 * are per process and end a moment after the last pool closes (the log writers after 500 ms idle);
 * OpenSearch's leak check may look before that. They hold no shard state.
 */
public final class MpoolThreadFilter implements ThreadFilter {
    @Override
    public boolean reject(Thread t) {
        return t.getName().startsWith("mpool-");
    }
}
