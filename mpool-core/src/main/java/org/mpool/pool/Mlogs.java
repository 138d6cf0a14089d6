package org.mpool.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.log.LogReader;
import org.mpool.log.LogSpec;
import org.mpool.log.RecordLog;
import org.mpool.meta.ObjectTable;

/**
 * The mlogs of a pool: allocate whole zones and format them as an empty log, commit (or abort)
 * the allocation, open committed logs for appending, read them without opening.
 */
public final class Mlogs {
    /** An allocated, uncommitted mlog: where its zones are. */
    private record Allocated(MediaClass mediaClass, long firstZone, long zones) {}

    private final Pool pool;
    private final Map<Long, Allocated> allocated = new ConcurrentHashMap<>();

    Mlogs(Pool pool) {
        this.pool = pool;
    }

    /**
     * Allocates an mlog of at least {@code capacityBytes} (rounded up to whole zones) in
     * {@code mediaClass} and formats it empty. It exists after {@link #commit}.
     */
    public ObjectId allocate(MediaClass mediaClass, long capacityBytes) {
        pool.checkWritable("allocate");
        if (capacityBytes <= 0) {
            throw MpoolException.invalid("mlog capacity must be positive, got " + capacityBytes);
        }
        PoolDevice d = pool.device(mediaClass);
        long zoneBytes = d.zoneBytes();
        long zones = (capacityBytes + zoneBytes - 1) / zoneBytes;
        long first = pool.space(mediaClass).allocate(zones, false);
        try {
            ObjectId id = pool.pickShard().newId(ObjectId.Type.MLOG);
            RecordLog.format(spec(d, id, first, zones), 1, d.isFile()).close();
            allocated.put(id.value(), new Allocated(mediaClass, first, zones));
            pool.pending().add(id.value());
            return id;
        } catch (RuntimeException e) {
            pool.space(mediaClass).free(first, zones);
            throw e;
        }
    }

    public void commit(ObjectId id) {
        pool.checkWritable("commit");
        Allocated a = allocated.get(id.value());
        if (a == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "mlog " + id + " is not allocated and uncommitted");
        }
        pool.shard(id).commitMlog(id, a.mediaClass(), a.firstZone(), a.zones());
        allocated.remove(id.value());
        pool.pending().remove(id.value());
    }

    public void abort(ObjectId id) {
        pool.checkWritable("abort");
        Allocated a = allocated.remove(id.value());
        if (a == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "mlog " + id + " is not allocated and uncommitted");
        }
        pool.pending().remove(id.value());
        pool.space(a.mediaClass()).free(a.firstZone(), a.zones());
    }

    /** Opens a committed mlog for appending and reading. While open, it cannot be deleted. */
    public RecordLog open(ObjectId id) {
        pool.checkWritable("open");
        ObjectTable.Mlog e = (ObjectTable.Mlog) pool.acquire(id, ObjectId.Type.MLOG);
        try {
            return RecordLog.open(spec(e, id), () -> pool.inUse().release(id.value()));
        } catch (RuntimeException ex) {
            pool.inUse().release(id.value());
            throw ex;
        }
    }

    /** Reads a committed mlog's records without opening it for writing (works read-only too). */
    public LogReader read(ObjectId id) {
        pool.checkOpen("read");
        return RecordLog.read(spec(pool.committedMlog(id), id));
    }

    private LogSpec spec(ObjectTable.Mlog e, ObjectId id) {
        return spec(pool.device(e.mediaClass()), id, e.zone(), e.zoneCount());
    }

    private LogSpec spec(PoolDevice d, ObjectId id, long firstZone, long zones) {
        return Layout.mlog(d, pool.uuid(), id.value(), firstZone, zones);
    }
}
