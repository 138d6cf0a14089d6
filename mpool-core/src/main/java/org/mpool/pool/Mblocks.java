package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.mpool.cache.CacheMap;
import org.mpool.cache.SlotLayout;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.format.ChunkTable;
import org.mpool.meta.ObjectTable;
import org.mpool.observe.Counter;
import org.mpool.observe.Events;

/**
 * The mblocks of a pool: allocate a zone, write it ({@link MblockWrite}), commit or abort,
 * read committed ones with direct I/O, verified page by page against their checksums.
 *
 * <p>Commit durability (docs/FORMAT.md §6): the commit writes the mblock's chunk table (a CRC32C
 * per page) at the end of its zone, and the commit record carries the data's length and the
 * table's CRC, so on the capacity device data, table and record share one flush; data on
 * another device is flushed before the record.
 */
public final class Mblocks {
    private final Pool pool;
    private final ChunkTables tables = new ChunkTables();

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
        Events.Commit event = new Events.Commit();
        event.begin();
        CatalogRecord.Mblock record = record(w, w.writeChunkTable());
        flushDataDevice(w.mediaClass());
        pool.shard(w.id()).commit(record, durable);
        pool.pending().remove(w.id().value());
        tables.put(w.id().value(), w.pageCrcs());
        pool.counters().increment(Counter.COMMITS);
        committed(event, pool, 1, w.writtenBytes(), durable);
    }

    /** Tells the flight recorder of a commit of {@code objects} objects (if a recording wants it). */
    static void committed(Events.Commit event, Pool pool, int objects, long bytes, boolean durable) {
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool.name();
            event.objects = objects;
            event.bytes = bytes;
            event.durable = durable;
            event.commit();
        }
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
        Events.Commit event = new Events.Commit();
        event.begin();
        Map<Integer, List<CatalogRecord.Mblock>> byShard = new TreeMap<>();
        for (MblockWrite w : writers) {
            byShard.computeIfAbsent(w.id().shard(), k -> new ArrayList<>()).add(record(w, w.writeChunkTable()));
        }
        writers.stream().map(MblockWrite::mediaClass).distinct().forEach(this::flushDataDevice);
        byShard.forEach((s, records) -> pool.shards().get(s - 1).commit(records, durable));
        writers.forEach(MblockWrite::markCommitted);
        writers.forEach(w -> pool.pending().remove(w.id().value()));
        writers.forEach(w -> tables.put(w.id().value(), w.pageCrcs()));
        pool.counters().add(Counter.COMMITS, writers.size());
        long bytes = 0;
        for (MblockWrite w : writers) {
            bytes += w.writtenBytes();
        }
        committed(event, pool, writers.size(), bytes, durable);
    }

    private static CatalogRecord.Mblock record(MblockWrite w, int tableCrc) {
        return new CatalogRecord.Mblock(
                w.id().value(), w.mediaClass().code(), w.zone(), w.writtenBytes(), tableCrc, w.ownerTag(), true);
    }

    /** Bytes an mblock of {@code mediaClass} can hold (see {@link ChunkTable#capacity}). */
    public long capacity(MediaClass mediaClass) {
        pool.checkOpen("capacity");
        return ChunkTable.capacity(pool.device(mediaClass).zoneBytes());
    }

    /** A deleted mblock's table is of no more use. */
    void forget(long id) {
        tables.remove(id);
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
    public CacheMap map(List<ObjectId> ids, Advice advice, boolean confined) {
        pool.checkOpen("map");
        SlotLayout.checkIds(ids);
        List<SlotLayout.Piece> pieces = new ArrayList<>(ids.size());
        try {
            for (ObjectId id : ids) {
                ObjectTable.Mblock e = (ObjectTable.Mblock) pool.acquire(id, ObjectId.Type.MBLOCK);
                PoolDevice d = pool.device(e.mediaClass());
                long capacity = e.chunked() ? ChunkTable.capacity(d.zoneBytes()) : d.zoneBytes();
                pieces.add(new SlotLayout.Piece(id, e.mediaClass(), d.zoneOffset(e.zone()), e.lengthBytes(), capacity));
            }
        } catch (RuntimeException ex) {
            pieces.forEach(p -> pool.inUse().release(p.id().value()));
            throw ex;
        }
        Runnable release = () -> pieces.forEach(p -> pool.inUse().release(p.id().value()));
        return pool.cache().map(pieces, mc -> pool.device(mc).device(), advice, confined, release);
    }

    /**
     * Reads committed mblock bytes {@code [offset, offset + buffer.byteSize())} into
     * {@code buffer} with direct I/O and verifies them. Offset and length are multiples of 4096;
     * the range may reach into the zero padding of the last page but no further. CORRUPT names
     * the first page that fails its checksum (mblocks committed before format version 3 have no
     * page checksums: their reads are not verified; check and scrub verify them whole).
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
        verify(e, d, offset, buffer);
    }

    /**
     * Verifies every mapped mblock of {@code map} through the map (what a reader of it sees):
     * page by page, or whole for mblocks committed before format version 3. CORRUPT names the
     * first mblock and page that fail.
     */
    public void verify(CacheMap map) {
        pool.checkOpen("verify");
        if (map.isClosed()) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "verify of a closed map");
        }
        for (int slot = 0; slot < map.layout().size(); slot++) {
            SlotLayout.Piece piece = map.layout().pieces().get(slot);
            ObjectTable.Mblock e = pool.committedMblock(piece.id()); // in use while mapped: still there
            PoolDevice d = pool.device(e.mediaClass());
            MemorySegment data = map.segment()
                    .asSlice(map.layout().slotOffset(slot), AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE));
            if (e.chunked()) {
                ChunkTables.verify(e, d, tables.of(e, d), 0, data);
            } else {
                CRC32C crc = new CRC32C();
                crc.update(data.asSlice(0, e.lengthBytes()).asByteBuffer());
                if ((int) crc.getValue() != e.crc()) {
                    throw MpoolException.corrupt("mblock " + piece.id() + ": its mapped bytes do not match its commit"
                            + " checksum (committed before format version 3: no page checksums to name the page)");
                }
            }
        }
    }

    /** Checks bytes read of {@code e} from {@code offset} against its page checksums, if it has them. */
    void verify(ObjectTable.Mblock e, PoolDevice d, long offset, MemorySegment data) {
        if (e.chunked()) {
            ChunkTables.verify(e, d, tables.of(e, d), offset, data);
        }
    }

    /** Reads a whole committed mblock into a buffer from {@code arena}: exactly its written bytes. */
    public MemorySegment read(ObjectId id, Arena arena) {
        pool.checkOpen("read");
        ObjectTable.Mblock e = pool.committedMblock(id);
        MemorySegment buffer = AlignedBuffers.allocate(
                arena, Math.max(MblockWrite.PAGE, AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE)));
        PoolDevice d = pool.device(e.mediaClass());
        if (e.lengthBytes() > 0) {
            MemorySegment pages = buffer.asSlice(0, AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE));
            d.device().read(d.zoneOffset(e.zone()), pages);
            verify(e, d, 0, pages);
        }
        return buffer.asSlice(0, e.lengthBytes());
    }
}
