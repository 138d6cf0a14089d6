package org.mpool.opensearch.bench;

import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockFactory;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.shard.ShardPath;
import org.opensearch.plugins.IndexStorePlugin;
import org.opensearch.plugins.Plugin;

/**
 * The benchmark's ceiling: {@code index.store.type: bench-no-io} keeps a shard's Lucene files in
 * the heap (Lucene's ByteBuffersDirectory). No store can do less I/O, so what it gains over the
 * default store is the most any store could gain on this machine. Not durable, not for use: it
 * lives and dies with the benchmark's node (the translog still goes to disk).
 */
public class NoIoStorePlugin extends Plugin implements IndexStorePlugin {
    static final String STORE_TYPE = "bench-no-io";

    @Override
    public Map<String, DirectoryFactory> getDirectoryFactories() {
        return Map.of(STORE_TYPE, new DirectoryFactory() {
            @Override
            public Directory newDirectory(IndexSettings indexSettings, ShardPath shardPath) {
                return new ByteBuffersDirectory();
            }

            @Override
            public Directory newFSDirectory(Path location, LockFactory lockFactory, IndexSettings indexSettings) {
                return new ByteBuffersDirectory(lockFactory);
            }
        });
    }
}
