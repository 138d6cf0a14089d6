package org.mpool.pool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mpool.cache.CacheDomain;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.PoolStats;
import org.mpool.common.Reaper;
import org.mpool.log.WriteBehind;
import org.mpool.meta.ConfigCatalog;
import org.mpool.meta.ObjectTable;
import org.mpool.meta.Shard;
import org.mpool.observe.Counter;
import org.mpool.observe.Counters;
import org.mpool.space.SpaceMap;
import org.mpool.spi.BlockDevice;

/**
 * An open pool: its devices, free-space maps, configuration (MDC-0), metadata shards
 * (MDC-1..N), the objects in use and the maps' cache domain. {@link PoolOpener} makes one;
 * {@link Mblocks}, {@link LogObjects}, {@link PoolChecks} and {@link Staging} work on it. Thread-safe.
 */
public final class Pool implements AutoCloseable {
    /** Allocations in a row that go to the same shard (see {@link #pickShard}). */
    private static final int SHARD_RUN = 256;

    private final BlockDevice.Provider provider;
    private final boolean readOnly;
    /** Copy-on-write: replaced whole when a class is added, so lookups need no lock. */
    private volatile Map<MediaClass, PoolDevice> devices;

    private volatile Map<MediaClass, SpaceMap> spaces;
    private final ConfigCatalog config;
    private final Shard[] shards;
    private final AtomicInteger nextShard = new AtomicInteger();
    /** What this open counts (device calls, flush rounds, commits...): PoolStats.counters. */
    private final Counters counters;
    /** Where other processes read {@link #counters}, if anywhere; marked closed at close. */
    private final CounterPublication published;
    /** Objects in use (open mlogs and MDCs, mapped mblocks): deleting them fails with BUSY. */
    private final UseCounts inUse = new UseCounts();
    /** Allocated but uncommitted objects: reading or mapping them is INVALID_STATE, not NOT_FOUND. */
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();

    private final CacheDomain cache;
    private final Mblocks mblocks = new Mblocks(this);
    private final LogObjects logs = new LogObjects(this);
    /** What open recovered from (rows of the recovery table it acted on). */
    private final List<RecoveryCase.Found> recovery;
    /** Releases the pool-wide writer lock (BlockDevice.Provider#lockPool) once the devices are closed. */
    private final Runnable poolLock;

    private volatile boolean closed;
    /** Property {@code discard}: deleted objects' zones are discarded before they are freed. */
    private volatile boolean discardDeleted;

    Pool(
            BlockDevice.Provider provider,
            boolean readOnly,
            Map<MediaClass, PoolDevice> devices,
            Map<MediaClass, SpaceMap> spaces,
            ConfigCatalog config,
            Shard[] shards,
            List<RecoveryCase.Found> recovery,
            Runnable poolLock,
            Counters counters,
            CounterPublication published) {
        assert devices.containsKey(MediaClass.CAPACITY) : "a pool without a capacity device";
        assert devices.keySet().equals(spaces.keySet()) : "a device without a space map, or the reverse";
        assert shards.length >= 1 && shards.length <= Layout.MAX_SHARDS : shards.length;
        this.provider = provider;
        this.readOnly = readOnly;
        this.devices = Map.copyOf(devices);
        this.spaces = Map.copyOf(spaces);
        this.config = config;
        this.shards = shards;
        this.recovery = List.copyOf(recovery);
        this.poolLock = poolLock;
        this.counters = counters;
        this.published = published;
        Map<String, String> stored = config.properties();
        this.cache = new CacheDomain(this::name, PoolProperties.reaperConfig(stored), counters);
        this.discardDeleted = PoolProperties.discard(stored);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Flushes everything, marks the pool cleanly closed and releases its devices. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeAll();
        } finally {
            published.close(); // the counts are final
            poolLock.run(); // after the devices: no write of this handle can follow
            WriteBehind.release(); // the last pool closed: the background threads end
        }
    }

    private void closeAll() {
        RuntimeException first = logs.closeAll(); // open mlogs and MDCs flush what they hold
        RuntimeException metadata = closeMetadata();
        first = first != null ? first : metadata;
        for (PoolDevice d : devices.values()) {
            try {
                if (first == null && !readOnly) {
                    d.update(d.superblock().withCleanlyClosed(true));
                }
            } catch (RuntimeException e) {
                first = e;
            } finally {
                d.device().close();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Destroys the pool: wipes the superblocks of all its devices, so nothing recognises them
     * as a pool any more, and closes it. Object data is not erased.
     */
    public synchronized void destroy() {
        checkWritable("destroy");
        closed = true;
        try {
            logs.closeAll();
            closeMetadata(); // the pool is going away: what its metadata logs say does not matter
            for (PoolDevice d : devices.values()) {
                try {
                    PoolDevice.wipe(d.device());
                } finally {
                    d.device().close();
                }
            }
        } finally {
            published.remove(); // no pool, no counters
            poolLock.run();
            WriteBehind.release();
        }
    }

    /** Closes the maps, the shards and MDC-0 in that order; returns the first failure, after trying all. */
    private RuntimeException closeMetadata() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(cache);
        parts.addAll(List.of(shards));
        parts.add(config);
        RuntimeException first = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                throw new AssertionError("maps, shards and MDC-0 close without checked exceptions", e);
            }
        }
        return first;
    }

    // ---------------------------------------------------------------- identity and properties

    public String name() {
        return capacity().superblock().poolName();
    }

    public UUID uuid() {
        return capacity().superblock().poolUuid();
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** What open recovered from: the rows of docs/FORMAT.md §6 it acted on (empty after a clean close). */
    public List<RecoveryCase.Found> recovery() {
        return recovery;
    }

    public Path devicePath(MediaClass mediaClass) {
        PoolDevice d = devices.get(mediaClass);
        return d == null ? null : d.path();
    }

    public boolean hasMediaClass(MediaClass mediaClass) {
        return devices.containsKey(mediaClass);
    }

    /** Renames the pool (the name blkid reports as LABEL). */
    public synchronized void rename(String newName) {
        checkWritable("rename");
        PoolNames.check(newName);
        // The capacity device's superblock is the truth; open repairs a staging one left behind.
        for (MediaClass mc : new MediaClass[] {MediaClass.STAGING, MediaClass.CAPACITY}) {
            PoolDevice d = devices.get(mc);
            if (d != null) {
                d.update(d.superblock().withName(newName));
            }
        }
    }

    /** All properties: the settable ones and the read-only facts (name, uuid, mblock sizes). */
    public Map<String, String> properties() {
        Map<String, String> p = new TreeMap<>();
        Map<String, String> stored = config.properties();
        int[] owner = DeviceOwnership.defaultOwner();
        p.put("name", name());
        p.put("uuid", uuid().toString());
        p.put(PoolProperties.LABEL, stored.getOrDefault(PoolProperties.LABEL, ""));
        p.put(PoolProperties.UID, stored.getOrDefault(PoolProperties.UID, String.valueOf(owner[0])));
        p.put(PoolProperties.GID, stored.getOrDefault(PoolProperties.GID, String.valueOf(owner[1])));
        p.put(
                PoolProperties.MODE,
                stored.getOrDefault(PoolProperties.MODE, String.format("%04o", PoolProperties.DEFAULT_MODE)));
        p.put(PoolProperties.SPARE, String.valueOf(PoolProperties.sparePercent(stored.get(PoolProperties.SPARE))));
        for (MediaClass mc : MediaClass.values()) {
            p.put(PoolProperties.spareOf(mc), String.valueOf(PoolProperties.sparePercent(stored, mc)));
        }
        p.put(PoolProperties.DISCARD, PoolProperties.discard(stored) ? "on" : "off");
        p.putAll(PoolProperties.reaperProperties(stored));
        for (Map.Entry<MediaClass, PoolDevice> e : devices.entrySet()) {
            p.put(
                    "mblocksize." + e.getKey().label(),
                    String.valueOf(e.getValue().zoneBytes()));
        }
        return p;
    }

    /**
     * Sets a property (see {@link PoolProperties}); durable on return and in force at once:
     * spares resize the classes' reserves, reaper settings reconfigure the reaper.
     */
    public synchronized void setProperty(String key, String value) {
        checkWritable("set");
        String normalized = PoolProperties.validate(key, value);
        if (key.equals(PoolProperties.UID) || key.equals(PoolProperties.GID) || key.equals(PoolProperties.MODE)) {
            Map<String, String> p = properties();
            p.put(key, normalized);
            applyOwnership(p, devices.values().stream().map(PoolDevice::path).toList());
        }
        config.update(PoolProperties.records(key, normalized, config.properties()));
        Map<String, String> stored = config.properties();
        spaces.forEach((mc, s) -> s.setSparePercent(PoolProperties.sparePercent(stored, mc)));
        discardDeleted = PoolProperties.discard(stored);
        if (key.startsWith("reaper.")) {
            cache.configure(PoolProperties.reaperConfig(stored));
        }
    }

    /** Gives {@code paths} the owner and mode of {@code properties} (where the provider has owners). */
    void applyOwnership(Map<String, String> properties, List<Path> paths) {
        if (!provider.hasOwnership()) {
            return;
        }
        int uid = Integer.parseInt(properties.get(PoolProperties.UID));
        int gid = Integer.parseInt(properties.get(PoolProperties.GID));
        int mode = Integer.parseInt(properties.get(PoolProperties.MODE), 8);
        for (Path path : paths) {
            DeviceOwnership.apply(path, uid, gid, mode);
        }
    }

    /** The spare percentage of {@code mediaClass} (its own property, else {@code spare}). */
    int sparePercent(MediaClass mediaClass) {
        return PoolProperties.sparePercent(config.properties(), mediaClass);
    }

    // ---------------------------------------------------------------- objects

    public Mblocks mblocks() {
        return mblocks;
    }

    /** The mlogs and MDCs, and the root MDC. */
    public LogObjects logs() {
        return logs;
    }

    /** What the catalog knows of a committed object. */
    public ObjectInfo info(ObjectId id) {
        checkOpen("info");
        return info(committed(id, id.type()));
    }

    private ObjectInfo info(ObjectTable.Entry e) {
        ObjectId id = new ObjectId(e.id());
        long zoneBytes = device(e.mediaClass()).zoneBytes();
        long offset = e.zone() * zoneBytes;
        long capacity = e.zoneCount() * zoneBytes;
        long length = switch (e) {
            case ObjectTable.Mblock m -> m.lengthBytes();
            case ObjectTable.Mlog m -> capacity;
            case ObjectTable.Mdc m -> m.zonesPerLog() * zoneBytes;
        };
        return new ObjectInfo(id, e.mediaClass(), length, capacity, offset, e.owner());
    }

    /** Every committed object, in id order. */
    public List<ObjectInfo> objects() {
        checkOpen("list");
        List<ObjectTable.Entry> entries = new ArrayList<>();
        for (Shard s : shards) {
            s.table().forEach(entries::add);
        }
        return infos(entries);
    }

    /** The committed objects tagged {@code owner}, by id. */
    public List<ObjectInfo> objects(long owner) {
        checkOpen("list");
        List<ObjectTable.Entry> entries = new ArrayList<>();
        for (Shard s : shards) {
            s.table().forEachOwnedBy(owner, entries::add);
        }
        return infos(entries);
    }

    private List<ObjectInfo> infos(List<ObjectTable.Entry> entries) {
        entries.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return entries.stream().map(this::info).toList();
    }

    /**
     * Deletes a committed object; its space is reusable once this returns. The DELETE record is
     * durable before anything else happens (a crash can never resurrect an object whose zone
     * was reused or discarded); then, with {@code discard=on}, its zones are discarded; only
     * then are they freed.
     */
    public void delete(ObjectId id) {
        checkWritable("delete");
        release(shard(id).delete(id, inUse::inUse));
    }

    /**
     * The zones of an object whose DELETE is durable: its cached pages and page table dropped,
     * then (with {@code discard=on}) its zones discarded, then freed.
     */
    private void release(ObjectTable.Entry e) {
        PoolDevice d = device(e.mediaClass());
        if (e instanceof ObjectTable.Mblock) {
            cache.dropCached(e.mediaClass(), d.zoneOffset(e.zone()), d.zoneBytes());
            mblocks.forget(e.id());
        }
        if (discardDeleted) {
            discard(d, e.zone(), e.zoneCount());
        }
        spaces.get(e.mediaClass()).free(e.zone(), e.zoneCount());
        counters.increment(Counter.DELETES);
    }

    /**
     * Discards zones no object owns any more. A hint to the device: a failure leaves the zones'
     * old bytes, which nothing reads (a reused zone is rewritten before it is read), so it is
     * counted, not thrown — the delete is durable already and the zones are freed all the same.
     */
    private void discard(PoolDevice d, long zone, long zones) {
        try {
            d.device().discard(d.zoneOffset(zone), zones * d.zoneBytes());
        } catch (MpoolException ex) {
            counters.increment(Counter.DISCARD_FAILURES);
        }
    }

    /**
     * Deletes many committed objects with one flush per metadata shard involved, then releases
     * their zones as {@link #delete(ObjectId)} does (discarded first with {@code discard=on}).
     * Not atomic: an object that cannot go is skipped, the rest go, and then the first failure is
     * thrown (later ones suppressed).
     */
    public void delete(List<ObjectId> ids) {
        checkWritable("delete");
        Map<Integer, List<ObjectId>> byShard = new TreeMap<>();
        for (ObjectId id : ids) {
            byShard.computeIfAbsent(id.shard(), k -> new ArrayList<>()).add(id);
        }
        List<MpoolException> failures = new ArrayList<>();
        for (Map.Entry<Integer, List<ObjectId>> e : byShard.entrySet()) {
            List<ObjectTable.Entry> deleted;
            try {
                deleted = shard(e.getValue().getFirst()).delete(e.getValue(), inUse::inUse, failures);
            } catch (MpoolException ex) {
                failures.add(ex);
                continue;
            }
            deleted.forEach(this::release);
        }
        if (!failures.isEmpty()) {
            MpoolException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Compacts every metadata shard now (normally automatic); recovery then reads only live state. */
    public void compactMetadata() {
        checkWritable("compact");
        for (Shard s : shards) {
            s.compact();
        }
    }

    public PoolStats stats() {
        checkOpen("stats");
        Map<MediaClass, long[]> perClass = new EnumMap<>(MediaClass.class);
        long[] counts = new long[ObjectId.Type.values().length];
        for (Shard s : shards) {
            s.table().forEach(e -> {
                int type = new ObjectId(e.id()).type().ordinal();
                counts[type]++;
                perClass.computeIfAbsent(e.mediaClass(), mc -> new long[counts.length])[type]++;
            });
        }
        Map<MediaClass, PoolStats.ClassStats> classes = new EnumMap<>(MediaClass.class);
        spaces.forEach((mc, s) -> {
            long zb = devices.get(mc).zoneBytes();
            long total = s.zoneCount() * zb;
            long used = s.usedZones() * zb;
            long[] c = perClass.getOrDefault(mc, new long[counts.length]);
            classes.put(
                    mc,
                    new PoolStats.ClassStats(
                            total,
                            used,
                            total - used,
                            s.spareZones() * zb,
                            zb,
                            c[ObjectId.Type.MBLOCK.ordinal()],
                            c[ObjectId.Type.MLOG.ordinal()],
                            c[ObjectId.Type.MDC.ordinal()]));
        });
        return new PoolStats(
                classes,
                counts[ObjectId.Type.MBLOCK.ordinal()],
                counts[ObjectId.Type.MLOG.ordinal()],
                counts[ObjectId.Type.MDC.ordinal()],
                shards.length,
                cache.stats(),
                counters.snapshot());
    }

    /** What this open counts. */
    Counters counters() {
        return counters;
    }

    /**
     * Makes everything acknowledged so far durable: deferred commits of every shard, and what was
     * appended to every open mlog and MDC. Device flushes combine: one covers them all.
     */
    public void flush() {
        checkWritable("flush");
        // The catalog first: a record an mlog holds about a deferred mblock must not outlive it
        // across a crash between the two (the reverse leaves an mblock no record names yet).
        for (Shard s : shards) {
            s.flush();
        }
        logs.flushAll();
    }

    // ---------------------------------------------------------------- maps

    public CacheDomain cache() {
        return cache;
    }

    /** Changes the reaper's tunables for this pool, effective at once (not persisted). */
    public void setReaperConfig(Reaper.Config reaperConfig) {
        checkOpen("reaper");
        cache.configure(reaperConfig);
    }

    // ---------------------------------------------------------------- for the object classes

    BlockDevice.Provider provider() {
        return provider;
    }

    ConfigCatalog config() {
        return config;
    }

    Map<MediaClass, PoolDevice> devices() {
        return devices;
    }

    SpaceMap space(MediaClass mediaClass) {
        return spaces.get(mediaClass);
    }

    UseCounts inUse() {
        return inUse;
    }

    /** Objects allocated and not yet committed or aborted. */
    Set<Long> pending() {
        return pending;
    }

    boolean closed() {
        return closed;
    }

    /** Adds a media class (under the pool's monitor: see {@link Staging}). */
    void addClass(MediaClass mediaClass, PoolDevice device, SpaceMap space) {
        assert Thread.holdsLock(this);
        Map<MediaClass, PoolDevice> d = new EnumMap<>(devices);
        d.put(mediaClass, device);
        Map<MediaClass, SpaceMap> s = new EnumMap<>(spaces);
        s.put(mediaClass, space);
        spaces = Map.copyOf(s);
        devices = Map.copyOf(d);
    }

    PoolDevice capacity() {
        return devices.get(MediaClass.CAPACITY);
    }

    PoolDevice device(MediaClass mediaClass) {
        PoolDevice d = devices.get(mediaClass);
        if (d == null) {
            throw new MpoolException(
                    ErrorCode.NOT_FOUND,
                    "pool '" + name() + "' has no " + mediaClass.label() + " media class"
                            + (mediaClass == MediaClass.STAGING ? " (add a staging device to the pool first)" : ""));
        }
        return d;
    }

    /**
     * The shard for a new object. Shards take turns in runs of {@link #SHARD_RUN} allocations
     * rather than one by one: objects allocated about the same time are committed about the
     * same time, and commits to one shard share its log's flush round, while commits spread
     * over all shards each need a round of their own (the device's flushes combine, but a
     * round cannot join a flush that started before its write). Over time the shards still
     * get equal shares.
     */
    Shard pickShard() {
        return shards[Math.floorMod(nextShard.getAndIncrement() / SHARD_RUN, shards.length)];
    }

    Shard shard(ObjectId id) {
        if (id.shard() > shards.length) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "object " + id + " does not exist in pool '" + name() + "'");
        }
        return shards[id.shard() - 1];
    }

    List<Shard> shards() {
        return List.of(shards);
    }

    /** The catalog entry of a committed mblock; NOT_FOUND, INVALID_STATE or INVALID_ARGUMENT if {@code id} is not one. */
    ObjectTable.Mblock committedMblock(ObjectId id) {
        return (ObjectTable.Mblock) committed(id, ObjectId.Type.MBLOCK);
    }

    /** The catalog entry of a committed mlog; NOT_FOUND, INVALID_STATE or INVALID_ARGUMENT if {@code id} is not one. */
    ObjectTable.Mlog committedMlog(ObjectId id) {
        return (ObjectTable.Mlog) committed(id, ObjectId.Type.MLOG);
    }

    /** The catalog entry of a committed MDC; NOT_FOUND, INVALID_STATE or INVALID_ARGUMENT if {@code id} is not one. */
    ObjectTable.Mdc committedMdc(ObjectId id) {
        return (ObjectTable.Mdc) committed(id, ObjectId.Type.MDC);
    }

    /** The catalog entry of a committed {@code type} object; NOT_FOUND, INVALID_STATE or INVALID_ARGUMENT if not one. */
    ObjectTable.Entry committed(ObjectId id, ObjectId.Type type) {
        ObjectTable.Entry e = shard(id).table().get(id.value());
        if (e == null || e.deleting()) {
            boolean isPending = pending.contains(id.value());
            throw new MpoolException(
                    isPending ? ErrorCode.INVALID_STATE : ErrorCode.NOT_FOUND,
                    "object " + id + (isPending ? " is not committed yet" : " does not exist (or is not committed)"));
        }
        if (id.type() != type) {
            throw MpoolException.invalid("object " + id + " is an " + id.type().label() + ", not an " + type.label());
        }
        return e;
    }

    /**
     * Marks a committed object in use, then checks it still exists and is not being deleted
     * (in that order: see {@link UseCounts}). The caller releases it.
     */
    ObjectTable.Entry acquire(ObjectId id, ObjectId.Type type) {
        inUse.acquire(id.value());
        try {
            return committed(id, type);
        } catch (RuntimeException e) {
            inUse.release(id.value());
            throw e;
        }
    }

    void checkOpen(String op) {
        if (closed) {
            throw new MpoolException(ErrorCode.INVALID_STATE, op + ": the pool is closed");
        }
    }

    void checkWritable(String op) {
        checkOpen(op);
        if (readOnly) {
            throw new MpoolException(ErrorCode.PERMISSION, op + ": pool '" + name() + "' is open read-only");
        }
    }

    @Override
    public String toString() {
        return "Pool[" + name() + " " + uuid() + "]";
    }
}
