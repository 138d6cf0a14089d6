package org.mpool.opensearch;

import java.util.List;
import java.util.Map;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.plugins.IndexStorePlugin;
import org.opensearch.plugins.Plugin;

/**
 * OpenSearch store plugin: {@code index.store.type: mpool} keeps each shard's Lucene files in a
 * pool of its own (docs/OPENSEARCH.md). One instance per node; it owns the node's share of page
 * cache among the pools ({@code mpool.reaper.budget}).
 */
public class MpoolStorePlugin extends Plugin implements IndexStorePlugin {
    private final NodePools pools;

    public MpoolStorePlugin(Settings settings) {
        String budget = MpoolStoreSettings.REAPER_BUDGET.get(settings);
        this.pools = new NodePools(MpoolStoreSettings.budgetBytes(budget, MpoolStoreSettings.ramBytes()));
    }

    @Override
    public List<Setting<?>> getSettings() {
        return MpoolStoreSettings.all();
    }

    @Override
    public Map<String, DirectoryFactory> getDirectoryFactories() {
        return Map.of(MpoolStoreSettings.STORE_TYPE, new MpoolDirectoryFactory(pools));
    }

    /** The pools this node has open: for tests and diagnostics. */
    NodePools pools() {
        return pools;
    }
}
