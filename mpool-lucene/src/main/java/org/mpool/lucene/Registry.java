package org.mpool.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.lucene.store.LockObtainFailedException;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * The directories open in this process: one {@link Store} per (pool, directory name), counted,
 * so that every {@link MpoolDirectory} on the same files shares one state, and the pool files
 * that directories opened themselves, counted, closed with the last directory on them. (A pool
 * is locked by the process that opens it: a second {@code Mpool.open} of the same file here
 * would be LOCKED.)
 */
final class Registry {
    /** The pool file a folder's directory keeps its files in. */
    static final String POOL_FILE = "lucene.mpool";
    /** The name of the directory in a pool file of its own. */
    static final String FOLDER_DIRECTORY = "index";

    private static final class SharedPool {
        final Mpool pool;
        int refs;

        SharedPool(Mpool pool) {
            this.pool = pool;
        }
    }

    private static final Map<Path, SharedPool> POOLS = new HashMap<>();
    private static final Map<Mpool, Map<String, Store>> STORES = new IdentityHashMap<>();

    private Registry() {}

    /** The store of the directory in the pool file of {@code folder} (made sparse if missing). */
    static synchronized Store acquireFolder(Path folder, MpoolDirectoryOptions o) throws IOException {
        Path file = folder.resolve(POOL_FILE).toAbsolutePath().normalize();
        SharedPool shared = POOLS.get(file);
        if (shared == null) {
            shared = new SharedPool(openOrCreate(file, o));
            POOLS.put(file, shared);
        }
        shared.refs++;
        try {
            Store s = acquire(shared.pool, FOLDER_DIRECTORY, o);
            s.ownsPool = true;
            return s;
        } catch (IOException | RuntimeException e) {
            releasePool(file);
            throw e;
        }
    }

    private static Mpool openOrCreate(Path file, MpoolDirectoryOptions o) throws IOException {
        try {
            if (Files.exists(file) && Mpool.probe(file).isEmpty()) {
                // A create that a crash cut short leaves a file without a superblock (the
                // superblock is written last): nothing in it was ever a pool.
                Files.delete(file);
            }
            if (!Files.exists(file)) {
                CreateOptions create = new CreateOptions()
                        .size(o.poolSizeBytes())
                        .mblockSize(o.mblockSizeBytes())
                        .shards(1) // one metadata log to flush: a sync is one flush of it
                        .label("lucene");
                return Mpool.create("lucene", file, create);
            }
            return Mpool.open(file);
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.LOCKED) {
                throw new LockObtainFailedException(
                        "the pool " + file + " is open in another process (" + e.getMessage() + ")", e);
            }
            throw Errors.io(e, "opening the pool " + file);
        }
    }

    /** The store of directory {@code name} of {@code pool}, opened (and recovered) by the first caller. */
    static synchronized Store acquire(Mpool pool, String name, MpoolDirectoryOptions o) throws IOException {
        Map<String, Store> stores = STORES.computeIfAbsent(pool, p -> new HashMap<>());
        Store s = stores.get(name);
        if (s == null) {
            try {
                s = Store.open(pool, name, o);
            } catch (IOException | RuntimeException e) {
                if (stores.isEmpty()) {
                    STORES.remove(pool);
                }
                throw e;
            }
            stores.put(name, s);
        }
        s.refs++;
        return s;
    }

    /** One directory instance on {@code s} closed; the last one closes it (and the pool file, for a folder). */
    static synchronized void release(Store s, Path folder) throws IOException {
        assert s.refs > 0;
        if (--s.refs > 0) {
            return;
        }
        Map<String, Store> stores = STORES.get(s.pool);
        stores.remove(s.name);
        if (stores.isEmpty()) {
            STORES.remove(s.pool);
        }
        try {
            s.close();
        } finally {
            if (folder != null) {
                releasePool(folder.resolve(POOL_FILE).toAbsolutePath().normalize());
            }
        }
    }

    private static void releasePool(Path file) throws IOException {
        SharedPool shared = POOLS.get(file);
        if (shared == null || --shared.refs > 0) {
            return;
        }
        POOLS.remove(file);
        try {
            shared.pool.close();
        } catch (MpoolException e) {
            throw Errors.io(e, "closing the pool " + file);
        }
    }
}
