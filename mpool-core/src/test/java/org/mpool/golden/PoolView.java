package org.mpool.golden;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mpool.Mpool;
import org.mpool.common.CheckReport;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.pool.Pool;
import org.mpool.pool.PoolChecks;
import org.mpool.pool.PoolOpener;
import org.mpool.spi.BlockDevice;

/**
 * The reading side of an open pool, so the same checks run on a pool opened read-write through
 * {@link Mpool} and on one opened read-only. {@link Mpool#openReadOnly} takes only native paths,
 * and the golden images live in memory devices, so the read-only view opens the pool with
 * {@link PoolOpener#open}{@code (path, provider, true)}, the call {@code Mpool.openReadOnly}
 * makes, and reads it through {@link Pool} as the facade does.
 */
interface PoolView extends AutoCloseable {
    String name();

    UUID uuid();

    boolean readOnly();

    Path devicePath(MediaClass mediaClass);

    Map<String, String> properties();

    List<ObjectInfo> objects();

    ObjectInfo info(ObjectId id);

    void readMblock(ObjectId id, long offset, MemorySegment buffer);

    List<byte[]> records(ObjectId mlog);

    List<String> health();

    CheckReport check();

    @Override
    void close();

    static PoolView of(Mpool pool) {
        return new Facade(pool);
    }

    /** Opens the pool on {@code capacity} read-only: no lock, no recovery writes, nothing written. */
    static PoolView openReadOnly(Path capacity, BlockDevice.Provider devices) {
        return new ReadOnly(PoolOpener.open(capacity, devices, true));
    }

    /** A pool opened through the facade. */
    record Facade(Mpool pool) implements PoolView {
        @Override
        public String name() {
            return pool.name();
        }

        @Override
        public UUID uuid() {
            return pool.uuid();
        }

        @Override
        public boolean readOnly() {
            return pool.readOnly();
        }

        @Override
        public Path devicePath(MediaClass mediaClass) {
            return pool.devicePath(mediaClass);
        }

        @Override
        public Map<String, String> properties() {
            return pool.properties();
        }

        @Override
        public List<ObjectInfo> objects() {
            return pool.objects();
        }

        @Override
        public ObjectInfo info(ObjectId id) {
            return pool.info(id);
        }

        @Override
        public void readMblock(ObjectId id, long offset, MemorySegment buffer) {
            pool.readMblock(id, offset, buffer);
        }

        @Override
        public List<byte[]> records(ObjectId mlog) {
            return pool.readMlog(mlog).readAll();
        }

        @Override
        public List<String> health() {
            return pool.health();
        }

        @Override
        public CheckReport check() {
            return pool.check((done, total) -> 0);
        }

        @Override
        public void close() {
            pool.close();
        }

        @Override
        public String toString() {
            return pool + " (read-write, through Mpool)";
        }
    }

    /** A pool opened read-only below the facade, read as the facade reads it. */
    record ReadOnly(Pool pool) implements PoolView {
        @Override
        public String name() {
            return pool.name();
        }

        @Override
        public UUID uuid() {
            return pool.uuid();
        }

        @Override
        public boolean readOnly() {
            return pool.readOnly();
        }

        @Override
        public Path devicePath(MediaClass mediaClass) {
            return pool.devicePath(mediaClass);
        }

        @Override
        public Map<String, String> properties() {
            return pool.properties();
        }

        @Override
        public List<ObjectInfo> objects() {
            return pool.objects();
        }

        @Override
        public ObjectInfo info(ObjectId id) {
            return pool.info(id);
        }

        @Override
        public void readMblock(ObjectId id, long offset, MemorySegment buffer) {
            pool.mblocks().read(id, offset, buffer);
        }

        @Override
        public List<byte[]> records(ObjectId mlog) {
            return pool.mlogs().read(mlog).readAll(); // readAll closes the reader
        }

        @Override
        public List<String> health() {
            return PoolChecks.health(pool);
        }

        @Override
        public CheckReport check() {
            return PoolChecks.check(pool, (done, total) -> 0);
        }

        @Override
        public void close() {
            pool.close();
        }

        @Override
        public String toString() {
            return "Pool[" + pool.name() + "] (read-only, through PoolOpener)";
        }
    }
}
