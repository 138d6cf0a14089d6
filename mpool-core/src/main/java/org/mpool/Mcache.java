package org.mpool;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.mpool.cache.CacheMap;
import org.mpool.cache.PageCache;
import org.mpool.cache.SlotLayout;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.pool.Mblocks;

/**
 * A collection of committed mblocks mapped read-only into one address range, made by
 * {@link Mpool#map}. Each mblock sits in its own slot: slot {@code i} (the {@code i}-th id given
 * to {@code map}) starts at {@code i * slotBytes()}, where the slot size is the largest
 * {@linkplain Mpool#mblockCapacity capacity} among the mblocks (whole pages; the page checksums
 * at the end of a zone are not mapped), so full mblocks of one class follow each other without
 * a gap: data written across a run of full mblocks reads as one range. Bytes of a slot past its
 * mblock's length read as zeros.
 *
 * <pre>{@code
 * try (Mcache map = pool.map(List.of(a, b), Advice.WARM)) {
 *     MemorySegment bytesOfB = map.segment(b);        // length(b) bytes
 *     map.willNeed(map.base(b), map.length(b));        // start readahead
 *     byte first = bytesOfB.get(ValueLayout.JAVA_BYTE, 0);
 * }
 * }</pre>
 *
 * <p>Pages stay in the page cache until the pool's reaper evicts them (by advice, last access
 * and age, see {@link Mpool#setReaperConfig}), {@link #purge()} drops them, or memory pressure
 * does. Record use with {@link #touch()} (or advise/willNeed), or the reaper's TTL treats the
 * map as idle once no new pages are faulted in.
 *
 * <p>While the map is open its mblocks cannot be deleted (BUSY). After {@link #close()}, reads
 * through any segment of it throw {@link IllegalStateException}, and advise, willNeed,
 * residency and purge throw INVALID_STATE. Thread-safe.
 */
public final class Mcache implements AutoCloseable {
    /**
     * Residency of one mblock of a map.
     *
     * @param id the mblock
     * @param residentBytes bytes of it in the page cache (whole pages)
     * @param mappedBytes bytes mapped (its length rounded up to whole pages)
     */
    public record Residency(ObjectId id, long residentBytes, long mappedBytes) {
        public long residentPages() {
            return residentBytes / PageCache.pageSize();
        }

        public long pages() {
            return mappedBytes / PageCache.pageSize();
        }
    }

    private final CacheMap map;
    private final Mblocks mblocks;

    Mcache(CacheMap map, Mblocks mblocks) {
        this.map = map;
        this.mblocks = mblocks;
    }

    /**
     * Reads every mapped mblock through the map and checks it against its checksums (mapped
     * reads are not verified as they happen): page by page, or whole for mblocks committed before
     * format version 3. Faults every page in. CORRUPT names the first mblock and page that fail.
     */
    public void verify() {
        mblocks.verify(map);
    }

    /** The whole range, read-only: {@code size() * slotBytes()} bytes. */
    public MemorySegment segment() {
        return map.segment();
    }

    /** The bytes of one mblock: {@code length(id)} bytes from {@code base(id)}. */
    public MemorySegment segment(ObjectId id) {
        return map.segment().asSlice(base(id), length(id));
    }

    /** The mapped mblocks, in slot order. */
    public List<ObjectId> mblocks() {
        return map.layout().pieces().stream().map(SlotLayout.Piece::id).toList();
    }

    public int size() {
        return map.layout().size();
    }

    /** Size of every slot: the largest capacity among the map's mblocks (see {@link Mpool#mblockCapacity}). */
    public long slotBytes() {
        return map.layout().slotBytes();
    }

    /** Offset of {@code id}'s first byte in {@link #segment()}; NOT_FOUND if the map does not hold it. */
    public long base(ObjectId id) {
        return map.layout().slotOffset(map.slot(id));
    }

    /** Bytes written to {@code id}: what {@link #segment(ObjectId)} covers. */
    public long length(ObjectId id) {
        return map.lengthBytes(map.slot(id));
    }

    /** The advice of {@code id}'s slot. */
    public Advice advice(ObjectId id) {
        return map.advice(map.slot(id));
    }

    /**
     * Sets the advice of every mblock that {@code [offset, offset + length)} of the range
     * touches (the reaper evicts whole mblocks) and records an access. COLD is passed on to the
     * kernel as MADV_COLD.
     */
    public void advise(long offset, long length, Advice advice) {
        map.advise(offset, length, advice);
    }

    /** Sets the advice of every mblock of the map. */
    public void advise(Advice advice) {
        map.advise(0, map.layout().totalBytes(), advice);
    }

    /**
     * Starts reading {@code [offset, offset + length)} into the page cache in the background
     * and records an access; returns at once. A prefetch thread reads the range ahead and maps
     * it in, so a reader that follows takes no page faults. If that would take the pool's maps
     * over the reaper's budget, colder pages are evicted first.
     */
    public void willNeed(long offset, long length) {
        map.willNeed(offset, length);
    }

    /** Records an access to the whole map, for the reaper's LRU and TTL. Cheap: one volatile write. */
    public void touch() {
        map.touch();
    }

    /** Resident pages of each mblock (mincore), in slot order. */
    public List<Residency> residency() {
        long[] resident = map.residentBytes();
        List<Residency> out = new ArrayList<>(resident.length);
        for (int i = 0; i < resident.length; i++) {
            SlotLayout.Piece p = map.layout().pieces().get(i);
            long mapped = (p.lengthBytes() + PageCache.pageSize() - 1) / PageCache.pageSize() * PageCache.pageSize();
            out.add(new Residency(p.id(), resident[i], mapped));
        }
        return out;
    }

    /** Bytes of the map in the page cache now. */
    public long residentBytes() {
        long total = 0;
        for (long r : map.residentBytes()) {
            total += r;
        }
        return total;
    }

    /**
     * Bytes of {@code [offset, offset + length)} of the range in the page cache now, in whole
     * pages (mincore on the pages the range touches; bytes of a slot past its mblock's length are
     * not mapped and never count). Cheap for small ranges: one mincore call per slot touched.
     * INVALID_ARGUMENT for a range outside the map; INVALID_STATE after close.
     */
    public long residentBytes(long offset, long length) {
        return map.residentBytes(offset, length);
    }

    /**
     * Drops this map's pages from the page cache (MADV_DONTNEED, then POSIX_FADV_DONTNEED on
     * the device range). Pages that another map or process still maps stay.
     */
    public void purge() {
        map.purge();
    }

    public boolean isClosed() {
        return map.isClosed();
    }

    /** Unmaps the range and releases the mblocks (they can be deleted again). Idempotent. */
    @Override
    public void close() {
        map.close();
    }

    @Override
    public String toString() {
        return "Mcache[" + size() + " mblocks, slots of " + slotBytes() + " bytes" + (isClosed() ? ", closed" : "")
                + "]";
    }
}
