package org.mpool.cache;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.Reaper;
import org.mpool.common.Reaper.Advice;
import org.mpool.linux.LibC;
import org.mpool.observe.Counter;
import org.mpool.observe.Counters;
import org.mpool.observe.Events;
import org.mpool.spi.BlockDevice;

/**
 * The maps of one pool and the reaper's state for them: its tunables, its statistics and the
 * scan that measures their page cache (mincore) and evicts what {@link ReaperPolicy} chooses.
 * Scans run on the reaper thread every period, and on a caller's thread when a willNeed would
 * push the pool's maps over the budget.
 */
public final class CacheDomain implements AutoCloseable {
    /** Address space all maps of one pool may take: 16 TiB of the 128 TiB a process has. */
    static final long MAX_MAPPED_BYTES = 1L << 44;

    private final Supplier<String> poolName;
    private final Set<CacheMap> maps = ConcurrentHashMap.newKeySet();
    private final Map<MediaClass, MapSource> sources = new EnumMap<>(MediaClass.class);
    private final AtomicLong mappedBytes = new AtomicLong();
    private final ReentrantLock scanLock = new ReentrantLock();
    /** The mincore vector of scans (which hold scanLock); any thread may scan, so not confined. */
    private final MemorySegment vector = Arena.ofAuto().allocate(PageCache.MINCORE_PAGES);

    private volatile Reaper.Config config;
    private volatile long budgetBytes;
    private volatile long nextScanNanos = System.nanoTime();
    private volatile long residentBytes;
    /**
     * Readahead a scan has not seen yet: bytes willNeed asked for, and of those the bytes whose
     * readahead was issued (its pages are then in the cache at once, so a scan that starts
     * later sees them in mincore and takes them off both counters).
     */
    private final AtomicLong requestedDemandBytes = new AtomicLong();

    private final AtomicLong issuedDemandBytes = new AtomicLong();
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong ttlEvictions = new AtomicLong();
    private final AtomicLong evictedBytes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private boolean registered;
    private boolean closed;

    /** The pool's counters: scans and evictions are counted there too. */
    private final Counters counters;

    /** {@code poolName} names the pool in messages (it can be renamed while open). */
    public CacheDomain(Supplier<String> poolName, Reaper.Config config, Counters counters) {
        this.poolName = poolName;
        this.counters = counters;
        configure(config);
    }

    /**
     * Maps {@code pieces} (checked, committed and marked in use by the caller) with the devices
     * {@code devices} gives; {@code release} runs once when the map closes, or now if it fails.
     */
    public CacheMap map(
            List<SlotLayout.Piece> pieces,
            Function<MediaClass, BlockDevice> devices,
            Advice advice,
            boolean confined,
            Runnable release) {
        boolean done = false;
        SlotLayout layout = SlotLayout.of(pieces);
        long total = layout.totalBytes();
        try {
            MapSource[] perSlot = new MapSource[layout.size()];
            for (int i = 0; i < perSlot.length; i++) {
                MediaClass mc = layout.pieces().get(i).mediaClass();
                perSlot[i] = source(mc, devices.apply(mc));
            }
            if (mappedBytes.addAndGet(total) > MAX_MAPPED_BYTES) {
                mappedBytes.addAndGet(-total);
                throw new MpoolException(
                        ErrorCode.NO_SPACE,
                        "map: the maps of pool '" + poolName.get() + "' would take more than " + MAX_MAPPED_BYTES
                                + " bytes of address space; close some first");
            }
            CacheMap map;
            try {
                map = CacheMap.open(this, layout, perSlot, advice, confined, release);
            } catch (RuntimeException e) {
                mappedBytes.addAndGet(-total);
                throw e;
            }
            maps.add(map);
            done = true;
            if (!startReaper()) { // the pool closed while this map was made
                map.close();
                throw new MpoolException(ErrorCode.INVALID_STATE, "map: pool '" + poolName.get() + "' is closed");
            }
            return map;
        } finally {
            if (!done) {
                release.run();
            }
        }
    }

    private synchronized MapSource source(MediaClass mediaClass, BlockDevice device) {
        if (closed) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "map: pool '" + poolName.get() + "' is closed");
        }
        return sources.computeIfAbsent(mediaClass, mc -> MapSource.open(device));
    }

    /** Registers with the reaper thread on the first map; false if the domain is closed. */
    private synchronized boolean startReaper() {
        if (!registered && !closed) {
            registered = true;
            ReaperThread.register(this);
        }
        return !closed;
    }

    /** Called by a map once it is unmapped. */
    void forget(CacheMap map) {
        if (maps.remove(map)) {
            mappedBytes.addAndGet(-map.layout().totalBytes());
        }
    }

    /**
     * Drops the page cache of a deleted mblock's zone. Maps that held it are closed, so its
     * pages are mapped nowhere and no scan would see them; without this they would linger
     * until the kernel reclaims them. A hint: failures are ignored.
     */
    public synchronized void dropCached(MediaClass mediaClass, long deviceOffset, long lengthBytes) {
        MapSource source = sources.get(mediaClass);
        if (source != null) { // never mapped from this device: nothing of it is cached by maps
            LibC.posixFadvise(source.fd(), deviceOffset, lengthBytes, LibC.POSIX_FADV_DONTNEED);
        }
    }

    public void configure(Reaper.Config newConfig) {
        config = newConfig;
        budgetBytes = newConfig.resolveBudgetBytes(MemInfo.memTotalBytes());
        nextScanNanos = System.nanoTime();
        ReaperThread.wake();
    }

    public Reaper.Config config() {
        return config;
    }

    public Reaper.Stats stats() {
        return new Reaper.Stats(
                scans.get(),
                evictions.get(),
                ttlEvictions.get(),
                evictedBytes.get(),
                residentBytes,
                budgetBytes,
                maps.size(),
                errors.get());
    }

    long nextScanNanos() {
        return nextScanNanos;
    }

    /** Before a willNeed of {@code demandBytes}: scans now if the pool would go over its budget. */
    void makeRoom(long demandBytes) {
        long pending = requestedDemandBytes.addAndGet(demandBytes);
        if (residentBytes + pending > budgetBytes) {
            scan(demandBytes);
        }
    }

    /** A readahead hint failed in the background (the prefetcher); counted with the scan errors. */
    void hintFailed() {
        errors.incrementAndGet();
    }

    /** After the readahead of part of a willNeed was issued (or dropped: its map closed). */
    void demandIssued(long demandBytes) {
        issuedDemandBytes.addAndGet(demandBytes);
    }

    /**
     * Measures every map, evicts what the policy chooses, counts it. Never throws: a failure is
     * counted in the statistics and the next scan tries again.
     */
    void scan(long demandBytes) {
        scanLock.lock();
        Events.ReaperScan event = new Events.ReaperScan();
        event.begin();
        int evicted = 0;
        long evictedNow = 0;
        try {
            long now = System.nanoTime();
            long seenDemand = issuedDemandBytes.get(); // issued before mincore runs: it will see these pages
            List<ReaperPolicy.Unit<CacheMap.Slot>> units = new ArrayList<>();
            for (CacheMap m : maps) {
                m.collect(units, vector, now);
            }
            Reaper.Config c = config;
            ReaperPolicy.Decision<CacheMap.Slot> d =
                    ReaperPolicy.choose(units, budgetBytes, demandBytes, c.ttl().toNanos(), now);
            for (int i = 0; i < d.evict().size(); i++) {
                ReaperPolicy.Unit<CacheMap.Slot> u = d.evict().get(i);
                if (u.key().map().evict(u.key().slot())) {
                    evictions.incrementAndGet();
                    evictedBytes.addAndGet(u.residentBytes());
                    if (i < d.expired()) {
                        ttlEvictions.incrementAndGet();
                    }
                    evicted++;
                    evictedNow += u.residentBytes();
                    evicted(u, i < d.expired());
                }
            }
            residentBytes = d.residentAfterBytes();
            issuedDemandBytes.addAndGet(-seenDemand);
            requestedDemandBytes.addAndGet(-seenDemand);
            scans.incrementAndGet();
            counters.increment(Counter.REAPER_SCANS);
            counters.add(Counter.REAPER_EVICTIONS, evicted);
            counters.add(Counter.REAPER_EVICTED_BYTES, evictedNow);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        } finally {
            nextScanNanos = System.nanoTime() + config.period().toNanos();
            scanLock.unlock();
            event.end();
            if (event.shouldCommit()) {
                event.pool = poolName.get();
                event.maps = maps.size();
                event.residentBytes = residentBytes;
                event.budgetBytes = budgetBytes;
                event.evictions = evicted;
                event.evictedBytes = evictedNow;
                event.commit();
            }
        }
    }

    /** Tells the flight recorder of one eviction (nothing when no recording wants it). */
    private void evicted(ReaperPolicy.Unit<CacheMap.Slot> u, boolean expired) {
        Events.ReaperEviction event = new Events.ReaperEviction();
        if (event.shouldCommit()) {
            event.pool = poolName.get();
            event.mblock =
                    u.key().map().layout().pieces().get(u.key().slot()).id().toString();
            event.advice = u.advice().name();
            event.bytes = u.residentBytes();
            event.expired = expired;
            event.commit();
        }
    }

    /** Closes every map (their segments then throw IllegalStateException) and stops reaping. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        ReaperThread.unregister(this);
        RuntimeException first = null;
        for (CacheMap m : maps) {
            try {
                m.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first; // a map is still open: its descriptors stay open with it
        }
        synchronized (this) {
            sources.values().forEach(MapSource::close);
            sources.clear();
        }
    }
}
