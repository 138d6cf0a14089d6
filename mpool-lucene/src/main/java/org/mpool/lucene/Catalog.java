package org.mpool.lucene;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;

/**
 * A directory's catalog: an MDC of {@link CatalogRecord}s, kept open while the directory is.
 * Appends are asynchronous (a sync or an explicit flush makes them durable); the owner
 * ({@link Store}) orders appends and compactions under its lock.
 */
final class Catalog implements AutoCloseable {
    /** What replaying a catalog found. */
    record Replay(Map<String, CatalogRecord> files, long records) {}

    private final ObjectId id;
    private final Mdc mdc;

    private Catalog(ObjectId id, Mdc mdc) {
        this.id = id;
        this.mdc = mdc;
    }

    /**
     * Makes a catalog MDC tagged {@code tag} holding {@code state}, durably. If this fails after
     * the MDC was committed, the MDC is an orphan with the directory's tag: freed at the next
     * open.
     */
    static Catalog create(Mpool pool, long tag, long logBytes, MediaClass mediaClass, Collection<CatalogRecord> state) {
        ObjectId id = pool.allocateMdc(mediaClass, logBytes);
        try {
            pool.commit(id, tag);
        } catch (RuntimeException e) {
            try {
                pool.abort(id);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Catalog c = new Catalog(id, pool.openMdc(id));
        try {
            c.mdc.append(CatalogRecord.encode(new CatalogRecord.Header(CatalogRecord.VERSION)), false);
            for (CatalogRecord r : state) {
                c.mdc.append(CatalogRecord.encode(r), false);
            }
            c.mdc.flush();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Opens the catalog MDC {@code id} (BUSY if another handle has it). */
    static Catalog open(Mpool pool, ObjectId id) {
        return new Catalog(id, pool.openMdc(id));
    }

    ObjectId id() {
        return id;
    }

    /** Replays every record into the namespace they describe. */
    Replay replay() throws IOException {
        String where = toString();
        Map<String, CatalogRecord> files = new LinkedHashMap<>();
        long n = 0;
        try (Mlog.Reader r = mdc.reader()) {
            while (r.next()) {
                CatalogRecord rec = CatalogRecord.decode(r.recordBytes(), where);
                if (n++ == 0) {
                    checkHeader(rec, where);
                    continue;
                }
                switch (rec) {
                    case CatalogRecord.Header h -> checkHeader(h, where); // a compaction's first record
                    case CatalogRecord.File f -> files.put(f.name(), f);
                    case CatalogRecord.Inline i -> files.put(i.name(), i);
                    case CatalogRecord.Delete d -> {
                        if (files.remove(d.name()) == null) {
                            throw new CorruptIndexException(
                                    "record " + n + " deletes '" + d.name() + "', which does not exist", where);
                        }
                    }
                    case CatalogRecord.Rename m -> {
                        CatalogRecord file = files.remove(m.from());
                        if (file == null || files.containsKey(m.to())) {
                            throw new CorruptIndexException(
                                    "record " + n + " renames '" + m.from() + "' to '" + m.to() + "', but "
                                            + (file == null ? "the first does not exist" : "the second exists"),
                                    where);
                        }
                        files.put(m.to(), renamed(file, m.to()));
                    }
                }
            }
        }
        if (n == 0) {
            throw new CorruptIndexException("the catalog has no header record", where);
        }
        return new Replay(files, n);
    }

    private static void checkHeader(CatalogRecord rec, String where) throws IOException {
        if (!(rec instanceof CatalogRecord.Header h)) {
            throw new CorruptIndexException("the catalog does not start with a header record: " + rec, where);
        }
        if (h.version() != CatalogRecord.VERSION) {
            throw new IndexFormatTooNewException(where, h.version(), CatalogRecord.VERSION, CatalogRecord.VERSION);
        }
    }

    /** A file record under a new name. */
    static CatalogRecord renamed(CatalogRecord file, String to) {
        return switch (file) {
            case CatalogRecord.File f -> new CatalogRecord.File(to, f.length(), f.mblocks());
            case CatalogRecord.Inline i -> new CatalogRecord.Inline(to, i.data());
            default -> throw new IllegalArgumentException("not a file record: " + file);
        };
    }

    /** Appends a record, not durably; LOG_FULL (nothing written) when it does not fit. */
    void append(CatalogRecord r) {
        mdc.append(CatalogRecord.encode(r), false);
    }

    /** Makes every record appended so far durable. */
    void flush() {
        mdc.flush();
    }

    /** Replaces the catalog's records with {@code live}, durably on return; the old state stays if this fails. */
    void compact(Collection<CatalogRecord> live) {
        mdc.compactStart();
        try {
            mdc.append(CatalogRecord.encode(new CatalogRecord.Header(CatalogRecord.VERSION)), false);
            for (CatalogRecord r : live) {
                mdc.append(CatalogRecord.encode(r), false);
            }
            mdc.compactEnd();
        } catch (RuntimeException e) {
            try {
                mdc.compactAbort();
            } catch (MpoolException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    long usedBytes() {
        return mdc.usedBytes();
    }

    long capacityBytes() {
        return mdc.capacityBytes();
    }

    /** Flushes and releases the MDC. Idempotent. */
    @Override
    public void close() {
        mdc.close();
    }

    @Override
    public String toString() {
        return "catalog MDC " + id;
    }
}
