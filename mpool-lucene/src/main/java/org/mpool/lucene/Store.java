package org.mpool.lucene;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/**
 * The state of one directory of one pool, shared by every {@link MpoolDirectory} instance open
 * on it in this process (as two FSDirectory instances on one folder see the same files): the
 * namespace, the catalog MDC that makes it durable, the files being written, the open inputs
 * that hold deleted files, and the locks.
 *
 * <h2>Durability</h2>
 *
 * <p>Every change of the namespace is a catalog record, appended without a flush under {@link
 * #lock} <em>before</em> the in-memory namespace changes (a compaction the append triggers writes
 * the state without the change, then the record follows). Records are numbered ({@link
 * #appended}); two marks say how far they are durable:
 *
 * <ul>
 *   <li>{@link #poolFlushed}: records up to it, and the deferred commits of the mblocks they name
 *       (committed before their record was appended), are durable: a {@code pool.flush()} started
 *       after them returned. {@link #sync} needs this for a file's data record.
 *   <li>{@link #catalogFlushed}: records up to it are durable in the catalog (a catalog flush or
 *       a compaction). {@link #syncMetaData} and a renamed file's name need only this.
 * </ul>
 *
 * <p>A record that names mblocks may thus become durable before their commits (a catalog flush,
 * or a write-out, got there first). After a crash such a file has an mblock that does not exist;
 * it was never synced (a sync would have flushed the pool), so {@link #open} drops it, and its
 * committed mblocks are freed as orphans.
 *
 * <h2>Deletes</h2>
 *
 * <p>A delete takes the name away at once (a new file may take it) and appends its record. The
 * data goes later, in two steps. While inputs of the file are open, it is a pending deletion
 * (the mblocks of a mapped file are BUSY). Then its mblocks wait in {@link #toFree} until the
 * delete record is durable — the next sync, syncMetaData or close flushes the catalog, as does a
 * queue of {@link #FREE_BATCH_BYTES} — and only then are they deleted. So a file is whole or gone
 * after a crash, never a name without its data, and deletes take effect in the order they were
 * made (Lucene deletes a commit's segments file before the files it names). Mblocks of a delete
 * whose record is durable but not yet freed are orphans at the next open: freed then.
 */
final class Store {
    /** A name's file: being written, or written. */
    sealed interface Node permits Writing, Blob {}

    /** A file whose output is open: listed, not readable yet. */
    static final class Writing implements Node {
        private String name; // guarded by the store's lock
        private boolean removed; // guarded by the store's lock
        private volatile long writtenBytes;

        Writing(String name) {
            this.name = name;
        }

        void setWrittenBytes(long bytes) {
            writtenBytes = bytes;
        }
    }

    /** A written file: its bytes inline, or its mblocks in order. Immutable but for its name and opens. */
    static final class Blob implements Node {
        final long length;
        final byte[] inline;
        final List<ObjectId> mblocks;
        private String name; // guarded by the store's lock
        private long dataSeq; // the record that named the data
        private long deleteSeq; // the record that deleted it
        private int opens;
        private boolean deleted;

        private Blob(long length, byte[] inline, List<ObjectId> mblocks) {
            this.length = length;
            this.inline = inline;
            this.mblocks = mblocks;
        }

        static Blob inline(byte[] bytes) {
            return new Blob(bytes.length, bytes, List.of());
        }

        static Blob inMblocks(long length, List<ObjectId> ids) {
            assert !ids.isEmpty();
            return new Blob(length, null, List.copyOf(ids));
        }

        boolean isInline() {
            return inline != null;
        }

        CatalogRecord record(String as) {
            return isInline() ? new CatalogRecord.Inline(as, inline) : new CatalogRecord.File(as, length, mblocks);
        }
    }

    /** Deleted data waiting for its records to be durable: past this, a catalog flush frees it. */
    static final long FREE_BATCH_BYTES = 64L << 20;

    final Mpool pool;
    final String name;
    final long tag;
    final MpoolDirectoryOptions options;
    final WriteBuffers buffers;
    final WriteBehind writeBehind;
    final MpoolDirectory.OpenReport report;

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, Node> files = new TreeMap<>(); // guarded by lock
    private final Set<Blob> pendingDeletes = new LinkedHashSet<>(); // guarded by lock
    /** Deleted files no input holds, waiting for their delete record to be durable. */
    private final List<Blob> toFree = new ArrayList<>(); // guarded by lock

    private long toFreeBytes; // guarded by lock
    private final Set<String> heldLocks = new HashSet<>(); // guarded by lock
    private Catalog catalog; // guarded by lock
    private long appended; // guarded by lock
    private long catalogFlushed; // guarded by lock
    private long poolFlushed; // guarded by lock
    private long tempCounter; // guarded by lock
    private long compactions; // guarded by lock
    private long grows; // guarded by lock
    private volatile boolean closed;
    int refs; // guarded by Registry
    /** The pool is a folder's own pool file (Registry.acquireFolder): the directory may grow it. */
    volatile boolean ownsPool;

    private final ReentrantLock growLock = new ReentrantLock();

    private Store(
            Mpool pool,
            String name,
            long tag,
            MpoolDirectoryOptions options,
            Catalog catalog,
            MpoolDirectory.OpenReport r) {
        this.pool = pool;
        this.name = name;
        this.tag = tag;
        this.options = options;
        this.catalog = catalog;
        // A power of two no larger than an mblock's capacity (its zone less the page checksums).
        this.buffers = new WriteBuffers((int)
                Math.min(options.writeBufferBytes(), Long.highestOneBit(pool.mblockCapacity(options.mediaClass()))));
        this.writeBehind = new WriteBehind(name);
        this.report = r;
    }

    // ------------------------------------------------------------------ open

    /**
     * Opens directory {@code name} of {@code pool}, creating it if the root MDC does not name
     * it: replays its catalog, drops files that never became durable, deletes the objects with
     * its tag that no file names, and compacts the catalog to the state found.
     */
    static Store open(Mpool pool, String name, MpoolDirectoryOptions o) throws IOException {
        RootRecords.checkName(name);
        try {
            Map<String, RootRecords.Entry> entries = RootRecords.read(pool);
            RootRecords.Entry e = entries.get(name);
            Catalog catalog;
            long tag;
            Catalog.Replay replay;
            boolean created;
            if (e != null && e.catalog() != null) {
                tag = e.tag();
                catalog = Catalog.open(pool, e.catalog());
                created = false;
                try {
                    replay = catalog.replay();
                } catch (IOException | RuntimeException ex) {
                    catalog.close();
                    throw ex;
                }
            } else {
                // New, or a creation a crash interrupted: then whatever carries its tag is left
                // over from that attempt, and the clean-up below frees it.
                tag = e != null ? e.tag() : RootRecords.newTag(pool, name, entries);
                if (e == null) {
                    RootRecords.append(pool, o.rootMdc(), new RootRecords.Entry(name, tag, null));
                }
                catalog = Catalog.create(pool, tag, o.catalogLogBytes(), o.mediaClass(), List.of());
                try {
                    RootRecords.append(pool, o.rootMdc(), new RootRecords.Entry(name, tag, catalog.id()));
                } catch (RuntimeException ex) {
                    catalog.close();
                    throw ex;
                }
                replay = new Catalog.Replay(Map.of(), 1);
                created = true;
            }
            try {
                return recover(pool, name, tag, o, catalog, replay, created);
            } catch (IOException | RuntimeException ex) {
                catalog.close();
                throw ex;
            }
        } catch (MpoolException ex) {
            throw Errors.io(ex, "opening directory '" + name + "' of pool '" + pool.name() + "'");
        }
    }

    private static Store recover(
            Mpool pool,
            String name,
            long tag,
            MpoolDirectoryOptions o,
            Catalog catalog,
            Catalog.Replay replay,
            boolean created)
            throws IOException {
        Map<ObjectId, ObjectInfo> tagged = new HashMap<>();
        for (ObjectInfo info : pool.objects(tag)) {
            tagged.put(info.id(), info);
        }
        Map<String, Blob> live = new TreeMap<>();
        Set<ObjectId> named = new HashSet<>();
        named.add(catalog.id());
        int lost = 0;
        for (CatalogRecord r : replay.files().values()) {
            switch (r) {
                case CatalogRecord.Inline i -> live.put(i.name(), Blob.inline(i.data()));
                case CatalogRecord.File f -> {
                    if (!f.mblocks().stream().allMatch(tagged::containsKey)) {
                        lost++; // its record outran its commits, which a crash took back: never synced
                        continue;
                    }
                    checkLengths(pool, f, tagged, catalog);
                    live.put(f.name(), Blob.inMblocks(f.length(), f.mblocks()));
                    named.addAll(f.mblocks());
                }
                default -> throw new AssertionError("replay yields files only: " + r);
            }
        }
        List<ObjectId> orphans = new ArrayList<>();
        for (ObjectInfo info : tagged.values()) {
            if (!named.contains(info.id())) {
                orphans.add(info.id());
            }
        }
        pool.delete(orphans); // one flush for them all
        MpoolDirectory.OpenReport report =
                new MpoolDirectory.OpenReport(created, replay.records(), live.size(), lost, orphans.size());
        Store s = new Store(pool, name, tag, o, catalog, report);
        s.lock.lock();
        try {
            live.forEach((n, b) -> {
                b.name = n;
                s.files.put(n, b);
            });
            // A fresh start: the catalog is exactly this state, durable (and every file in it is).
            s.compactOrGrow();
        } finally {
            s.lock.unlock();
        }
        return s;
    }

    /** A file's mblocks are full but the last, and their lengths add up to the file's. */
    private static void checkLengths(
            Mpool pool, CatalogRecord.File f, Map<ObjectId, ObjectInfo> tagged, Catalog catalog)
            throws CorruptIndexException {
        long sum = 0;
        for (int i = 0; i < f.mblocks().size(); i++) {
            ObjectInfo info = tagged.get(f.mblocks().get(i));
            boolean last = i == f.mblocks().size() - 1;
            if (info.id().type() != ObjectId.Type.MBLOCK
                    || (!last && info.lengthBytes() != pool.mblockCapacity(info.mediaClass()))) {
                throw new CorruptIndexException(
                        "file '" + f.name() + "': object " + info.id() + " (" + info.lengthBytes() + " of "
                                + pool.mblockCapacity(info.mediaClass()) + " bytes) cannot be its mblock " + i + " of "
                                + f.mblocks().size(),
                        catalog.toString());
            }
            sum += info.lengthBytes();
        }
        if (sum != f.length()) {
            throw new CorruptIndexException(
                    "file '" + f.name() + "' has " + f.length() + " bytes but its mblocks hold " + sum,
                    catalog.toString());
        }
    }

    // ------------------------------------------------------------------ the namespace

    String[] listAll() {
        ensureOpen();
        lock.lock();
        try {
            return files.keySet().toArray(String[]::new);
        } finally {
            lock.unlock();
        }
    }

    long fileLength(String file) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            return switch (node(file)) {
                case Blob b -> b.length;
                case Writing w -> w.writtenBytes;
            };
        } finally {
            lock.unlock();
        }
    }

    /** Reserves {@code file} for a new output. */
    Writing create(String file) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            if (files.containsKey(file)) {
                throw new FileAlreadyExistsException(file + " exists in " + this);
            }
            Writing w = new Writing(file);
            files.put(file, w);
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** Reserves a new temporary name {@code prefix_suffix_N.tmp}. */
    Writing createTemp(String prefix, String suffix) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            while (true) {
                String file = TempNames.name(prefix, suffix, tempCounter++);
                if (!files.containsKey(file)) {
                    Writing w = new Writing(file);
                    files.put(file, w);
                    return w;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The name an output writes under now (a rename may have moved it). */
    String nameOf(Writing w) {
        lock.lock();
        try {
            return w.name;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a closed output's file visible: appends its record and puts it under the output's
     * name. False if the name was deleted meanwhile: the caller frees the data.
     */
    boolean publish(Writing w, Blob b) throws IOException {
        lock.lock();
        try {
            if (w.removed) {
                return false;
            }
            ensureOpen();
            assert files.get(w.name) == w : "an output's name holds its node until it is published";
            long seq = append(b.record(w.name));
            b.name = w.name;
            b.dataSeq = seq;
            files.put(w.name, b);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets an output that failed: its name goes (no record named it). */
    void abandon(Writing w) {
        lock.lock();
        try {
            if (!w.removed && files.get(w.name) == w) {
                files.remove(w.name);
            }
            w.removed = true;
        } finally {
            lock.unlock();
        }
    }

    void delete(String file) throws IOException {
        ensureOpen();
        boolean batchFull = false;
        lock.lock();
        try {
            Node n = node(file);
            switch (n) {
                case Writing w -> {
                    files.remove(file);
                    w.removed = true; // its output frees what it wrote when it closes
                }
                case Blob b -> {
                    b.deleteSeq = append(new CatalogRecord.Delete(file));
                    files.remove(file);
                    b.deleted = true;
                    if (b.opens == 0) {
                        batchFull = queueFree(b);
                    } else {
                        pendingDeletes.add(b);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (batchFull) {
            flushCatalog();
        }
    }

    /** Queues a deleted, closed file's mblocks; true when the queue is full enough to flush for. */
    private boolean queueFree(Blob b) {
        assert lock.isHeldByCurrentThread() && b.deleted && b.opens == 0;
        if (b.isInline()) {
            return false;
        }
        toFree.add(b);
        toFreeBytes += b.length;
        return toFreeBytes >= FREE_BATCH_BYTES;
    }

    void rename(String from, String to) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            Node n = node(from);
            if (files.containsKey(to)) {
                throw new FileAlreadyExistsException("cannot rename " + from + " to " + to + ": it exists in " + this);
            }
            if (n instanceof Blob b) {
                append(new CatalogRecord.Rename(from, to));
                b.name = to;
            } else {
                ((Writing) n).name = to; // no record yet: the output's close records it under the new name
            }
            files.remove(from);
            files.put(to, n);
        } finally {
            lock.unlock();
        }
    }

    /** Names of deleted files whose data open inputs still hold. */
    Set<String> pendingDeletions() {
        lock.lock();
        try {
            Set<String> out = new HashSet<>();
            pendingDeletes.forEach(b -> out.add(b.name));
            return Set.copyOf(out);
        } finally {
            lock.unlock();
        }
    }

    /** The blob of {@code file}, counted as open until {@link #release}. */
    Blob acquire(String file) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            return switch (node(file)) {
                case Blob b -> {
                    b.opens++;
                    yield b;
                }
                case Writing w -> throw new AccessDeniedException(file, null, "still open for writing in " + this);
            };
        } finally {
            lock.unlock();
        }
    }

    /** An input of {@code b} closed: if it was the last one and the file is deleted, its data may go. */
    void release(Blob b) throws IOException {
        boolean batchFull = false;
        lock.lock();
        try {
            assert b.opens > 0 : "a release without an acquire";
            b.opens--;
            if (b.opens == 0 && b.deleted) {
                pendingDeletes.remove(b);
                batchFull = queueFree(b);
            }
        } finally {
            lock.unlock();
        }
        if (batchFull && !closed) {
            flushCatalog();
        }
    }

    /**
     * Deletes the mblocks of the queued files whose delete records are durable (each delete
     * durable on return); after trying them all, the first failure. Called outside the lock.
     */
    private void freeDurablyDeleted() throws IOException {
        List<ObjectId> ids = new ArrayList<>();
        lock.lock();
        try {
            var it = toFree.iterator();
            while (it.hasNext()) {
                Blob b = it.next();
                if (b.deleteSeq <= catalogFlushed) {
                    ids.addAll(b.mblocks);
                    toFreeBytes -= b.length;
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
        freeMblocks(ids, "freeing deleted files");
    }

    /**
     * Grows a pool file of the directory's own to twice its size (at most
     * {@link MpoolDirectoryOptions#maxPoolSizeBytes}; the file stays sparse, so only what is
     * written takes space). False if the pool is not the directory's, or is at its limit. The
     * grow is crash-safe: a crash leaves the pool at its old size or the new one.
     */
    boolean growPool() throws IOException {
        if (!ownsPool) {
            return false;
        }
        growLock.lock();
        try {
            MediaClass mc = options.mediaClass();
            long total = pool.stats().classes().get(mc).totalBytes();
            long target = Math.min(options.maxPoolSizeBytes(), total > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * total);
            if (target <= total) {
                return false;
            }
            return pool.grow(mc, target) > total;
        } catch (MpoolException e) {
            throw Errors.io(e, "growing the pool of " + this);
        } finally {
            growLock.unlock();
        }
    }

    /** For an output that needs room: makes the queued deletes durable and frees their space. */
    boolean freeQueued() throws IOException {
        lock.lock();
        try {
            if (toFree.isEmpty()) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        flushCatalog();
        return true;
    }

    /** Deletes the data of a file that was never published (deleted while being written). */
    void free(Blob b) throws IOException {
        if (!b.isInline()) {
            freeMblocks(b.mblocks, "deleting a file deleted while it was written");
        }
    }

    /**
     * Deletes mblocks as one batch (one flush for all: {@code Mpool.delete(List)}). An mblock
     * already gone is fine; any other failure is reported after the rest are deleted, and what
     * was not deleted is an orphan that the next open frees.
     */
    void freeMblocks(List<ObjectId> ids, String what) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        try {
            pool.delete(ids);
        } catch (MpoolException e) {
            List<MpoolException> all = new ArrayList<>();
            all.add(e);
            for (Throwable t : e.getSuppressed()) {
                if (t instanceof MpoolException m) {
                    all.add(m);
                }
            }
            MpoolException failure = null;
            for (MpoolException m : all) {
                if (m.code() != ErrorCode.NOT_FOUND && failure == null) {
                    failure = m;
                }
            }
            if (failure != null) {
                throw Errors.io(failure, what + " in " + this);
            }
        }
    }

    private Node node(String file) throws NoSuchFileException {
        assert lock.isHeldByCurrentThread();
        Node n = files.get(file);
        if (n == null) {
            throw new NoSuchFileException(file + " does not exist in " + this);
        }
        return n;
    }

    // ------------------------------------------------------------------ durability

    /** Makes {@code names} durable: their data (one pool flush) and their names (one catalog flush). */
    void sync(Collection<String> names) throws IOException {
        ensureOpen();
        boolean needPool = false;
        lock.lock();
        try {
            for (String file : names) {
                switch (node(file)) {
                    case Blob b -> {
                        // An inline file's data is its record: the catalog flush below covers it.
                        needPool |= !b.isInline() && b.dataSeq > poolFlushed;
                    }
                    case Writing w ->
                        throw new IOException("cannot sync " + file + " in " + this + ": it is still open for writing");
                }
            }
        } finally {
            lock.unlock();
        }
        if (needPool) {
            flushPool();
        } else {
            flushCatalog(); // nothing to flush if the names are durable; frees what waits
        }
    }

    /** Makes every rename and delete so far durable. */
    void syncMetaData() throws IOException {
        ensureOpen();
        flushCatalog();
    }

    /** pool.flush(): deferred commits first, then every open MDC (the catalog among them). */
    private void flushPool() throws IOException {
        long upTo;
        lock.lock();
        try {
            upTo = appended;
        } finally {
            lock.unlock();
        }
        try {
            pool.flush();
        } catch (MpoolException e) {
            throw Errors.io(e, "sync of " + this);
        }
        lock.lock();
        try {
            poolFlushed = Math.max(poolFlushed, upTo);
            catalogFlushed = Math.max(catalogFlushed, upTo);
        } finally {
            lock.unlock();
        }
        freeDurablyDeleted();
    }

    /** Makes the catalog durable, then frees what durable deletes released. */
    private void flushCatalog() throws IOException {
        lock.lock();
        try {
            if (catalogFlushed < appended) {
                catalog.flush();
                catalogFlushed = appended;
            }
        } catch (MpoolException e) {
            throw Errors.io(e, "syncing the names of " + this);
        } finally {
            lock.unlock();
        }
        freeDurablyDeleted();
    }

    /** Appends a record (making room first if the catalog is half full); its number. */
    private long append(CatalogRecord r) throws IOException {
        assert lock.isHeldByCurrentThread();
        byte[] bytes = CatalogRecord.encode(r);
        try {
            if (catalog.usedBytes() + bytes.length + 64 > catalog.capacityBytes() / 2) {
                compactOrGrow();
            }
            try {
                catalog.append(r);
            } catch (MpoolException e) {
                if (e.code() != ErrorCode.LOG_FULL) {
                    throw e;
                }
                compactOrGrow();
                catalog.append(r);
            }
        } catch (MpoolException e) {
            throw Errors.io(e, "recording " + r + " in " + this);
        }
        return ++appended;
    }

    /**
     * Rewrites the catalog as the live namespace: in place while that fills at most a quarter of
     * a log, else into a new catalog MDC with logs four times the state, which the root MDC then
     * names (the old one is deleted; a crash before the root record leaves the new one an orphan,
     * after it the old one).
     */
    private void compactOrGrow() {
        assert lock.isHeldByCurrentThread();
        List<CatalogRecord> live = new ArrayList<>(files.size());
        long bytes = 64;
        for (Node n : files.values()) {
            if (n instanceof Blob b) {
                CatalogRecord r = b.record(b.name);
                live.add(r);
                bytes += CatalogRecord.encode(r).length + 16;
            }
        }
        if (bytes <= catalog.capacityBytes() / 4) {
            catalog.compact(live);
            compactions++;
        } else {
            Catalog bigger = Catalog.create(pool, tag, 4 * bytes, options.mediaClass(), live);
            try {
                RootRecords.append(pool, options.rootMdc(), new RootRecords.Entry(name, tag, bigger.id()));
            } catch (RuntimeException e) {
                bigger.close();
                throw e;
            }
            Catalog old = catalog;
            catalog = bigger;
            grows++;
            old.close();
            try {
                pool.delete(old.id());
            } catch (MpoolException e) {
                // An orphan with our tag: the next open deletes it.
            }
        }
        catalogFlushed = appended;
    }

    /** Compacts the catalog now (also done when it is half full). */
    void compactCatalog() throws IOException {
        ensureOpen();
        lock.lock();
        try {
            compactOrGrow();
        } catch (MpoolException e) {
            throw Errors.io(e, "compacting " + this);
        } finally {
            lock.unlock();
        }
    }

    /** For tests and tools: the catalog's id, used bytes, capacity, compactions and grows. */
    record CatalogStats(ObjectId id, long usedBytes, long capacityBytes, long compactions, long grows) {}

    CatalogStats catalogStats() {
        lock.lock();
        try {
            return new CatalogStats(catalog.id(), catalog.usedBytes(), catalog.capacityBytes(), compactions, grows);
        } finally {
            lock.unlock();
        }
    }

    /** The mblocks of {@code file} (empty for an inline file). */
    List<ObjectId> mblocks(String file) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            return switch (node(file)) {
                case Blob b -> b.mblocks;
                case Writing w -> throw new AccessDeniedException(file, null, "still open for writing in " + this);
            };
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ locks

    Lock obtainLock(String lockName) throws IOException {
        ensureOpen();
        lock.lock();
        try {
            if (!heldLocks.add(lockName)) {
                throw new LockObtainFailedException("lock '" + lockName + "' of " + this + " is held");
            }
            return new StoreLock(lockName);
        } finally {
            lock.unlock();
        }
    }

    /** A lock of this directory: held in this process; the pool's own lock keeps other processes out. */
    private final class StoreLock extends Lock {
        private final String lockName;
        private volatile boolean released;

        StoreLock(String lockName) {
            this.lockName = lockName;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            lock.lock();
            try {
                heldLocks.remove(lockName);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void ensureValid() {
            if (released) {
                throw new AlreadyClosedException("lock '" + lockName + "' was released: " + this);
            }
            if (closed) {
                throw new AlreadyClosedException("the directory of lock '" + lockName + "' is closed: " + this);
            }
        }

        @Override
        public String toString() {
            return "MpoolLock(" + lockName + " of " + Store.this + (released ? ", released" : "") + ")";
        }
    }

    // ------------------------------------------------------------------ lifecycle

    boolean isClosed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new AlreadyClosedException("directory '" + name + "' of pool '" + pool.name() + "' is closed");
        }
    }

    /** Called by the registry when the last directory instance closes: flushes and closes the catalog. */
    void close() throws IOException {
        try {
            flushCatalog(); // deletes become durable, and their data is freed
        } catch (IOException | RuntimeException e) {
            // the close goes on: what was not freed is an orphan at the next open
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            catalog.close();
        } catch (MpoolException e) {
            throw Errors.io(e, "closing " + this);
        } finally {
            lock.unlock();
            writeBehind.close(); // writes of outputs left open finish before their buffers go
            buffers.close();
        }
    }

    @Override
    public String toString() {
        return "directory '" + name + "' of pool '" + pool.name() + "'";
    }
}
