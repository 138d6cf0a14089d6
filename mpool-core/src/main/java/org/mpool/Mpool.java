package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongBinaryOperator;
import org.mpool.common.CheckReport;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.PoolCounters;
import org.mpool.common.PoolStats;
import org.mpool.common.Reaper;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.NativeDevice;
import org.mpool.pool.DeviceProbe;
import org.mpool.pool.Growth;
import org.mpool.pool.Pool;
import org.mpool.pool.PoolChecks;
import org.mpool.pool.PoolCountersReader;
import org.mpool.pool.PoolCreator;
import org.mpool.pool.PoolOpener;
import org.mpool.pool.PoolProperties;
import org.mpool.pool.Staging;
import org.mpool.spi.BlockDevice;

/**
 * An open pool: the facade of mpool. Create or open one, then allocate, write, commit, read
 * and delete mblocks; allocate, commit, open and delete mlogs and MDCs; keep metadata in the
 * root MDC; map mblocks. Thread-safe.
 *
 * <pre>{@code
 * try (Mpool pool = Mpool.create("demo", Path.of("/var/tmp/demo.img"), new CreateOptions().size(1L << 30));
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment buffer = Mpool.allocateBuffer(arena, 1 << 20);
 *     MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
 *     w.write(buffer);
 *     w.commit();
 *     pool.readMblock(w.id(), 0, buffer);
 * }
 * }</pre>
 *
 * <p>Failures are {@link org.mpool.common.MpoolException}s with a stable code. Arguments are
 * never null, here and in the handles' methods, except {@link #read}'s id (null names the root
 * MDC): a null is a {@link NullPointerException} (or INVALID_ARGUMENT, where it is one more
 * invalid value, such as a pool name), and changes nothing.
 */
public final class Mpool implements AutoCloseable {
    // Property names (get/set)
    public static final String PROP_LABEL = PoolProperties.LABEL;

    public static final String PROP_UID = PoolProperties.UID;
    public static final String PROP_GID = PoolProperties.GID;
    public static final String PROP_MODE = PoolProperties.MODE;
    public static final String PROP_SPARE = PoolProperties.SPARE;
    /** The spare percentage of the capacity class (0–100; overrides {@link #PROP_SPARE}). */
    public static final String PROP_SPARE_CAPACITY = PoolProperties.SPARE_CAPACITY;
    /** The spare percentage of the staging class (0–100; overrides {@link #PROP_SPARE}). */
    public static final String PROP_SPARE_STAGING = PoolProperties.SPARE_STAGING;
    /** {@code on}: the zones of deleted objects are discarded (TRIM, hole punch); default {@code off}. */
    public static final String PROP_DISCARD = PoolProperties.DISCARD;
    /** The reaper's page-cache budget: {@code N%} of RAM or bytes (default 25%). */
    public static final String PROP_REAPER_BUDGET = PoolProperties.REAPER_BUDGET;
    /** Idle map ranges are evicted after this long ({@code 0}: never; default 10m). */
    public static final String PROP_REAPER_TTL = PoolProperties.REAPER_TTL;
    /** Time between the reaper's scans (1ms to 1h; default 1s). */
    public static final String PROP_REAPER_PERIOD = PoolProperties.REAPER_PERIOD;
    /** Every property {@link #setProperty} takes. */
    public static final List<String> SETTABLE_PROPERTIES = PoolProperties.SETTABLE;

    private final Pool pool;

    private Mpool(Pool pool) {
        this.pool = pool;
    }

    /** Creates a pool on {@code capacityDevice} (a block device, or a file: made sparse if missing) and opens it. */
    public static Mpool create(String name, Path capacityDevice, CreateOptions options) {
        return create(name, capacityDevice, options, NativeDevice.PROVIDER);
    }

    /** Like {@link #create(String, Path, CreateOptions)}, with devices from {@code provider}. */
    public static Mpool create(String name, Path capacityDevice, CreateOptions options, BlockDevice.Provider provider) {
        PoolCreator.create(name, capacityDevice, options, provider);
        return open(capacityDevice, provider);
    }

    /** Opens the pool whose capacity device is {@code capacityDevice}, with an exclusive lock. */
    public static Mpool open(Path capacityDevice) {
        return open(capacityDevice, NativeDevice.PROVIDER);
    }

    /** Like {@link #open(Path)}, with devices from {@code provider}. */
    public static Mpool open(Path capacityDevice, BlockDevice.Provider provider) {
        return new Mpool(PoolOpener.open(capacityDevice, provider, false));
    }

    /**
     * Like {@link #open(Path)}, for a pool whose other devices may have moved: a device that is
     * not where the pool last saw it is looked for among {@code candidates} (matched by pool and
     * device UUID), and where it was found is recorded in the pool.
     */
    public static Mpool open(Path capacityDevice, List<Path> candidates) {
        return new Mpool(PoolOpener.open(capacityDevice, candidates, NativeDevice.PROVIDER, false));
    }

    /** Like {@link #open(Path, List)}, to inspect: no lock, nothing written (a moved device is not recorded). */
    public static Mpool openReadOnly(Path capacityDevice, List<Path> candidates) {
        return new Mpool(PoolOpener.open(capacityDevice, candidates, NativeDevice.PROVIDER, true));
    }

    /** Opens a pool to inspect it: no lock, nothing written (recovery neither); changes fail with PERMISSION. */
    public static Mpool openReadOnly(Path capacityDevice) {
        return openReadOnly(capacityDevice, NativeDevice.PROVIDER);
    }

    /** Like {@link #openReadOnly(Path)}, with devices from {@code provider}. */
    public static Mpool openReadOnly(Path capacityDevice, BlockDevice.Provider provider) {
        return new Mpool(PoolOpener.open(capacityDevice, provider, true));
    }

    /** Flushes everything, marks the pool cleanly closed and releases its devices. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    /** Wipes the superblocks of all the pool's devices (they no longer hold a pool) and closes it; data stays. */
    public void destroy() {
        pool.destroy();
    }

    /** A zeroed native buffer aligned for direct I/O (to pages; huge pages from 1 MiB), freed with {@code arena}. */
    public static MemorySegment allocateBuffer(Arena arena, long sizeBytes) {
        return AlignedBuffers.allocate(arena, sizeBytes);
    }

    /** What {@code device} holds, if it is an mpool device; NOT_FOUND if the path does not exist. */
    public static Optional<BlockDevice.Label> probe(Path device) {
        return DeviceProbe.probe(device);
    }

    /**
     * Every mpool device among {@code paths} (a directory: the files and devices in it) and the
     * machine's block devices.
     */
    public static List<BlockDevice.Label> scan(List<Path> paths) {
        return DeviceProbe.scan(paths);
    }

    /**
     * The process that has the pool on {@code device} open for changes (it holds the device's
     * exclusive lock), if any: what tools show as "in use by". Read-only opens take no lock.
     */
    public static OptionalLong lockHolder(Path device) {
        return DeviceProbe.lockHolder(device);
    }

    /**
     * The counters a process published for pool {@code poolUuid}: the process that has it open
     * for writing publishes {@link PoolStats#counters()} where other processes read them (a page
     * beside the pool's lock), and leaves the final counts there when it closes the pool. Empty
     * if no process did (pools on memory devices, or never opened for writing on this machine).
     */
    public static Optional<PoolCounters> publishedCounters(UUID poolUuid) {
        return PoolCountersReader.read(Objects.requireNonNull(poolUuid, "poolUuid"));
    }

    /** Wipes the superblocks of a device whose pool cannot be opened (LOCKED while anyone uses it). */
    public static void wipe(Path device) {
        DeviceProbe.wipe(device);
    }

    public String name() {
        return pool.name();
    }

    public UUID uuid() {
        return pool.uuid();
    }

    public boolean readOnly() {
        return pool.readOnly();
    }

    /** The path of the device of {@code mediaClass}, or null if the pool has no such class. */
    public Path devicePath(MediaClass mediaClass) {
        return pool.devicePath(mediaClass);
    }

    /** Renames the pool (the name blkid reports as LABEL). */
    public void rename(String newName) {
        pool.rename(newName);
    }

    /** All properties: the settable ones and the read-only facts (name, uuid, mblock sizes). */
    public Map<String, String> properties() {
        return pool.properties();
    }

    /**
     * Sets a property (one of {@link #SETTABLE_PROPERTIES}): label, uid, gid, mode (octal),
     * spare (0–50 %: both classes), spare.capacity and spare.staging (0–100 %), discard (on,
     * off), reaper.budget, reaper.ttl, reaper.period. Durable on return, in force at once, and
     * applied at every open.
     */
    public void setProperty(String key, String value) {
        pool.setProperty(key, value);
    }

    /** Adds a staging media class on {@code device} (created sparse with {@code sizeBytes} if missing). */
    public void addStaging(Path device, long sizeBytes, long mblockSizeBytes, boolean force) {
        addStaging(device, sizeBytes, mblockSizeBytes, force, false);
    }

    /** Like {@link #addStaging(Path, long, long, boolean)}; with {@code discard}, the device is discarded whole first (TRIM). */
    public void addStaging(Path device, long sizeBytes, long mblockSizeBytes, boolean force, boolean discard) {
        Staging.add(pool, device, sizeBytes, mblockSizeBytes, force, discard);
    }

    /**
     * Grows {@code mediaClass} onto more of its device: to {@code newSizeBytes} of it, or (0)
     * to all of it. A file smaller than {@code newSizeBytes} is extended first; a block device
     * must have grown already (lvextend). The new zones are free for objects once this returns;
     * a crash at any point leaves the class at its old size or its new one, whole. Returns the
     * class's size in bytes afterwards (whole zones), the same as before when the device holds
     * no whole zone beyond the pool.
     *
     * @throws org.mpool.common.MpoolException INVALID_ARGUMENT for a size below the pool's (it
     *     never shrinks) or above a block device's; CORRUPT for a device that shrank under the
     *     pool; NOT_FOUND for a class the pool lacks
     */
    public long grow(MediaClass mediaClass, long newSizeBytes) {
        return grow(mediaClass, newSizeBytes, (done, total) -> 0);
    }

    /** Like {@link #grow(MediaClass, long)}; {@code progress} hears (step, steps) as each of its steps ends. */
    public long grow(MediaClass mediaClass, long newSizeBytes, LongBinaryOperator progress) {
        return Growth.grow(pool, Objects.requireNonNull(mediaClass, "mediaClass"), newSizeBytes, progress);
    }

    /** Allocates an mblock in {@code mediaClass}. */
    public MblockWriter allocateMblock(MediaClass mediaClass) {
        return allocateMblock(mediaClass, false);
    }

    /** Allocates an mblock in {@code mediaClass}; with {@code fallBack}, in the other class if that one is missing or full. */
    public MblockWriter allocateMblock(MediaClass mediaClass, boolean fallBack) {
        return new MblockWriter(pool.mblocks().allocate(mediaClass, fallBack));
    }

    /**
     * Bytes one mblock of {@code mediaClass} can hold: its zone (the class's mblock size) less
     * the table of page checksums at the zone's end — one 4 KiB page for zones up to 2 MiB,
     * about 0.1% of larger ones (docs/FORMAT.md §5). NOT_FOUND if the pool has no such class.
     */
    public long mblockCapacity(MediaClass mediaClass) {
        return pool.mblocks().capacity(mediaClass);
    }

    /**
     * Commits many mblocks with one flush per device and one per metadata shard involved. Not
     * atomic as a batch: a crash during it may leave some committed and others not (each one
     * whole or absent, like {@link MblockWriter#commitDeferred()}). A client makes a batch
     * atomic with its own record naming the objects, appended after this returns.
     */
    public void commit(List<MblockWriter> writers) {
        pool.mblocks().commit(writers.stream().map(MblockWriter::write).toList(), true);
    }

    /**
     * Makes everything acknowledged durable: deferred commits first, then what open mlogs and
     * MDCs hold. Records that name a deferred mblock belong after this returns: an append
     * without sync may reach the media before the commit it names does.
     */
    public void flush() {
        pool.flush();
    }

    /**
     * Reads committed mblock bytes {@code [offset, offset + buffer.byteSize())} into
     * {@code buffer} with direct I/O. Offset and length are multiples of 4096; the range may
     * reach into the zero padding of the last page but no further.
     */
    public void readMblock(ObjectId id, long offset, MemorySegment buffer) {
        pool.mblocks().read(id, offset, buffer);
    }

    /**
     * Reads a whole committed mblock with direct I/O into memory from {@code arena}; the
     * segment returned holds exactly its written bytes (no padding to round up).
     */
    public MemorySegment readMblock(ObjectId id, Arena arena) {
        return pool.mblocks().read(id, arena);
    }

    /** What the catalog knows of a committed object. */
    public ObjectInfo info(ObjectId id) {
        return pool.info(id);
    }

    /** Every committed object, in id order. */
    public List<ObjectInfo> objects() {
        return pool.objects();
    }

    /**
     * The committed objects tagged {@code owner} (0: those without a tag), in id order: what a
     * client's recovery compares with its own metadata to find orphans.
     */
    public List<ObjectInfo> objects(long owner) {
        return pool.objects(owner);
    }

    /** Deletes a committed object; its space is reusable once this returns. BUSY while it is open or mapped. */
    public void delete(ObjectId id) {
        pool.delete(id);
    }

    /**
     * Deletes many committed objects with one flush per metadata shard involved (a loop of
     * {@link #delete(ObjectId)} flushes once per object): durable on return, their space
     * reusable. Not atomic as a batch: an object that cannot be deleted (BUSY, NOT_FOUND) is
     * skipped, the others are deleted, and then the first such failure is thrown with the rest
     * suppressed. A crash during the call may leave any subset deleted.
     */
    public void delete(List<ObjectId> ids) {
        pool.delete(ids);
    }

    /** Allocates an empty mlog of at least {@code capacityBytes} (whole zones); it exists after {@link #commit(ObjectId, long)}. */
    public ObjectId allocateMlog(MediaClass mediaClass, long capacityBytes) {
        return pool.logs().allocate(ObjectId.Type.MLOG, mediaClass, capacityBytes);
    }

    /** Allocates an empty MDC, each of its two logs at least {@code capacityBytes}; it exists after {@link #commit(ObjectId, long)}. */
    public ObjectId allocateMdc(MediaClass mediaClass, long capacityBytes) {
        return pool.logs().allocate(ObjectId.Type.MDC, mediaClass, capacityBytes);
    }

    /** Commits an allocated mlog or MDC, tagged with {@code owner} (0: none); durable on return. */
    public void commit(ObjectId id, long owner) {
        pool.logs().commit(id, owner);
    }

    /** Frees an allocated, uncommitted mlog or MDC: it never existed. */
    public void abort(ObjectId id) {
        pool.logs().abort(id);
    }

    /** Opens a committed mlog for appending and reading; BUSY while another handle has it open. */
    public Mlog openMlog(ObjectId id) {
        return new Mlog(id, pool.logs().openMlog(id));
    }

    /** Opens a committed MDC; BUSY while another handle has it open. */
    public Mdc openMdc(ObjectId id) {
        return new Mdc(id, pool.logs().openMdc(id));
    }

    /** Opens the pool's root MDC, where a client keeps what it must find after a restart; BUSY while open elsewhere. */
    public Mdc rootMdc() {
        return new Mdc(null, pool.logs().openRoot());
    }

    /** Reads a committed mlog's or MDC's records without opening it (works read-only too); null: the root MDC's. */
    public Mlog.Reader read(ObjectId id) {
        return new Mlog.Reader(pool.logs().read(id));
    }

    /**
     * Maps committed mblocks (of any media class) read-only into one address range, in the
     * order given (see {@link Mcache}). While the map is open they cannot be deleted. Only pools
     * on files and block devices can be mapped.
     *
     * @throws org.mpool.common.MpoolException INVALID_ARGUMENT for an empty list, an mlog id, a
     *     repeated id or more than 16384 mblocks; NOT_FOUND for an unknown or deleted mblock;
     *     INVALID_STATE for one not committed yet; NO_SPACE when address space or kernel
     *     mappings run out; UNSUPPORTED for memory devices
     */
    public Mcache map(List<ObjectId> mblocks, Advice advice) {
        return map(mblocks, advice, false);
    }

    /**
     * Like {@link #map(List, Advice)}; with {@code confined}, only the calling thread may read the
     * map and close it (a read from another thread throws {@link WrongThreadException}, a close
     * from another thread — the pool's close among them — is BUSY and leaves the map open).
     * What it buys: closing a shared map waits for every thread of the JVM to reach a safepoint
     * (measured here: 20 µs on an idle JVM, 6–13 ms with 4 busy threads on 2 cores), closing a
     * confined one does not (under 2 µs). For a map one thread reads and closes: a scan, a
     * checksum, a compaction input.
     */
    public Mcache map(List<ObjectId> mblocks, Advice advice, boolean confined) {
        return new Mcache(
                pool.mblocks().map(mblocks, Objects.requireNonNull(advice, "advice"), confined), pool.mblocks());
    }

    /** The reaper's tunables for this pool (defaults: {@link Reaper.Config#defaults()}). */
    public Reaper.Config reaperConfig() {
        return pool.cache().config();
    }

    /**
     * Changes the reaper's tunables for this open of the pool, effective at once; not persisted
     * (the properties {@link #PROP_REAPER_BUDGET}, {@link #PROP_REAPER_TTL} and
     * {@link #PROP_REAPER_PERIOD} are, and every open starts from them).
     */
    public void setReaperConfig(Reaper.Config config) {
        pool.setReaperConfig(Objects.requireNonNull(config, "config"));
    }

    /**
     * Usage per media class, object counts, what the reaper has done, and what this open of the
     * pool has counted (device calls and bytes, log flush rounds, commits...: docs/OBSERVABILITY.md).
     */
    public PoolStats stats() {
        return pool.stats();
    }

    /** Cheap health: problems with the superblock copies of the pool's devices (empty: optimal). */
    public List<String> health() {
        return PoolChecks.health(pool);
    }

    /**
     * Verifies everything that carries a checksum: both superblock copies of every device, the
     * data of every mblock against its page checksums (before format version 3: its whole CRC),
     * every mlog's and MDC's records. {@code progress}
     * hears (done, total) after each object. Never changes anything.
     */
    public CheckReport check(LongBinaryOperator progress) {
        return PoolChecks.check(pool, progress);
    }

    /**
     * {@link #check} at a bounded pace: reads at most {@code maxBytesPerSecond} of object data
     * on average (0: unlimited), for a periodic scrub of a pool in use. Finds damage before a
     * reader does: bad pages of mblocks (named with their offsets), damaged log records.
     */
    public CheckReport scrub(long maxBytesPerSecond, LongBinaryOperator progress) {
        return PoolChecks.check(pool, maxBytesPerSecond, progress);
    }

    /** Compacts every metadata shard now (normally automatic); recovery then reads only live state. */
    public void compactMetadata() {
        pool.compactMetadata();
    }

    @Override
    public String toString() {
        return "Mpool[" + name() + " " + uuid() + "]";
    }
}
