package org.mpool.opensearch;

import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.test.IndexSettingsModule;

/** Index settings for factory tests outside a cluster. */
final class TestIndexSettings {
    private TestIndexSettings() {}

    static IndexSettings indexSettings() {
        Settings s = Settings.builder()
                .put("index.store.type", MpoolStoreSettings.STORE_TYPE)
                .put(MpoolStoreSettings.POOL_SIZE.getKey(), "128mb")
                .put(MpoolStoreSettings.MBLOCK_SIZE.getKey(), "1mb")
                .build();
        return IndexSettingsModule.newIndexSettings(
                "test", s, MpoolStoreSettings.POOL_SIZE, MpoolStoreSettings.MBLOCK_SIZE, MpoolStoreSettings.PRELOAD);
    }
}
