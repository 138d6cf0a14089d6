package org.mpool.opensearch;

import java.util.IdentityHashMap;
import java.util.Map;
import org.mpool.Mpool;
import org.mpool.common.Reaper;

/**
 * The pools one node has open (one per shard copy), and the node's page-cache budget shared among
 * them: each gets an even share, recomputed whenever a pool opens or closes, with a floor so that a
 * node with very many shards still keeps a working set per shard.
 */
final class NodePools {
    /** No pool's share goes below this, whatever the number of shards. */
    static final long MIN_SHARE_BYTES = 16L << 20;

    private final long budgetBytes;
    /** Open pools, counted (two directories on one shard path share one pool). */
    private final Map<Mpool, Integer> pools = new IdentityHashMap<>();

    NodePools(long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("a node's page-cache budget must be positive, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    synchronized int openPools() {
        return pools.size();
    }

    /** What each pool may hold when {@code pools} are open. */
    static long shareBytes(long budgetBytes, int pools) {
        assert pools > 0;
        return Math.max(MIN_SHARE_BYTES, budgetBytes / pools);
    }

    /** A shard's directory opened {@code pool}; if the shares cannot be set, nothing is counted. */
    synchronized void opened(Mpool pool) {
        pools.merge(pool, 1, Integer::sum);
        try {
            rebalance();
        } catch (RuntimeException e) {
            forget(pool);
            throw e;
        }
    }

    /** A shard's directory on {@code pool} closed; the others' shares grow. */
    synchronized void closed(Mpool pool) {
        assert pools.containsKey(pool) : "a pool closed that was not opened here";
        forget(pool);
        rebalance();
    }

    private void forget(Mpool pool) {
        Integer n = pools.get(pool);
        if (n == null) {
            return;
        }
        if (n == 1) {
            pools.remove(pool);
        } else {
            pools.put(pool, n - 1);
        }
    }

    private void rebalance() {
        if (pools.isEmpty()) {
            return;
        }
        long share = shareBytes(budgetBytes, pools.size());
        assert share >= MIN_SHARE_BYTES && (share * pools.size() <= budgetBytes || share == MIN_SHARE_BYTES);
        for (Mpool pool : pools.keySet()) {
            Reaper.Config c = pool.reaperConfig();
            if (c.budgetBytes() != share) {
                pool.setReaperConfig(c.withBudgetBytes(share));
            }
        }
    }
}
