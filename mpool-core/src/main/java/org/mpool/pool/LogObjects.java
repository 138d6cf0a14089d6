package org.mpool.pool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.format.CatalogRecord;
import org.mpool.format.LogIds;
import org.mpool.log.LogPair;
import org.mpool.log.LogSpec;
import org.mpool.log.RecordLog;
import org.mpool.log.RecordReader;
import org.mpool.meta.ObjectTable;
import org.mpool.observe.Counter;
import org.mpool.observe.Events;

/**
 * The objects of a pool made of logs: mlogs (one log of whole zones) and MDCs (two, one after
 * the other), and the root MDC every pool has. Allocate whole zones and format them empty,
 * commit (or abort) the allocation, open committed ones for writing (one handle per object:
 * see {@link OpenLogs}), read them without opening.
 */
public final class LogObjects {
    /** An allocated, uncommitted mlog or MDC: where its zones are. */
    private record Allocated(ObjectId.Type type, MediaClass mediaClass, long firstZone, long zones) {}

    private final Pool pool;
    private final Map<Long, Allocated> allocated = new ConcurrentHashMap<>();
    private final OpenLogs open = new OpenLogs();

    LogObjects(Pool pool) {
        this.pool = pool;
    }

    /**
     * Allocates an mlog or an MDC in {@code mediaClass} of at least {@code capacityBytes} (an
     * MDC: in each of its two logs), rounded up to whole zones, and formats it empty. It exists
     * after {@link #commit}.
     */
    public ObjectId allocate(ObjectId.Type type, MediaClass mediaClass, long capacityBytes) {
        pool.checkWritable("allocate");
        assert type != ObjectId.Type.MBLOCK : "mblocks are allocated by Mblocks";
        if (capacityBytes <= 0) {
            throw MpoolException.invalid(type.label() + " capacity must be positive, got " + capacityBytes);
        }
        PoolDevice d = pool.device(mediaClass);
        long zonesPerLog = Layout.zonesFor(capacityBytes, d.zoneBytes());
        long zones = type == ObjectId.Type.MDC ? 2 * zonesPerLog : zonesPerLog;
        long first = pool.space(mediaClass).allocate(zones, false);
        try {
            ObjectId id = pool.pickShard().newId(type);
            if (type == ObjectId.Type.MLOG) {
                RecordLog.format(mlogSpec(d, id, first, zones), 1, d.isFile()).close();
            } else {
                LogPair.create(mdcSpec(d, id, first, zonesPerLog, 0), mdcSpec(d, id, first, zonesPerLog, 1), d.isFile())
                        .close();
            }
            allocated.put(id.value(), new Allocated(type, mediaClass, first, zones));
            pool.pending().add(id.value());
            return id;
        } catch (RuntimeException e) {
            pool.space(mediaClass).free(first, zones);
            throw e;
        }
    }

    /** Commits an allocated mlog or MDC, tagged with {@code owner} (0: none); durable on return. */
    public void commit(ObjectId id, long owner) {
        pool.checkWritable("commit");
        Allocated a = allocated.get(id.value());
        if (a == null || a.type() != id.type()) {
            throw new MpoolException(
                    ErrorCode.NOT_FOUND, id.type().label() + " " + id + " is not allocated and uncommitted");
        }
        CatalogRecord record = a.type() == ObjectId.Type.MLOG
                ? new CatalogRecord.Mlog(id.value(), a.mediaClass().code(), a.firstZone(), a.zones(), owner)
                : new CatalogRecord.Mdc(id.value(), a.mediaClass().code(), a.firstZone(), a.zones() / 2, owner);
        Events.Commit event = new Events.Commit();
        event.begin();
        pool.shard(id).commit(record, true);
        allocated.remove(id.value());
        pool.pending().remove(id.value());
        pool.counters().increment(Counter.COMMITS);
        Mblocks.committed(event, pool, 1, 0, true);
    }

    /** Frees an allocated, uncommitted mlog or MDC: it never existed. */
    public void abort(ObjectId id) {
        pool.checkWritable("abort");
        Allocated a = allocated.remove(id.value());
        if (a == null) {
            throw new MpoolException(
                    ErrorCode.NOT_FOUND, id.type().label() + " " + id + " is not allocated and uncommitted");
        }
        pool.pending().remove(id.value());
        pool.space(a.mediaClass()).free(a.firstZone(), a.zones());
    }

    /** Opens a committed mlog for appending and reading; BUSY while another handle has it open. */
    public RecordLog openMlog(ObjectId id) {
        pool.checkWritable("open");
        ObjectTable.Mlog e = (ObjectTable.Mlog) pool.acquire(id, ObjectId.Type.MLOG);
        return opened(
                id.value(),
                "mlog " + id,
                () -> RecordLog.open(spec(e), () -> closed(id.value(), true)),
                log -> handle(log::flush, log::close, log::reader));
    }

    /** Opens a committed MDC for appending, reading and compacting; BUSY while another handle has it open. */
    public LogPair openMdc(ObjectId id) {
        pool.checkWritable("open");
        ObjectTable.Mdc e = (ObjectTable.Mdc) pool.acquire(id, ObjectId.Type.MDC);
        PoolDevice d = pool.device(e.mediaClass());
        return opened(
                id.value(),
                "MDC " + id,
                () -> LogPair.open(
                        mdcSpec(d, id, e.zone(), e.zonesPerLog(), 0),
                        mdcSpec(d, id, e.zone(), e.zonesPerLog(), 1),
                        () -> closed(id.value(), true)),
                mdc -> handle(mdc::flush, mdc::close, mdc::reader));
    }

    /**
     * Opens the pool's root MDC; BUSY while another handle has it open. A pool upgraded from
     * version 1 gets its root MDC here, the first time (NO_SPACE if two zones cannot be found).
     */
    public LogPair openRoot() {
        pool.checkWritable("open");
        return opened(
                LogIds.ROOT_MDC,
                "the root MDC",
                () -> {
                    CatalogRecord.RootMdc root = pool.config().rootMdc();
                    if (root == null) {
                        root = RootMdcs.create(pool.capacity(), pool.space(MediaClass.CAPACITY));
                        pool.config().update(List.of(root));
                    }
                    return LogPair.open(
                            Layout.rootMdc(pool.capacity(), root, 0),
                            Layout.rootMdc(pool.capacity(), root, 1),
                            () -> closed(LogIds.ROOT_MDC, false));
                },
                mdc -> handle(mdc::flush, mdc::close, mdc::reader));
    }

    /** Reads a committed mlog's or MDC's records (null: the root MDC's) without opening it for writing. */
    public RecordReader read(ObjectId id) {
        if (id == null) {
            return readRoot();
        }
        return id.type() == ObjectId.Type.MDC ? readMdc(id) : readMlog(id);
    }

    /**
     * Reads a committed mlog's records without opening it for writing (works read-only too);
     * through its handle if it is open in this process, so that an erase meanwhile ends the read
     * instead of looking like damage.
     */
    public RecordReader readMlog(ObjectId id) {
        pool.checkOpen("read");
        ObjectTable.Mlog e = pool.committedMlog(id);
        RecordReader live = open.reader(id.value());
        return live != null ? live : RecordLog.read(spec(e));
    }

    /** Reads a committed MDC's client records without opening it for writing (works read-only too); as readMlog. */
    public RecordReader readMdc(ObjectId id) {
        pool.checkOpen("read");
        ObjectTable.Mdc e = pool.committedMdc(id);
        RecordReader live = open.reader(id.value());
        if (live != null) {
            return live;
        }
        PoolDevice d = pool.device(e.mediaClass());
        return LogPair.readOnlyReader(
                mdcSpec(d, id, e.zone(), e.zonesPerLog(), 0), mdcSpec(d, id, e.zone(), e.zonesPerLog(), 1));
    }

    /** Reads the root MDC's client records without opening it for writing (works read-only too). */
    public RecordReader readRoot() {
        pool.checkOpen("read");
        CatalogRecord.RootMdc root = root();
        return LogPair.readOnlyReader(
                Layout.rootMdc(pool.capacity(), root, 0), Layout.rootMdc(pool.capacity(), root, 1));
    }

    /** Makes everything appended to every open mlog and MDC durable. */
    void flushAll() {
        open.flushAll();
    }

    /** Closes every open mlog and MDC, each flushed; returns the first failure, after trying all. */
    RuntimeException closeAll() {
        return open.closeAll();
    }

    private CatalogRecord.RootMdc root() {
        CatalogRecord.RootMdc root = pool.config().rootMdc();
        if (root == null) {
            throw new MpoolException(
                    ErrorCode.NOT_FOUND,
                    "pool '" + pool.name() + "' has no root MDC yet (it was"
                            + " made by format version 1): it gets one when first opened with rootMdc()");
        }
        return root;
    }

    /** Opens a log object under {@code key}: reserved first, so two opens never both recover it. */
    private <T> T opened(
            long key, String what, Supplier<T> opener, java.util.function.Function<T, OpenLogs.Handle> asHandle) {
        try {
            open.reserve(key, what);
        } catch (RuntimeException e) {
            release(key);
            throw e;
        }
        try {
            T log = opener.get();
            open.install(key, asHandle.apply(log));
            return log;
        } catch (RuntimeException e) {
            open.release(key);
            release(key);
            throw e;
        }
    }

    /** A handle closed: its object may be opened, and deleted, again. */
    private void closed(long key, boolean inUse) {
        open.release(key);
        if (inUse) {
            pool.inUse().release(key);
        }
    }

    /** After a failed open: the object's use count taken by acquire goes back (not the root's: it has none). */
    private void release(long key) {
        if (key != LogIds.ROOT_MDC) {
            pool.inUse().release(key);
        }
    }

    private static OpenLogs.Handle handle(Runnable flush, Runnable close, Supplier<RecordReader> reader) {
        return new OpenLogs.Handle() {
            @Override
            public void flush() {
                flush.run();
            }

            @Override
            public void close() {
                close.run();
            }

            @Override
            public RecordReader reader() {
                return reader.get();
            }
        };
    }

    private LogSpec spec(ObjectTable.Mlog e) {
        return mlogSpec(pool.device(e.mediaClass()), new ObjectId(e.id()), e.zone(), e.zoneCount());
    }

    private LogSpec mlogSpec(PoolDevice d, ObjectId id, long firstZone, long zones) {
        return Layout.mlog(d, pool.uuid(), id.value(), firstZone, zones);
    }

    private LogSpec mdcSpec(PoolDevice d, ObjectId id, long firstZone, long zonesPerLog, int which) {
        return Layout.mdc(d, pool.uuid(), id.value(), firstZone, zonesPerLog, which);
    }
}
