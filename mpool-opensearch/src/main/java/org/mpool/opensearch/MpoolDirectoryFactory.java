package org.mpool.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockFactory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.IOUtils;
import org.mpool.Mpool;
import org.mpool.lucene.MpoolDirectory;
import org.mpool.lucene.MpoolDirectoryOptions;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.shard.ShardPath;
import org.opensearch.index.store.FsDirectoryFactory;
import org.opensearch.plugins.IndexStorePlugin;

/**
 * Makes each shard's {@link ShardDirectory}: a pool file ({@code lucene.mpool}, sparse, sized by
 * {@code index.store.mpool.size}) in the shard's index folder, opened (and recovered) with the
 * shard's store and closed with it, plus the folder itself for the commit point.
 */
final class MpoolDirectoryFactory implements IndexStorePlugin.DirectoryFactory {
    private final NodePools pools;

    MpoolDirectoryFactory(NodePools pools) {
        this.pools = pools;
    }

    @Override
    public Directory newDirectory(IndexSettings indexSettings, ShardPath shardPath) throws IOException {
        Path location = shardPath.resolveIndex();
        LockFactory lockFactory = indexSettings.getValue(FsDirectoryFactory.INDEX_LOCK_FACTOR_SETTING);
        return newFSDirectory(location, lockFactory, indexSettings);
    }

    @Override
    public Directory newFSDirectory(Path location, LockFactory lockFactory, IndexSettings indexSettings)
            throws IOException {
        Files.createDirectories(location);
        MpoolDirectoryOptions options = new MpoolDirectoryOptions()
                .poolSizeBytes(
                        indexSettings.getValue(MpoolStoreSettings.POOL_SIZE).getBytes())
                .mblockSizeBytes(
                        indexSettings.getValue(MpoolStoreSettings.MBLOCK_SIZE).getBytes());
        FSDirectory plain = new NIOFSDirectory(location, lockFactory);
        MpoolDirectory data = null;
        try {
            data = new MpoolDirectory(location, lockFactory, options);
            Mpool pool = data.pool();
            pools.opened(pool);
            boolean preload = indexSettings.getValue(MpoolStoreSettings.PRELOAD);
            return new ShardDirectory(plain, data, preload, () -> pools.closed(pool));
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(data, plain);
            throw e;
        }
    }
}
