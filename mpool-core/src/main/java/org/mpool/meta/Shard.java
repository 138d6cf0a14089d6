package org.mpool.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.format.CatalogRecord;
import org.mpool.format.FormatException;
import org.mpool.format.ObjectIdBits;
import org.mpool.log.LogPair;
import org.mpool.log.LogSpec;
import org.mpool.observe.Counter;
import org.mpool.observe.Counters;
import org.mpool.observe.Events;

/**
 * One metadata shard (MDC-1..N): the MDC holding the create and delete records of the objects
 * whose ids name this shard, their in-memory table, and the shard's id allocator. Commits from
 * many threads go into the MDC concurrently and share its flushes; objects of different
 * shards never contend.
 *
 * <p>Locking: appends and the table updates that follow them hold the compaction lock's read
 * side, so a compaction (write side) sees every record appended reflected in the table.
 */
public final class Shard implements AutoCloseable {
    /** Ids handed out per reservation record. */
    private static final long ID_BATCH = 4096;

    /** Checks an mblock's data against its commit record, for records a flush did not confirm. */
    @FunctionalInterface
    public interface DataCheck {
        boolean matches(CatalogRecord.Mblock record);
    }

    private final int index;
    private final LogPair mdc;
    private final ObjectTable table = new ObjectTable();
    private final ReentrantReadWriteLock compaction = new ReentrantReadWriteLock();
    private final Object idLock = new Object();
    /** From 1: uniquifier 0 is never handed out, so no id equals a metadata log id (LogIds). */
    private long nextUniquifier = 1;
    /** Log bytes in use right after the last compaction: the next waits until this has doubled. */
    private volatile long compactedBytes;

    private volatile long reservedUniquifier = 1;
    /** What open found: commits no flush confirmed, kept (data intact) or cancelled (data torn). */
    private int unconfirmedKept;

    private int unconfirmedCancelled;

    /** The pool's counters (compactions). */
    private final Counters counters;

    private Shard(int index, LogPair mdc, Counters counters) {
        this.index = index;
        this.mdc = mdc;
        this.counters = counters;
    }

    /** Makes a new shard; {@code zeroFill} its logs on files, where synced appends into holes are slow. */
    public static Shard create(int index, LogSpec log0, LogSpec log1, boolean zeroFill) {
        return new Shard(index, LogPair.create(log0, log1, zeroFill), log0.counters());
    }

    /**
     * Opens the shard and rebuilds its table from the MDC. Commit records that no flush
     * confirmed are kept only if their data is intact; the others are cancelled with a durable
     * delete record, so their zones can be reused safely.
     */
    public static Shard open(int index, LogSpec log0, LogSpec log1, DataCheck dataCheck) {
        Shard shard = new Shard(index, LogPair.open(log0, log1), log0.counters());
        try {
            List<Long> cancelled = shard.replay(shard.mdc.readWithDurability(), dataCheck);
            // All cancellations go out in one frame with one flush: a crash leaves all or none
            // of them, and until they are durable no later fragment vouches for the records.
            for (long id : cancelled) {
                shard.mdc.append(CatalogRecord.encode(new CatalogRecord.Delete(id)), false);
            }
            if (!cancelled.isEmpty()) {
                shard.mdc.flush();
            }
            return shard;
        } catch (RuntimeException e) {
            shard.mdc.close();
            throw e;
        }
    }

    /** Reads the shard without writing anything (read-only inspection); changes then fail. */
    public static Shard load(int index, LogSpec log0, LogSpec log1, DataCheck dataCheck) {
        Shard shard = new Shard(index, null, log0.counters());
        shard.replay(LogPair.readOnly(log0, log1), dataCheck);
        return shard;
    }

    /** Rebuilds the table from the records; returns the ids of unconfirmed commits whose data is gone. */
    private List<Long> replay(List<LogPair.Record> records, DataCheck dataCheck) {
        List<Long> cancelled = new ArrayList<>();
        long maxUniquifier = 0;
        for (LogPair.Record r : records) {
            CatalogRecord rec = decode(r.bytes());
            switch (rec) {
                case CatalogRecord.Mblock m -> {
                    checkFits(rec, m.zone(), m.length());
                    if (r.unconfirmed() && !dataCheck.matches(m)) {
                        cancelled.add(m.id());
                        unconfirmedCancelled++;
                    } else {
                        unconfirmedKept += r.unconfirmed() ? 1 : 0;
                        apply(m);
                    }
                    maxUniquifier = Math.max(maxUniquifier, ObjectIdBits.uniquifier(m.id()));
                }
                case CatalogRecord.Mlog m -> {
                    checkFits(rec, m.firstZone(), m.zoneCount());
                    apply(m);
                    maxUniquifier = Math.max(maxUniquifier, ObjectIdBits.uniquifier(m.id()));
                }
                case CatalogRecord.Mdc m -> {
                    checkFits(rec, m.firstZone(), 2 * m.zonesPerLog());
                    apply(m);
                    maxUniquifier = Math.max(maxUniquifier, ObjectIdBits.uniquifier(m.id()));
                }
                case CatalogRecord.Delete d -> table.remove(d.id());
                case CatalogRecord.IdReserve i -> reservedUniquifier = Math.max(reservedUniquifier, i.nextUniquifier());
                default ->
                    throw new MpoolException(
                            ErrorCode.CORRUPT, "shard " + index + " holds a pool configuration record: " + rec);
            }
        }
        reservedUniquifier = Math.max(reservedUniquifier, maxUniquifier + 1);
        nextUniquifier = reservedUniquifier;
        assert table.size() >= 0 && nextUniquifier > maxUniquifier : "ids may repeat after recovery";
        return cancelled;
    }

    /**
     * A commit record's zone and length (or zone count) must fit the table; zones beyond the
     * device are found when the pool claims them. A record that does not fit is damage: put in
     * the table it would turn into another zone or media class, or fail with no error code.
     */
    private void checkFits(CatalogRecord rec, long zone, long lengthOrZones) {
        if (zone < 0 || zone >= ObjectTable.ZONE_LIMIT || lengthOrZones < 0 || lengthOrZones > Integer.MAX_VALUE) {
            throw MpoolException.corrupt("metadata shard " + index + " holds a record out of range: " + rec);
        }
    }

    private CatalogRecord decode(byte[] bytes) {
        try {
            return CatalogRecord.decode(bytes);
        } catch (FormatException e) {
            throw MpoolException.corrupt("metadata shard " + index + " holds a bad record: " + e.getMessage());
        }
    }

    /** Commit records no flush had confirmed that open kept: their data was intact. */
    public int unconfirmedKept() {
        return unconfirmedKept;
    }

    /** Commit records no flush had confirmed that open cancelled: their data was torn. */
    public int unconfirmedCancelled() {
        return unconfirmedCancelled;
    }

    /** Whether open found a compaction of this shard cut short and took its state before it. */
    public boolean rolledBack() {
        return mdc != null && mdc.rolledBack();
    }

    public int index() {
        return index;
    }

    public ObjectTable table() {
        return table;
    }

    /** A new object id of this shard, never handed out before (also across crashes). */
    public ObjectId newId(ObjectId.Type type) {
        checkWritable();
        synchronized (idLock) {
            if (nextUniquifier >= reservedUniquifier) {
                long reserve = nextUniquifier + ID_BATCH;
                append(new CatalogRecord.IdReserve(reserve), true);
                reservedUniquifier = reserve;
            }
            assert nextUniquifier < reservedUniquifier : "an id handed out past its durable reservation";
            return ObjectId.of(nextUniquifier++, type, index);
        }
    }

    /**
     * Records a committed object (an MBLOCK, MLOG or MDC record of this shard), then makes it
     * visible. With {@code durable} the record is durable on return; else it is durable at the
     * next {@link #flush()} or durable append to this shard (a deferred commit).
     */
    public void commit(CatalogRecord record, boolean durable) {
        assert ObjectIdBits.shard(objectId(record)) == index : "a record of another shard";
        appendAndApply(record, durable, () -> apply(record));
    }

    /** Records many committed objects with one flush (none with {@code durable} false). */
    public void commit(List<? extends CatalogRecord> records, boolean durable) {
        checkWritable();
        if (records.isEmpty()) {
            return;
        }
        compaction.readLock().lock();
        try {
            for (CatalogRecord r : records) {
                assert ObjectIdBits.shard(objectId(r)) == index : "a record of another shard";
                mdc.append(CatalogRecord.encode(r), false);
            }
            if (durable) {
                mdc.flush();
            }
            records.forEach(this::apply);
        } finally {
            compaction.readLock().unlock();
        }
        maybeCompact();
    }

    /** Makes every record appended to this shard durable (deferred commits among them). */
    public void flush() {
        checkWritable();
        // As appends do: a compaction swaps the MDC's active log and closes the old one under the
        // write side, and a flush must not pick the log being closed.
        compaction.readLock().lock();
        try {
            mdc.flush();
        } finally {
            compaction.readLock().unlock();
        }
    }

    /** Puts the object a commit record describes into the table. */
    private void apply(CatalogRecord r) {
        switch (r) {
            case CatalogRecord.Mblock m ->
                table.putMblock(
                        m.id(),
                        MediaClass.fromCode(m.classCode()),
                        m.zone(),
                        m.length(),
                        m.crc(),
                        m.owner(),
                        m.chunked());
            case CatalogRecord.Mlog m ->
                table.putMlog(m.id(), MediaClass.fromCode(m.classCode()), m.firstZone(), m.zoneCount(), m.owner());
            case CatalogRecord.Mdc m ->
                table.putMdc(m.id(), MediaClass.fromCode(m.classCode()), m.firstZone(), m.zonesPerLog(), m.owner());
            default -> throw new IllegalArgumentException("not a commit record: " + r);
        }
    }

    /** The object a commit record names. */
    private static long objectId(CatalogRecord r) {
        return switch (r) {
            case CatalogRecord.Mblock m -> m.id();
            case CatalogRecord.Mlog m -> m.id();
            case CatalogRecord.Mdc m -> m.id();
            default -> throw new IllegalArgumentException("not a commit record: " + r);
        };
    }

    /** The commit record that describes a table entry (what compaction writes). */
    static CatalogRecord recordOf(ObjectTable.Entry e) {
        return switch (e) {
            case ObjectTable.Mblock m ->
                new CatalogRecord.Mblock(
                        m.id(), m.mediaClass().code(), m.zone(), m.lengthBytes(), m.crc(), m.owner(), m.chunked());
            case ObjectTable.Mlog m ->
                new CatalogRecord.Mlog(m.id(), m.mediaClass().code(), m.zone(), m.zoneCount(), m.owner());
            case ObjectTable.Mdc m ->
                new CatalogRecord.Mdc(m.id(), m.mediaClass().code(), m.zone(), m.zonesPerLog(), m.owner());
        };
    }

    /**
     * Deletes a committed object durably and returns its entry; the caller frees its zones
     * (only now is that safe). {@code busy} is consulted first: a mapped mblock cannot go.
     */
    public ObjectTable.Entry delete(ObjectId id, LongPredicate busy) {
        checkWritable();
        compaction.readLock().lock();
        ObjectTable.Entry entry;
        try {
            entry = markDeleting(id, busy);
            try {
                mdc.append(CatalogRecord.encode(new CatalogRecord.Delete(id.value())), true);
            } catch (RuntimeException e) {
                table.setDeleting(id.value(), false);
                throw e;
            }
            table.remove(id.value());
        } finally {
            compaction.readLock().unlock();
        }
        maybeCompact();
        return entry;
    }

    /**
     * Deletes many committed objects of this shard with one flush, and returns the entries of
     * those deleted (the caller frees their zones, after this returns). An object that cannot
     * go (unknown, BUSY) is skipped and its failure added to {@code failures}; the others go.
     * If the flush fails, none is deleted (their marks are cleared) and the failure is thrown.
     */
    public List<ObjectTable.Entry> delete(List<ObjectId> ids, LongPredicate busy, List<MpoolException> failures) {
        checkWritable();
        List<ObjectTable.Entry> marked = new ArrayList<>(ids.size());
        compaction.readLock().lock();
        try {
            for (ObjectId id : ids) {
                assert id.shard() == index : "an object of another shard";
                ObjectTable.Entry entry;
                try {
                    entry = markDeleting(id, busy);
                } catch (MpoolException e) {
                    failures.add(e);
                    continue;
                }
                try {
                    mdc.append(CatalogRecord.encode(new CatalogRecord.Delete(id.value())), false);
                } catch (MpoolException e) { // LOG_FULL, IO: this one stays
                    table.setDeleting(id.value(), false);
                    failures.add(e);
                    continue;
                }
                marked.add(entry);
            }
            try {
                mdc.flush();
            } catch (RuntimeException e) {
                marked.forEach(entry -> table.setDeleting(entry.id(), false));
                throw e;
            }
            marked.forEach(entry -> table.remove(entry.id()));
        } finally {
            compaction.readLock().unlock();
        }
        maybeCompact();
        return marked;
    }

    /**
     * The entry of {@code id}, marked as being deleted: NOT_FOUND if there is none, BUSY if it
     * is in use or already being deleted. Called under the compaction read lock.
     */
    private ObjectTable.Entry markDeleting(ObjectId id, LongPredicate busy) {
        ObjectTable.Entry entry = table.get(id.value());
        if (entry == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "object " + id + " does not exist (or is not committed)");
        }
        if (busy.test(id.value())) { // the common case, before readers could see the mark
            throw new MpoolException(ErrorCode.BUSY, "object " + id + " is in use (mapped or open); close it first");
        }
        // Mark, then ask again: a user that acquires the object and then checks the mark
        // (Mpool.acquire) cannot slip between the two.
        if (!table.setDeleting(id.value(), true)) {
            throw new MpoolException(ErrorCode.BUSY, "object " + id + " is being deleted by another thread");
        }
        if (busy.test(id.value())) {
            table.setDeleting(id.value(), false);
            throw new MpoolException(ErrorCode.BUSY, "object " + id + " is in use (mapped or open); close it first");
        }
        return entry;
    }

    private void checkWritable() {
        if (mdc == null) {
            throw new MpoolException(ErrorCode.PERMISSION, "the pool is open read-only");
        }
    }

    private void appendAndApply(CatalogRecord record, boolean sync, Runnable apply) {
        checkWritable();
        assert !compaction.isWriteLockedByCurrentThread() : "a commit from inside a compaction";
        compaction.readLock().lock();
        try {
            appendOrReportFull(record, sync);
            apply.run();
        } finally {
            compaction.readLock().unlock();
        }
        maybeCompact();
    }

    private void append(CatalogRecord record, boolean sync) {
        compaction.readLock().lock();
        try {
            appendOrReportFull(record, sync);
        } finally {
            compaction.readLock().unlock();
        }
    }

    private void appendOrReportFull(CatalogRecord record, boolean sync) {
        try {
            mdc.append(CatalogRecord.encode(record), sync);
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.LOG_FULL) {
                throw e;
            }
            throw new MpoolException(
                    ErrorCode.NO_SPACE,
                    "metadata shard " + index + " is full: its live records no longer fit its log ("
                            + mdc.capacityBytes() + " bytes)",
                    e);
        }
    }

    /** Compacts when the MDC's log is half full, so recovery reads live state, not history. */
    private void maybeCompact() {
        if (mdc == null || !compactionDue()) {
            return;
        }
        if (!compaction.writeLock().tryLock()) {
            return; // another thread is compacting
        }
        try {
            if (compactionDue()) {
                compactLocked();
            }
        } catch (MpoolException e) {
            // The live state did not fit the other log: the old one stays in use, and appends
            // report NO_SPACE once it is full. The operation that triggered this succeeded.
        } finally {
            compaction.writeLock().unlock();
        }
    }

    private boolean compactionDue() {
        long used = mdc.usedBytes();
        return used * 2 >= mdc.capacityBytes() && used >= 2 * compactedBytes;
    }

    /** Rewrites the shard's live state into the MDC's other log. */
    public void compact() {
        checkWritable();
        compaction.writeLock().lock();
        try {
            compactLocked();
        } finally {
            compaction.writeLock().unlock();
        }
    }

    private void compactLocked() {
        assert compaction.isWriteLockedByCurrentThread() : "compaction without the write side";
        Events.CatalogCompaction event = new Events.CatalogCompaction();
        event.begin();
        long before = mdc.usedBytes();
        mdc.compactStart();
        try {
            table.forEach(e -> {
                CatalogRecord r = recordOf(e);
                mdc.append(CatalogRecord.encode(r), false);
            });
            mdc.append(CatalogRecord.encode(new CatalogRecord.IdReserve(reservedUniquifier)), false);
            mdc.compactEnd();
            compactedBytes = mdc.usedBytes();
            counters.increment(Counter.CATALOG_COMPACTIONS);
            event.end();
            if (event.shouldCommit()) {
                event.catalog = "shard " + index;
                event.records = table.size() + 1L;
                event.bytesBefore = before;
                event.bytesAfter = compactedBytes;
                event.commit();
            }
        } catch (MpoolException e) {
            mdc.compactAbort();
            throw new MpoolException(
                    e.code() == ErrorCode.LOG_FULL ? ErrorCode.NO_SPACE : e.code(),
                    "compaction of metadata shard " + index + " failed: " + e.getMessage(),
                    e);
        }
    }

    public long metadataUsedBytes() {
        return mdc == null ? 0 : mdc.usedBytes();
    }

    public long metadataCapacityBytes() {
        return mdc == null ? 0 : mdc.capacityBytes();
    }

    @Override
    public void close() {
        if (mdc != null) {
            mdc.close();
        }
    }
}
