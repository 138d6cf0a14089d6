package org.mpool.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.lucene.store.BaseDirectory;
import org.apache.lucene.store.FSLockFactory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.LockFactory;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;

/**
 * A Lucene {@link org.apache.lucene.store.Directory} whose files live in an mpool
 * (docs/LUCENE.md).
 *
 * <ul>
 *   <li>A file is one or more mblocks, written with direct I/O through an aligned buffer and
 *       committed deferred; a file of at most {@link MpoolDirectoryOptions#inlineMaxBytes()} is
 *       stored in the catalog itself.
 *   <li>The catalog (name to mblocks and length, or inline bytes) is an MDC of the directory's
 *       own, named in the pool's root MDC; every change is a record, compacted when the catalog is
 *       half full. {@link #sync} is one pool flush (the deferred commits, then the catalog);
 *       {@link #rename} and {@link #syncMetaData} are a catalog record and a catalog flush.
 *   <li>Inputs read the file in place through an mcache map, with the mcache advice Lucene's
 *       {@link IOContext} suggests (merges and READONCE are COLD) and readahead for sequential
 *       readers.
 *   <li>At open the catalog is replayed and every object with the directory's owner tag that it
 *       does not name is deleted: what a crash left between a commit and its record.
 * </ul>
 *
 * <p>Two ways to get one: {@link #MpoolDirectory(Path)} keeps a pool file of its own in a folder
 * (as FSDirectory keeps files in one), so Lucene's test framework can use it anywhere with {@code
 * -Dtests.directory=org.mpool.lucene.MpoolDirectory}; {@link #open(Mpool, String)} puts a
 * named directory in a pool the application opened, beside its other data and directories.
 * Instances on the same directory in one process share its state. The pool is locked by the
 * process that opens it, so the directory's locks ({@link MpoolLockFactory}) hold across
 * processes.
 */
public final class MpoolDirectory extends BaseDirectory {
    private final Store store;
    /** The folder of the directory's own pool file, or null when the application gave the pool. */
    private final Path folder;

    private volatile boolean released;

    /** A directory in the pool file {@value Registry#POOL_FILE} of {@code folder} (both made if missing). */
    public MpoolDirectory(Path folder) throws IOException {
        this(folder, MpoolLockFactory.INSTANCE, new MpoolDirectoryOptions());
    }

    /**
     * Like {@link #MpoolDirectory(Path)} with a lock factory: what Lucene's test framework calls.
     * An {@link FSLockFactory} (Lucene's default, which only works on an FSDirectory) is
     * replaced by {@link MpoolLockFactory#INSTANCE}.
     */
    public MpoolDirectory(Path folder, LockFactory lockFactory) throws IOException {
        this(folder, lockFactory, new MpoolDirectoryOptions());
    }

    /** Like {@link #MpoolDirectory(Path, LockFactory)}, with options (pool size and mblock size for a new pool file). */
    public MpoolDirectory(Path folder, LockFactory lockFactory, MpoolDirectoryOptions options) throws IOException {
        super(lockFactory instanceof FSLockFactory ? MpoolLockFactory.INSTANCE : lockFactory);
        // The pool file is opened natively: a path of Lucene's mock file systems works by its name.
        Path local = Path.of(folder.toAbsolutePath().toString());
        Files.createDirectories(local);
        this.folder = local;
        this.store = Registry.acquireFolder(local, options);
    }

    private MpoolDirectory(Store store, LockFactory lockFactory) {
        super(lockFactory);
        this.store = store;
        this.folder = null;
    }

    /**
     * Directory {@code name} (1 to 64 of A-Z a-z 0-9 _ . -) of a pool the application opened:
     * created if the pool does not have it. Each directory of a pool has its own catalog and
     * owner tag ({@code 0x4D504C55xxxxxxxx}), so several live side by side with the
     * application's objects. The application closes the pool after the directories.
     */
    public static MpoolDirectory open(Mpool pool, String name) throws IOException {
        return open(pool, name, new MpoolDirectoryOptions());
    }

    /** Like {@link #open(Mpool, String)}, with options. */
    public static MpoolDirectory open(Mpool pool, String name, MpoolDirectoryOptions options) throws IOException {
        return new MpoolDirectory(Registry.acquire(pool, name, options), MpoolLockFactory.INSTANCE);
    }

    @Override
    public String[] listAll() throws IOException {
        checkOpen();
        return store.listAll();
    }

    @Override
    public void deleteFile(String name) throws IOException {
        checkOpen();
        store.delete(name);
    }

    @Override
    public long fileLength(String name) throws IOException {
        checkOpen();
        return store.fileLength(name);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        checkOpen();
        Store.Writing w = store.create(name);
        return newOutput(w, name);
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        checkOpen();
        Store.Writing w = store.createTemp(prefix, suffix);
        return newOutput(w, store.nameOf(w));
    }

    private IndexOutput newOutput(Store.Writing w, String name) {
        try {
            return new MpoolIndexOutput(store, w, name);
        } catch (RuntimeException e) {
            store.abandon(w);
            throw e;
        }
    }

    @Override
    public void sync(Collection<String> names) throws IOException {
        checkOpen();
        store.sync(names);
    }

    @Override
    public void syncMetaData() throws IOException {
        checkOpen();
        store.syncMetaData();
    }

    @Override
    public void rename(String source, String dest) throws IOException {
        checkOpen();
        store.rename(source, dest);
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
        checkOpen();
        ReadPolicy policy = ReadPolicy.of(context);
        Store.Blob blob = store.acquire(name);
        String description = "MpoolIndexInput(" + name + " in " + store + ")";
        InputSource source;
        try {
            source = InputSource.open(store, blob, policy, description);
        } catch (IOException | RuntimeException e) {
            store.release(blob);
            throw e;
        }
        return new MpoolIndexInput(description, source, policy);
    }

    @Override
    public Set<String> getPendingDeletions() throws IOException {
        checkOpen();
        return store.pendingDeletions();
    }

    /** Closes this instance; the last instance on the directory closes its catalog (and its pool file). Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        isOpen = false;
        if (!released) {
            released = true;
            Registry.release(store, folder);
        }
    }

    /** This instance is open, and so is the directory's state (closed only with the last instance). */
    private void checkOpen() {
        ensureOpen();
        store.ensureOpen();
    }

    // ------------------------------------------------------------------ beyond Directory

    /** The pool the files live in. */
    public Mpool pool() {
        return store.pool;
    }

    /** The directory's name in its pool ({@value Registry#FOLDER_DIRECTORY} for a folder's pool file). */
    public String name() {
        return store.name;
    }

    /** The owner tag of the directory's mblocks and catalog. */
    public long ownerTag() {
        return store.tag;
    }

    /** The mblocks of a file, in order; empty for a file stored inline in the catalog. */
    public List<ObjectId> mblocks(String file) throws IOException {
        checkOpen();
        return store.mblocks(file);
    }

    /** The folder of the directory's pool file, or null for a directory in an application's pool. */
    public Path folder() {
        return folder;
    }

    /**
     * What the open of this directory found: records replayed, files, files dropped because a
     * crash took their data before a sync, orphans deleted.
     */
    public OpenReport openReport() {
        return store.report;
    }

    /**
     * What opening a directory found and did.
     *
     * @param created the directory did not exist: it was made
     * @param records catalog records replayed
     * @param files files the catalog holds
     * @param lostFiles files whose data a crash took before they were synced: dropped from the catalog
     * @param orphansDeleted objects with the directory's tag that no file names: deleted
     */
    public record OpenReport(boolean created, long records, int files, int lostFiles, int orphansDeleted) {}

    /** Rewrites the catalog as its live records now (it also happens by itself when the catalog is half full). */
    public void compactCatalog() throws IOException {
        checkOpen();
        store.compactCatalog();
    }

    Store store() {
        return store;
    }

    @Override
    public String toString() {
        return "MpoolDirectory@" + (folder != null ? folder : "pool " + store.pool.name()) + "/" + store.name
                + " lockFactory=" + lockFactory;
    }
}
