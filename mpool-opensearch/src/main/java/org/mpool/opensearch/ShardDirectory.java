package org.mpool.opensearch;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.PreloadHint;
import org.apache.lucene.store.ReadOnceHint;
import org.apache.lucene.util.IOUtils;
import org.mpool.lucene.MpoolDirectory;

/**
 * A shard's directory: the commit point ({@link CommitPointFiles}) as plain files of the index
 * folder, every other file in the shard's pool ({@link MpoolDirectory}, whose pool file lies in
 * the same folder and is never listed).
 *
 * <p>Order is what keeps a crash harmless; the plain side must never name data the pool has not
 * made durable, and the pool must never lose data a durable plain file still names:
 *
 * <ul>
 *   <li>{@link #sync}: the pool's files first (one pool flush), then the plain ones ({@code
 *       fsync} each): a {@code .si} or {@code pending_segments_N} is durable only after the data
 *       it names.
 *   <li>{@link #rename} of a plain file (Lucene's {@code pending_segments_N} to {@code
 *       segments_N}, a recovery's temporary files): the pool's renames and deletes are flushed
 *       first, so the commit point's name appears after the names of the files it lists.
 *   <li>{@link #deleteFile} of a pool file after plain files were deleted: the folder is synced
 *       first, so an old {@code segments_N} or {@code .si} cannot reappear after a crash once the
 *       data it names is gone (mpool frees a deleted file's data when its delete record is flushed,
 *       which may happen at any later moment).
 *   <li>{@link #syncMetaData}: the pool, then the folder.
 * </ul>
 */
final class ShardDirectory extends Directory {
    private final FSDirectory plain;
    private final MpoolDirectory pool;
    private final boolean preload;
    private final Runnable onClose;
    /** Plain files were deleted since the folder was last synced. */
    private boolean plainDeletesPending;

    private volatile boolean closed;

    ShardDirectory(FSDirectory plain, MpoolDirectory pool, boolean preload, Runnable onClose) {
        this.plain = plain;
        this.pool = pool;
        this.preload = preload;
        this.onClose = onClose;
    }

    /** The index folder. */
    Path folder() {
        return plain.getDirectory();
    }

    /** The directory of the pool's files. */
    MpoolDirectory pool() {
        return pool;
    }

    private Directory of(String name) {
        return CommitPointFiles.isPlain(name) ? plain : pool;
    }

    @Override
    public String[] listAll() throws IOException {
        ensureOpen();
        TreeSet<String> names = new TreeSet<>(Arrays.asList(pool.listAll()));
        for (String name : plain.listAll()) {
            // The folder also holds the pool file (and whatever else lies there): only the
            // commit point is the index's.
            if (CommitPointFiles.isPlain(name)) {
                names.add(name);
            }
        }
        return names.toArray(String[]::new);
    }

    @Override
    public void deleteFile(String name) throws IOException {
        ensureOpen();
        if (CommitPointFiles.isPlain(name)) {
            synchronized (this) {
                plain.deleteFile(name);
                plainDeletesPending = true;
            }
        } else {
            syncPlainDeletes();
            pool.deleteFile(name);
        }
    }

    private synchronized void syncPlainDeletes() throws IOException {
        if (plainDeletesPending) {
            plain.syncMetaData();
            plainDeletesPending = false;
        }
    }

    @Override
    public long fileLength(String name) throws IOException {
        ensureOpen();
        return of(name).fileLength(name);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        ensureOpen();
        return of(name).createOutput(name, context);
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        ensureOpen();
        // Lucene's temporary files (sorting, doc-values updates) are data: "_x_suffix_N.tmp".
        return pool.createTempOutput(prefix, suffix, context);
    }

    @Override
    public void sync(Collection<String> names) throws IOException {
        ensureOpen();
        List<String> plainNames = new ArrayList<>();
        List<String> poolNames = new ArrayList<>();
        for (String name : names) {
            (CommitPointFiles.isPlain(name) ? plainNames : poolNames).add(name);
        }
        if (!poolNames.isEmpty()) {
            pool.sync(poolNames);
        }
        if (!plainNames.isEmpty()) {
            plain.sync(plainNames);
        }
    }

    @Override
    public void syncMetaData() throws IOException {
        ensureOpen();
        pool.syncMetaData();
        synchronized (this) {
            plain.syncMetaData();
            plainDeletesPending = false;
        }
    }

    @Override
    public void rename(String source, String dest) throws IOException {
        ensureOpen();
        boolean plainSource = CommitPointFiles.isPlain(source);
        boolean plainDest = CommitPointFiles.isPlain(dest);
        if (plainSource && plainDest) {
            pool.syncMetaData(); // the pool's names first: a commit point never names a file not yet durable
            plain.rename(source, dest);
        } else if (!plainSource && !plainDest) {
            pool.rename(source, dest);
        } else {
            // Never done by Lucene or OpenSearch (temporary names keep their side); a copy keeps
            // the contract if someone does.
            Directory from = of(source);
            Directory to = of(dest);
            if (!Arrays.asList(from.listAll()).contains(source)) {
                throw new NoSuchFileException(source);
            }
            to.copyFrom(from, source, dest, IOContext.DEFAULT);
            to.sync(List.of(dest));
            from.deleteFile(source);
        }
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
        ensureOpen();
        if (CommitPointFiles.isPlain(name)) {
            return plain.openInput(name, context);
        }
        return pool.openInput(name, preload ? withPreload(context) : context);
    }

    /**
     * A search's context with {@link PreloadHint}: the file is read into the page cache in the
     * background at open (index.store.mpool.preload). Merges, flushes and read-once inputs keep
     * their own (cold, sequential) policy.
     */
    static IOContext withPreload(IOContext context) {
        if (context.context() != IOContext.Context.DEFAULT
                || context.hints().contains(ReadOnceHint.INSTANCE)
                || context.hints().contains(PreloadHint.INSTANCE)) {
            return context;
        }
        Set<IOContext.FileOpenHint> hints = new HashSet<>(context.hints());
        hints.add(PreloadHint.INSTANCE);
        return context.withHints(hints.toArray(IOContext.FileOpenHint[]::new));
    }

    @Override
    public Lock obtainLock(String name) throws IOException {
        ensureOpen();
        return plain.obtainLock(name);
    }

    @Override
    public Set<String> getPendingDeletions() throws IOException {
        ensureOpen();
        Set<String> pending = new HashSet<>(pool.getPendingDeletions());
        pending.addAll(plain.getPendingDeletions());
        return pending;
    }

    @Override
    protected void ensureOpen() {
        if (closed) {
            throw new AlreadyClosedException("this ShardDirectory is closed: " + folder());
        }
    }

    /** Closes the pool's directory (and with it the pool file) and the folder's. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            IOUtils.close(pool, plain);
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "ShardDirectory(" + folder() + ": commit point plain, data in " + pool + ")";
    }
}
