package org.mpool.cache;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.AlignedBuffers;
import org.mpool.linux.LibC;

/**
 * One map: a collection of mblocks in one read-only address range (see {@link SlotLayout}),
 * with per-mblock advice and access times for the reaper. The public face is
 * {@link org.mpool.Mcache}.
 *
 * <p>Safety: Java reads go through a segment of a shared arena whose cleanup unmaps the range,
 * so a read after close is an {@link IllegalStateException}, never a fault. Native calls on
 * the range (madvise, mincore) hold the read side of {@link #lock} and check {@link #closed};
 * close takes the write side. So the reaper never advises a range that was unmapped (and
 * possibly reused by another mapping: MADV_DONTNEED there would lose data).
 */
public final class CacheMap {
    /** A unit of the reaper: one slot of one map. */
    public record Slot(CacheMap map, int slot) {}

    private final CacheDomain domain;
    private final SlotLayout layout;
    private final MapSource[] sources;
    private final long[] mappedBytes;
    private final Map<ObjectId, Integer> slots = new HashMap<>();
    private final long address;
    /** Shared, or confined to the thread that made the map (then closing it needs no handshake). */
    private final Arena arena;

    private final MemorySegment segment;
    private final AtomicIntegerArray advice;
    private final AtomicLongArray lastAccessNanos;
    /** Resident bytes each slot had at the last scan: growth means someone read it. */
    private final AtomicLongArray lastResidentBytes;

    private final long createdNanos = System.nanoTime();
    private volatile long touchedNanos = createdNanos;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private final Runnable onClose;

    @SuppressWarnings("restricted") // gives the mapped range its size and its munmap
    private CacheMap(
            CacheDomain domain,
            SlotLayout layout,
            MapSource[] sources,
            long address,
            Advice initial,
            boolean confined,
            Runnable onClose) {
        this.domain = domain;
        this.arena = confined ? Arena.ofConfined() : Arena.ofShared();
        this.layout = layout;
        this.sources = sources;
        this.address = address;
        this.onClose = onClose;
        int n = layout.size();
        this.mappedBytes = new long[n];
        this.advice = new AtomicIntegerArray(n);
        this.lastAccessNanos = new AtomicLongArray(n);
        this.lastResidentBytes = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            SlotLayout.Piece p = layout.pieces().get(i);
            mappedBytes[i] = AlignedBuffers.alignUp(p.lengthBytes(), LibC.PAGE_SIZE);
            slots.put(p.id(), i);
            advice.set(i, initial.ordinal());
            lastAccessNanos.set(i, createdNanos);
        }
        long total = layout.totalBytes();
        this.segment = MemorySegment.ofAddress(address)
                .reinterpret(total, arena, s -> Mappings.unmap(address, total))
                .asReadOnly();
    }

    /**
     * Reserves the range and maps every mblock over it; on failure nothing stays mapped. A
     * {@code confined} map can be read and closed by the calling thread only.
     */
    static CacheMap open(
            CacheDomain domain,
            SlotLayout layout,
            MapSource[] sources,
            Advice advice,
            boolean confined,
            Runnable onClose) {
        long total = layout.totalBytes();
        long address = Mappings.reserve(total);
        try {
            for (int i = 0; i < layout.size(); i++) {
                SlotLayout.Piece p = layout.pieces().get(i);
                long mapped = AlignedBuffers.alignUp(p.lengthBytes(), LibC.PAGE_SIZE);
                if (mapped > 0) {
                    Mappings.mapFile(
                            address + layout.slotOffset(i),
                            mapped,
                            sources[i].fd(),
                            p.deviceOffset(),
                            "mblock " + p.id() + " of " + sources[i].name());
                    // A fault would otherwise read around it: up to read_ahead_kb (8 MiB here) of the
                    // device, mostly other objects' zones, which no map accounts for. Faults read
                    // single pages; sequential readers ask for readahead with willNeed, which
                    // reads exactly the range asked for.
                    PageCache.hint(address + layout.slotOffset(i), mapped, LibC.MADV_RANDOM);
                }
            }
            return new CacheMap(domain, layout, sources, address, advice, confined, onClose);
        } catch (RuntimeException | Error e) {
            Mappings.unmap(address, total);
            throw e;
        }
    }

    public MemorySegment segment() {
        return segment;
    }

    public SlotLayout layout() {
        return layout;
    }

    /** The slot of {@code id}; NOT_FOUND if the map does not hold it. */
    public int slot(ObjectId id) {
        Integer s = slots.get(id);
        if (s == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "mblock " + id + " is not in this map");
        }
        return s;
    }

    public long lengthBytes(int slot) {
        return layout.pieces().get(slot).lengthBytes();
    }

    public Advice advice(int slot) {
        return Advice.values()[advice.get(slot)];
    }

    public boolean isClosed() {
        return closed;
    }

    public void touch() {
        touchedNanos = System.nanoTime();
    }

    /** Sets the advice of every mblock the range touches; COLD also tells the kernel. */
    public void advise(long offset, long length, Advice newAdvice) {
        checkRange("advise", offset, length);
        long now = System.nanoTime();
        withOpenRange(
                "advise",
                () -> forEachSlot(offset, length, (slot, from, len) -> {
                    advice.set(slot, newAdvice.ordinal());
                    lastAccessNanos.set(slot, now);
                    if (newAdvice == Advice.COLD && len > 0) {
                        PageCache.hint(address + from, len, LibC.MADV_COLD);
                    }
                }));
    }

    /**
     * Starts readahead of the range and returns: the {@link Prefetcher} thread reads it ahead
     * and maps it in. The reaper first makes room for it, so a scan driven by willNeed stays
     * within the budget.
     */
    public void willNeed(long offset, long length) {
        checkRange("willNeed", offset, length);
        long[] demand = {0};
        forEachSlot(offset, length, (slot, from, len) -> demand[0] += len);
        domain.makeRoom(demand[0]);
        long now = System.nanoTime();
        withOpenRange(
                "willNeed",
                () -> forEachSlot(offset, length, (slot, from, len) -> {
                    lastAccessNanos.set(slot, now);
                    if (len > 0) {
                        Prefetcher.submit(this, from, len);
                    }
                }));
    }

    /** For the prefetcher: MADV_WILLNEED on a range willNeed queued, unless the map closed since. */
    void startReadahead(long offset, long length) {
        try {
            ifOpen(() -> PageCache.willNeed(address + offset, length));
        } finally {
            domain.demandIssued(length); // issued or not: either way the next scan sees the truth
        }
    }

    /** For the prefetcher: maps in a range whose readahead it started, unless the map closed since. */
    void populate(long offset, long length) {
        ifOpen(() -> PageCache.populate(address + offset, length));
    }

    /** Runs a hint under the read lock if the map is open; a failure is counted, not thrown. */
    private void ifOpen(Runnable hint) {
        lock.readLock().lock();
        try {
            if (!closed) {
                hint.run();
            }
        } catch (MpoolException e) {
            domain.hintFailed();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Resident bytes of each slot's mblock (mincore), in slot order. */
    public long[] residentBytes() {
        long[] out = new long[layout.size()];
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment vector = scratch.allocate(PageCache.MINCORE_PAGES);
            withOpenRange("residency", () -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = PageCache.residentPages(address + layout.slotOffset(i), mappedBytes[i], vector)
                            * LibC.PAGE_SIZE;
                }
            });
        }
        return out;
    }

    /**
     * Resident bytes of the mapped pages that {@code [offset, offset + length)} touches (mincore,
     * whole pages); pages of a slot past its mblock's length are not mapped and not counted.
     */
    public long residentBytes(long offset, long length) {
        checkRange("residency", offset, length);
        long pages = (AlignedBuffers.alignUp(offset + length, LibC.PAGE_SIZE)
                        - AlignedBuffers.alignDown(offset, LibC.PAGE_SIZE))
                / LibC.PAGE_SIZE;
        long[] resident = {0};
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment vector = scratch.allocate(Math.max(1, Math.min(pages, PageCache.MINCORE_PAGES)));
            withOpenRange(
                    "residency",
                    () -> forEachSlot(offset, length, (slot, from, len) -> {
                        if (len > 0) {
                            resident[0] += PageCache.residentPages(address + from, len, vector) * LibC.PAGE_SIZE;
                        }
                    }));
        }
        return resident[0];
    }

    /** Drops every page of this map from the page cache (pages another mapping holds stay). */
    public void purge() {
        withOpenRange("purge", () -> {
            for (int i = 0; i < layout.size(); i++) {
                evictLocked(i);
            }
        });
    }

    /**
     * Adds this map's units with their resident bytes to {@code out}; nothing if it is closed.
     * Called by the reaper's scan, one at a time.
     */
    void collect(List<ReaperPolicy.Unit<Slot>> out, MemorySegment vector, long nowNanos) {
        lock.readLock().lock();
        try {
            if (closed) {
                return;
            }
            long touched = touchedNanos;
            for (int i = 0; i < layout.size(); i++) {
                long resident = PageCache.residentPages(address + layout.slotOffset(i), mappedBytes[i], vector)
                        * LibC.PAGE_SIZE;
                if (resident > lastResidentBytes.getAndSet(i, resident)) {
                    lastAccessNanos.set(i, nowNanos);
                }
                long access = Math.max(touched, lastAccessNanos.get(i));
                out.add(new ReaperPolicy.Unit<>(new Slot(this, i), advice(i), access, createdNanos, resident));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Evicts one slot's pages unless the map closed meanwhile; false then. */
    boolean evict(int slot) {
        lock.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            evictLocked(slot);
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void evictLocked(int slot) {
        if (mappedBytes[slot] > 0) {
            PageCache.evict(
                    address + layout.slotOffset(slot),
                    mappedBytes[slot],
                    sources[slot].fd(),
                    layout.pieces().get(slot).deviceOffset());
        }
        lastResidentBytes.set(slot, 0);
    }

    /**
     * Unmaps the range and releases the mblocks. Reads through {@link #segment()} afterwards
     * throw IllegalStateException. Idempotent.
     */
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            try {
                arena.close();
            } catch (IllegalStateException e) {
                // A native call (say, a write to a channel) holds a slice of the segment right now.
                throw new MpoolException(
                        ErrorCode.BUSY, "map is in use by a native call; close it when that returns", e);
            } catch (WrongThreadException e) {
                // Only its owner can know it is not reading the map now: the map stays.
                throw new MpoolException(
                        ErrorCode.BUSY,
                        "a confined map is closed by the thread that made it, not by "
                                + Thread.currentThread().getName(),
                        e);
            }
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        domain.forget(this);
        onClose.run();
    }

    @FunctionalInterface
    private interface SlotRange {
        void accept(int slot, long fromOffset, long length);
    }

    /** Visits each slot overlapping {@code [offset, offset + length)} with the overlap's mapped, page-aligned part. */
    private void forEachSlot(long offset, long length, SlotRange visitor) {
        if (length == 0) {
            return;
        }
        long page = LibC.PAGE_SIZE;
        long start = AlignedBuffers.alignDown(offset, page);
        long end = offset + length;
        int first = (int) (start / layout.slotBytes());
        int last = (int) ((end - 1) / layout.slotBytes());
        for (int s = first; s <= last; s++) {
            long slotStart = layout.slotOffset(s);
            long from = Math.max(start, slotStart);
            long to = Math.min(AlignedBuffers.alignUp(end, page), slotStart + mappedBytes[s]);
            visitor.accept(s, from, Math.max(0, to - from));
        }
    }

    private void checkRange(String op, long offset, long length) {
        if (offset < 0 || length < 0 || offset > layout.totalBytes() - length) {
            throw MpoolException.invalid(op + ": range [" + offset + ", " + (offset + length)
                    + ") is outside the map's " + layout.totalBytes() + " bytes");
        }
    }

    private void withOpenRange(String op, Runnable action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new MpoolException(ErrorCode.INVALID_STATE, op + ": the map is closed");
            }
            action.run();
        } finally {
            lock.readLock().unlock();
        }
    }
}
