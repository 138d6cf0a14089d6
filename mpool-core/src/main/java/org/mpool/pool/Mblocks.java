package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mpool.cache.CacheMap;
import org.mpool.cache.SlotLayout;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.meta.ObjectTable;

/**
 * The mblocks of a pool: allocate a zone, write it ({@link MblockWrite}), commit or abort,
 * read committed ones with direct I/O.
 *
 * <p>Commit durability (docs/FORMAT.md §6): the commit record carries the data's length and
 * CRC32C, so on the capacity device data and record share one flush; data on another device
 * is flushed before the record.
 */
public final class Mblocks {
    private final Pool pool;

    Mblocks(Pool pool) {
        this.pool = pool;
    }

    /**
     * Allocates an mblock in {@code mediaClass}; with {@code fallBack}, in the other class if
     * that one is missing or full.
     */
    public MblockWrite allocate(MediaClass mediaClass, boolean fallBack) {
        pool.checkWritable("allocate");
        MediaClass other = mediaClass == MediaClass.CAPACITY ? MediaClass.STAGING : MediaClass.CAPACITY;
        try {
            return allocateIn(mediaClass);
        } catch (MpoolException e) {
            if (!fallBack
                    || !pool.hasMediaClass(other)
                    || (e.code() != ErrorCode.NO_SPACE && e.code() != ErrorCode.NOT_FOUND)) {
                throw e;
            }
            return allocateIn(other);
        }
    }

    private MblockWrite allocateIn(MediaClass mediaClass) {
        PoolDevice d = pool.device(mediaClass);
        long zone = pool.space(mediaClass).allocate(1, false);
        try {
            ObjectId id = pool.pickShard().newId(ObjectId.Type.MBLOCK);
            pool.pending().add(id.value());
            return new MblockWrite(pool, id, mediaClass, d.device(), zone, d.zoneBytes());
        } catch (RuntimeException e) {
            pool.space(mediaClass).free(zone, 1);
            throw e;
        }
    }

    /**
     * Commits one mblock: its commit record carries the data's length and CRC32C. With
     * {@code durable} the record is flushed before this returns (the flush also covers the data
     * on the capacity device); else it is flushed by the next flush of the pool, or a durable
     * append to the same shard, and until then a crash may take the commit back — never half
     * of it (recovery checks the data of records no flush confirmed).
     */
    void commit(MblockWrite w, boolean durable) {
        pool.checkWritable("commit");
        assert w.pool() == pool : "a writer of another pool";
        assert pool.pending().contains(w.id().value()) : "a commit of an mblock not pending";
        flushDataDevice(w.mediaClass());
        pool.shard(w.id()).commit(record(w), durable);
        pool.pending().remove(w.id().value());
    }

    /** Commits many mblocks with one flush per device and one per metadata shard involved (none if deferred). */
    public void commit(List<MblockWrite> writers, boolean durable) {
        pool.checkWritable("commit");
        Set<ObjectId> ids = new HashSet<>();
        for (MblockWrite w : writers) {
            if (!ids.add(w.id())) {
                throw MpoolException.invalid("commit of mblock " + w.id() + ": its writer is listed twice");
            }
            if (w.pool() != pool) {
                // Its zone is not this handle's to record: another pool's, or one the reopen freed.
                throw MpoolException.invalid("commit of mblock " + w.id() + ": its writer is of another pool, or of"
                        + " an earlier handle of this one");
            }
            w.checkWriting("commit");
        }
        writers.stream().map(MblockWrite::mediaClass).distinct().forEach(this::flushDataDevice);
        Map<Integer, List<CatalogRecord.Mblock>> byShard = new TreeMap<>();
        for (MblockWrite w : writers) {
            byShard.computeIfAbsent(w.id().shard(), k -> new ArrayList<>()).add(record(w));
        }
        byShard.forEach((s, records) -> pool.shards().get(s - 1).commit(records, durable));
        writers.forEach(MblockWrite::markCommitted);
        writers.forEach(w -> pool.pending().remove(w.id().value()));
    }

    private static CatalogRecord.Mblock record(MblockWrite w) {
        return new CatalogRecord.Mblock(
                w.id().value(), w.mediaClass().code(), w.zone(), w.writtenBytes(), w.dataCrc(), w.ownerTag());
    }

    /**
     * Data on a device other than the capacity device (where the catalog lives) is flushed
     * first, deferred commits too: no later flush of the shard's log may make the record
     * durable before the data it names.
     */
    private void flushDataDevice(MediaClass mediaClass) {
        if (mediaClass != MediaClass.CAPACITY) {
            pool.device(mediaClass).device().flush();
        }
    }

    void abort(MblockWrite w) {
        assert w.pool() == pool : "a writer of another pool";
        pool.pending().remove(w.id().value());
        if (!pool.closed()) {
            pool.space(w.mediaClass()).free(w.zone(), 1);
        }
    }

    /**
     * Maps committed mblocks into one address range (see {@code Mcache}); they are in use, so
     * not deletable, until the map closes.
     */
    public CacheMap map(List<ObjectId> ids, Advice advice) {
        pool.checkOpen("map");
        SlotLayout.checkIds(ids);
        List<SlotLayout.Piece> pieces = new ArrayList<>(ids.size());
        try {
            for (ObjectId id : ids) {
                ObjectTable.Mblock e = (ObjectTable.Mblock) pool.acquire(id, ObjectId.Type.MBLOCK);
                PoolDevice d = pool.device(e.mediaClass());
                pieces.add(new SlotLayout.Piece(
                        id, e.mediaClass(), d.zoneOffset(e.zone()), e.lengthBytes(), d.zoneBytes()));
            }
        } catch (RuntimeException ex) {
            pieces.forEach(p -> pool.inUse().release(p.id().value()));
            throw ex;
        }
        Runnable release = () -> pieces.forEach(p -> pool.inUse().release(p.id().value()));
        return pool.cache().map(pieces, mc -> pool.device(mc).device(), advice, release);
    }

    /**
     * Reads committed mblock bytes {@code [offset, offset + buffer.byteSize())} into
     * {@code buffer} with direct I/O. Offset and length are multiples of 4096; the range may
     * reach into the zero padding of the last page but no further.
     */
    public void read(ObjectId id, long offset, MemorySegment buffer) {
        pool.checkOpen("read");
        ObjectTable.Mblock e = pool.committedMblock(id);
        long readable = AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE);
        if (offset < 0
                || offset % MblockWrite.PAGE != 0
                || buffer.byteSize() % MblockWrite.PAGE != 0
                || offset > readable - buffer.byteSize()) { // not offset + size: it may overflow
            throw MpoolException.invalid("read of mblock " + id + ": range [" + offset + ", "
                    + (offset + buffer.byteSize()) + ") must be 4096-aligned and within its " + e.lengthBytes()
                    + " written bytes (" + readable + " with padding)");
        }
        PoolDevice d = pool.device(e.mediaClass());
        d.device().read(d.zoneOffset(e.zone()) + offset, buffer);
    }

    /** Reads a whole committed mblock into a buffer from {@code arena}: exactly its written bytes. */
    public MemorySegment read(ObjectId id, Arena arena) {
        pool.checkOpen("read");
        ObjectTable.Mblock e = pool.committedMblock(id);
        MemorySegment buffer = AlignedBuffers.allocate(
                arena, Math.max(MblockWrite.PAGE, AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE)));
        PoolDevice d = pool.device(e.mediaClass());
        if (e.lengthBytes() > 0) {
            d.device()
                    .read(
                            d.zoneOffset(e.zone()),
                            buffer.asSlice(0, AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE)));
        }
        return buffer.asSlice(0, e.lengthBytes());
    }
}
