package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.mpool.cache.CacheDomain;
import org.mpool.cache.SlotLayout;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.BlockDevice;
import org.mpool.device.DeviceProvider;
import org.mpool.device.FlushCombiningDevice;
import org.mpool.device.ForwardingDevice;
import org.mpool.device.NativeDevice;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.log.LogSpec;
import org.mpool.log.Mlog;
import org.mpool.meta.ConfigCatalog;
import org.mpool.meta.ObjectTable;
import org.mpool.meta.Shard;
import org.mpool.pool.DeviceOwnership;
import org.mpool.pool.Layout;
import org.mpool.pool.PoolDevice;
import org.mpool.pool.UseCounts;
import org.mpool.space.SpaceMap;

/**
 * An open pool: the facade of mpool. Create or open one, then allocate, write, commit, read
 * and delete mblocks, and allocate, commit, open and delete mlogs. Thread-safe.
 *
 * <pre>{@code
 * try (Mpool pool = Mpool.create("demo", Path.of("/var/tmp/demo.img"), new CreateOptions().size(1L << 30))) {
 *     MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
 *     w.write(buffer);
 *     w.commit();
 *     pool.readMblock(w.id(), 0, buffer);
 * }
 * }</pre>
 */
public final class Mpool implements AutoCloseable {
    /** Property names (get/set). */
    public static final String PROP_LABEL = "label";
    public static final String PROP_UID = "uid";
    public static final String PROP_GID = "gid";
    public static final String PROP_MODE = "mode";
    public static final String PROP_SPARE = "spare";

    private final Map<MediaClass, PoolDevice> devices;
    private final Map<MediaClass, SpaceMap> spaces;
    private final ConfigCatalog config;
    private final Shard[] shards;
    /** Allocations in a row that go to the same shard (see {@link #pickShard}). */
    private static final int SHARD_RUN = 256;
    private final AtomicInteger nextShard = new AtomicInteger();
    /** Allocated but uncommitted mlogs: id → zones. */
    private final Map<Long, long[]> pendingMlogs = new ConcurrentHashMap<>();
    /** Allocated but uncommitted mblocks: reading or mapping them is INVALID_STATE, not NOT_FOUND. */
    private final Set<Long> pendingMblocks = ConcurrentHashMap.newKeySet();
    /** Objects in use (open mlogs, mapped mblocks): deleting them fails with BUSY. */
    private final UseCounts inUse = new UseCounts();
    /** The pool's maps and the reaper's view of them. */
    private final CacheDomain cache;
    private final DeviceProvider provider;
    private final boolean readOnly;
    private volatile boolean closed;

    private Mpool(DeviceProvider provider, boolean readOnly, Map<MediaClass, PoolDevice> devices,
                  Map<MediaClass, SpaceMap> spaces, ConfigCatalog config, Shard[] shards) {
        this.provider = provider;
        this.readOnly = readOnly;
        this.devices = devices;
        this.spaces = spaces;
        this.config = config;
        this.shards = shards;
        this.cache = new CacheDomain(this::name, ReaperConfig.defaults());
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Creates a pool on {@code capacityDevice} (a block device or a file; a file that does
     * not exist is created sparse with {@code options.size}) and opens it.
     */
    public static Mpool create(String name, Path capacityDevice, CreateOptions options) {
        return create(name, capacityDevice, options, DeviceProvider.NATIVE);
    }

    /** Like {@link #create(String, Path, CreateOptions)}, with devices from {@code provider}. */
    public static Mpool create(String name, Path capacityDevice, CreateOptions options, DeviceProvider provider) {
        PoolCreator.create(name, capacityDevice, options, provider);
        return open(capacityDevice, provider);
    }

    /** Opens the pool whose capacity device is {@code capacityDevice}, with an exclusive lock. */
    public static Mpool open(Path capacityDevice) {
        return open(capacityDevice, DeviceProvider.NATIVE);
    }

    /** Like {@link #open(Path)}, with devices from {@code provider}. */
    public static Mpool open(Path capacityDevice, DeviceProvider provider) {
        return open(capacityDevice, provider, false);
    }

    /**
     * Opens a pool for inspection: no lock is taken and nothing is written (no recovery writes
     * either), so it works while another process has the pool open. Changes fail with
     * PERMISSION. What it shows of a pool in use is what was durable when it was read.
     */
    public static Mpool openReadOnly(Path capacityDevice) {
        return open(capacityDevice, DeviceProvider.NATIVE, true);
    }

    private static Mpool open(Path capacityDevice, DeviceProvider provider, boolean readOnly) {
        // Shards, mlogs and mblock commits share the device: their flushes are combined.
        BlockDevice cap = new FlushCombiningDevice(readOnly ? provider.openReadOnly(capacityDevice)
                : provider.open(capacityDevice, true));
        List<AutoCloseable> toClose = new ArrayList<>(List.of(cap));
        try {
            PoolDevice capacity = PoolDevice.read(capacityDevice, cap);
            Superblock sb = capacity.superblock();
            if (sb.mediaClass() != MediaClass.CAPACITY) {
                throw MpoolException.invalid(capacityDevice + " is the " + sb.mediaClass().label()
                        + " device of pool '" + sb.poolName() + "': open its capacity device");
            }
            ConfigCatalog config = readOnly ? ConfigCatalog.load(mdc0Spec(capacity, 0), mdc0Spec(capacity, 1))
                    : ConfigCatalog.open(mdc0Spec(capacity, 0), mdc0Spec(capacity, 1));
            toClose.add(config);
            Map<MediaClass, PoolDevice> devices = new EnumMap<>(MediaClass.class);
            devices.put(MediaClass.CAPACITY, capacity);
            CatalogRecord.MediaClassInfo stagingInfo = config.mediaClasses().get(MediaClass.STAGING);
            if (stagingInfo != null) {
                devices.put(MediaClass.STAGING, openStaging(provider, readOnly, sb, stagingInfo, toClose));
            }
            int spare = Integer.parseInt(config.property(PROP_SPARE, String.valueOf(CreateOptions.DEFAULT_SPARE_PERCENT)));
            Map<MediaClass, SpaceMap> spaces = new EnumMap<>(MediaClass.class);
            for (PoolDevice d : devices.values()) {
                SpaceMap space = new SpaceMap(d.superblock().mediaClass(), d.superblock().zoneCount(), spare);
                space.claim(0, 1);
                spaces.put(d.superblock().mediaClass(), space);
            }
            List<CatalogRecord.Shard> shardRecords = config.shards();
            Shard[] shards = new Shard[shardRecords.size()];
            for (CatalogRecord.Shard s : shardRecords) {
                spaces.get(MediaClass.CAPACITY).claim(s.log0Zone(), s.zonesPerLog());
                spaces.get(MediaClass.CAPACITY).claim(s.log1Zone(), s.zonesPerLog());
                Shard.DataCheck check = m -> dataMatches(devices.get(m.mediaClass()), m);
                Shard shard = readOnly ? Shard.load(s.shard(), shardSpec(capacity, sb, s, 0), shardSpec(capacity, sb, s, 1), check)
                        : Shard.open(s.shard(), shardSpec(capacity, sb, s, 0), shardSpec(capacity, sb, s, 1), check);
                toClose.add(shard);
                shards[s.shard() - 1] = shard;
            }
            for (Shard shard : shards) {
                shard.table().forEach(e -> spaces.get(e.mediaClass()).claim(e.zone(),
                        new ObjectId(e.id()).type() == ObjectId.Type.MBLOCK ? 1 : e.lengthOrZones()));
            }
            Mpool pool = new Mpool(provider, readOnly, devices, spaces, config, shards);
            for (PoolDevice d : readOnly ? List.<PoolDevice>of() : devices.values()) {
                Superblock current = d.superblock().withCleanlyClosed(false).withName(sb.poolName());
                d.update(current);
            }
            return pool;
        } catch (RuntimeException e) {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static PoolDevice openStaging(DeviceProvider provider, boolean readOnly, Superblock capSb,
                                          CatalogRecord.MediaClassInfo info, List<AutoCloseable> toClose) {
        Path path = Path.of(info.path());
        BlockDevice dev;
        try {
            dev = new FlushCombiningDevice(readOnly ? provider.openReadOnly(path) : provider.open(path, true));
        } catch (MpoolException e) {
            throw new MpoolException(e.code(), "pool '" + capSb.poolName() + "': cannot open its staging device: "
                    + e.getMessage(), e);
        }
        toClose.add(dev);
        PoolDevice staging = PoolDevice.read(path, dev);
        Superblock sb = staging.superblock();
        if (!sb.poolUuid().equals(capSb.poolUuid()) || !sb.deviceUuid().equals(info.deviceUuid())) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "pool '" + capSb.poolName() + "': " + path
                    + " is not its staging device any more (device UUID " + info.deviceUuid() + " expected)");
        }
        return staging;
    }

    /** Whether a commit record that no flush confirmed has its data intact on the media. */
    private static boolean dataMatches(PoolDevice device, CatalogRecord.Mblock m) {
        if (device == null || m.length() < 0 || m.length() > device.superblock().zoneBytes()) {
            return false;
        }
        CRC32C crc = new CRC32C();
        long chunk = 1 << 20;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, chunk);
            for (long off = 0; off < m.length(); off += chunk) {
                long len = Math.min(chunk, m.length() - off);
                long readLen = AlignedBuffers.alignUp(len, MblockWriter.PAGE);
                device.device().read(device.zoneOffset(m.zone()) + off, buf.asSlice(0, readLen));
                crc.update(buf.asSlice(0, len).asByteBuffer());
            }
        }
        return (int) crc.getValue() == m.crc();
    }

    static LogSpec mdc0Spec(PoolDevice capacity, int which) {
        Superblock sb = capacity.superblock();
        return new LogSpec(capacity.device(), sb.mdc0Offset() + which * sb.mdc0LogBytes(), sb.mdc0LogBytes(),
                sb.poolUuid(), Layout.MDC0_LOG_ID + which, 64 * 1024);
    }

    static LogSpec shardSpec(PoolDevice capacity, Superblock sb, CatalogRecord.Shard s, int which) {
        long zone = which == 0 ? s.log0Zone() : s.log1Zone();
        return new LogSpec(capacity.device(), zone * sb.zoneBytes(), s.zonesPerLog() * sb.zoneBytes(),
                sb.poolUuid(), Layout.shardLogId(s.shard(), which), 256 * 1024);
    }

    /** Flushes everything, marks the pool cleanly closed and releases its devices. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try {
            cache.close();
        } catch (RuntimeException e) {
            first = e;
        }
        for (Shard s : shards) {
            try {
                s.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        try {
            config.close();
        } catch (RuntimeException e) {
            first = first == null ? e : first;
        }
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
            cache.close();
        } catch (RuntimeException e) {
            // the pool is going away; a map a native call holds stays mapped until it returns
        }
        for (Shard s : shards) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // the pool is going away; its metadata does not matter
            }
        }
        try {
            config.close();
        } catch (RuntimeException e) {
            // likewise
        }
        for (PoolDevice d : devices.values()) {
            try {
                PoolDevice.wipe(d.device());
            } finally {
                d.device().close();
            }
        }
    }

    // ---------------------------------------------------------------- identity and properties

    public String name() {
        return capacity().superblock().poolName();
    }

    public UUID uuid() {
        return capacity().superblock().poolUuid();
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
        Superblock.checkName(newName);
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
        Map<String, String> p = new java.util.TreeMap<>();
        int[] owner = DeviceOwnership.defaultOwner();
        p.put("name", name());
        p.put("uuid", uuid().toString());
        p.put(PROP_LABEL, config.property(PROP_LABEL, ""));
        p.put(PROP_UID, config.property(PROP_UID, String.valueOf(owner[0])));
        p.put(PROP_GID, config.property(PROP_GID, String.valueOf(owner[1])));
        p.put(PROP_MODE, config.property(PROP_MODE, "0660"));
        p.put(PROP_SPARE, config.property(PROP_SPARE, String.valueOf(CreateOptions.DEFAULT_SPARE_PERCENT)));
        for (Map.Entry<MediaClass, PoolDevice> e : devices.entrySet()) {
            p.put("mblocksize." + e.getKey().label(), String.valueOf(e.getValue().superblock().zoneBytes()));
        }
        return p;
    }

    /** Sets a property: label, uid, gid, mode (octal) or spare (percent). Durable on return. */
    public synchronized void setProperty(String key, String value) {
        checkWritable("set");
        String normalized = PoolProperties.validate(key, value);
        if (key.equals(PROP_UID) || key.equals(PROP_GID) || key.equals(PROP_MODE)) {
            Map<String, String> p = properties();
            p.put(key, normalized);
            int uid = Integer.parseInt(p.get(PROP_UID));
            int gid = Integer.parseInt(p.get(PROP_GID));
            int mode = Integer.parseInt(p.get(PROP_MODE), 8);
            if (provider.hasOwnership()) {
                for (PoolDevice d : devices.values()) {
                    DeviceOwnership.apply(d.path(), uid, gid, mode);
                }
            }
        }
        config.update(List.of(new CatalogRecord.Config(key, normalized)));
        if (key.equals(PROP_SPARE)) {
            spaces.values().forEach(s -> s.setSparePercent(Integer.parseInt(normalized)));
        }
    }

    /** Adds a staging media class on {@code device} (created sparse with {@code sizeBytes} if missing). */
    public synchronized void addStaging(Path device, long sizeBytes, long mblockSizeBytes, boolean force) {
        checkWritable("add");
        if (devices.containsKey(MediaClass.STAGING)) {
            throw new MpoolException(ErrorCode.EXISTS, "pool '" + name() + "' has a staging device already: "
                    + devices.get(MediaClass.STAGING).path());
        }
        Layout.checkMblockSize(mblockSizeBytes, "staging mblock size");
        BlockDevice dev = PoolCreator.openNewDevice(provider, device, sizeBytes, force, new ArrayList<>());
        try {
            Superblock capSb = capacity().superblock();
            long zones = dev.sizeBytes() / mblockSizeBytes;
            if (zones < 2) {
                throw MpoolException.invalid(device + " is too small for " + mblockSizeBytes + "-byte mblocks");
            }
            Superblock sb = new Superblock(capSb.poolName(), capSb.poolUuid(), Superblock.VERSION, 1,
                    MediaClass.STAGING, false, mblockSizeBytes, zones, UUID.randomUUID(), 0, 0, System.currentTimeMillis());
            PoolDevice staging = new PoolDevice(device, dev, null);
            staging.update(sb);
            config.update(List.of(new CatalogRecord.MediaClassInfo(MediaClass.STAGING, sb.deviceUuid(), mblockSizeBytes,
                    zones, device.toAbsolutePath().toString())));
            SpaceMap space = new SpaceMap(MediaClass.STAGING, zones,
                    Integer.parseInt(config.property(PROP_SPARE, String.valueOf(CreateOptions.DEFAULT_SPARE_PERCENT))));
            space.claim(0, 1);
            spaces.put(MediaClass.STAGING, space);
            devices.put(MediaClass.STAGING, staging);
            if (provider.hasOwnership()) {
                Map<String, String> p = properties();
                DeviceOwnership.apply(device, Integer.parseInt(p.get(PROP_UID)), Integer.parseInt(p.get(PROP_GID)),
                        Integer.parseInt(p.get(PROP_MODE), 8));
            }
        } catch (RuntimeException e) {
            if (!devices.containsKey(MediaClass.STAGING)) {
                dev.close();
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- mblocks

    /** Allocates an mblock in {@code mediaClass}. */
    public MblockWriter allocateMblock(MediaClass mediaClass) {
        return allocateMblock(mediaClass, false);
    }

    /**
     * Allocates an mblock in {@code mediaClass}; with {@code fallBack}, in the other class if
     * that one is missing or full.
     */
    public MblockWriter allocateMblock(MediaClass mediaClass, boolean fallBack) {
        checkWritable("allocate");
        MediaClass other = mediaClass == MediaClass.CAPACITY ? MediaClass.STAGING : MediaClass.CAPACITY;
        try {
            return allocateIn(mediaClass);
        } catch (MpoolException e) {
            if (!fallBack || !devices.containsKey(other)
                    || (e.code() != ErrorCode.NO_SPACE && e.code() != ErrorCode.NOT_FOUND)) {
                throw e;
            }
            return allocateIn(other);
        }
    }

    private MblockWriter allocateIn(MediaClass mediaClass) {
        PoolDevice d = device(mediaClass);
        long zone = spaces.get(mediaClass).allocate(1, false);
        try {
            ObjectId id = pickShard().newId(ObjectId.Type.MBLOCK);
            pendingMblocks.add(id.value());
            return new MblockWriter(this, id, mediaClass, d.device(), zone, d.superblock().zoneBytes());
        } catch (RuntimeException e) {
            spaces.get(mediaClass).free(zone, 1);
            throw e;
        }
    }

    void commitMblock(MblockWriter w) {
        checkWritable("commit");
        flushDataDevice(w.mediaClass());
        shard(w.id()).commitMblock(w.id(), w.mediaClass(), w.zone(), w.writtenBytes(), w.dataCrc());
        pendingMblocks.remove(w.id().value());
    }

    /** Commits many mblocks with one flush per device and one per metadata shard involved. */
    public void commit(List<MblockWriter> writers) {
        checkWritable("commit");
        for (MblockWriter w : writers) {
            if (!w.isWriting()) {
                throw new MpoolException(ErrorCode.INVALID_STATE, "mblock " + w.id() + " is not being written");
            }
        }
        writers.stream().map(MblockWriter::mediaClass).distinct().forEach(this::flushDataDevice);
        Map<Integer, List<CatalogRecord.Mblock>> byShard = new java.util.TreeMap<>();
        for (MblockWriter w : writers) {
            byShard.computeIfAbsent(w.id().shard(), k -> new ArrayList<>()).add(
                    new CatalogRecord.Mblock(w.id().value(), w.mediaClass(), w.zone(), w.writtenBytes(), w.dataCrc()));
        }
        byShard.forEach((s, records) -> shards[s - 1].commitMblocks(records));
        writers.forEach(MblockWriter::markCommitted);
        writers.forEach(w -> pendingMblocks.remove(w.id().value()));
    }

    /** Data on a device other than the capacity device (where the catalog lives) is flushed first. */
    private void flushDataDevice(MediaClass mediaClass) {
        if (mediaClass != MediaClass.CAPACITY) {
            device(mediaClass).device().flush();
        }
    }

    void abortMblock(MblockWriter w) {
        pendingMblocks.remove(w.id().value());
        if (!closed) {
            spaces.get(w.mediaClass()).free(w.zone(), 1);
        }
    }

    /**
     * Reads committed mblock bytes {@code [offset, offset + buffer.byteSize())} into
     * {@code buffer} with direct I/O. Offset and length are multiples of 4096; the range may
     * reach into the zero padding of the last page but no further.
     */
    public void readMblock(ObjectId id, long offset, MemorySegment buffer) {
        checkOpen("read");
        ObjectTable.Entry e = committed(id, ObjectId.Type.MBLOCK);
        long readable = AlignedBuffers.alignUp(e.lengthOrZones(), MblockWriter.PAGE);
        if (offset < 0 || offset % MblockWriter.PAGE != 0 || buffer.byteSize() % MblockWriter.PAGE != 0
                || offset + buffer.byteSize() > readable) {
            throw MpoolException.invalid("read of mblock " + id + ": range [" + offset + ", "
                    + (offset + buffer.byteSize()) + ") must be 4096-aligned and within its " + e.lengthOrZones()
                    + " written bytes (" + readable + " with padding)");
        }
        PoolDevice d = device(e.mediaClass());
        d.device().read(d.zoneOffset(e.zone()) + offset, buffer);
    }

    /** What the catalog knows of a committed object. */
    public ObjectInfo info(ObjectId id) {
        checkOpen("info");
        ObjectTable.Entry e = committed(id, id.type());
        long zoneBytes = device(e.mediaClass()).superblock().zoneBytes();
        long offset = e.zone() * zoneBytes;
        return id.type() == ObjectId.Type.MBLOCK
                ? new ObjectInfo(id, e.mediaClass(), e.lengthOrZones(), zoneBytes, offset)
                : new ObjectInfo(id, e.mediaClass(), e.lengthOrZones() * zoneBytes, e.lengthOrZones() * zoneBytes, offset);
    }

    /** Every committed object, in id order. */
    public List<ObjectInfo> objects() {
        checkOpen("list");
        List<ObjectId> ids = new ArrayList<>();
        for (Shard s : shards) {
            s.table().forEach(e -> ids.add(new ObjectId(e.id())));
        }
        ids.sort(null);
        List<ObjectInfo> out = new ArrayList<>(ids.size());
        for (ObjectId id : ids) {
            out.add(info(id));
        }
        return out;
    }

    /** Deletes a committed mblock or mlog; its space is reusable once this returns. */
    public void delete(ObjectId id) {
        checkWritable("delete");
        Shard shard = shard(id);
        ObjectTable.Entry e = shard.delete(id, inUse::inUse);
        if (id.type() == ObjectId.Type.MBLOCK) {
            PoolDevice d = devices.get(e.mediaClass());
            cache.dropCached(e.mediaClass(), d.zoneOffset(e.zone()), d.superblock().zoneBytes());
        }
        spaces.get(e.mediaClass()).free(e.zone(), id.type() == ObjectId.Type.MBLOCK ? 1 : e.lengthOrZones());
    }

    // ---------------------------------------------------------------- mlogs

    /**
     * Allocates an mlog of at least {@code capacityBytes} (rounded up to whole zones) in
     * {@code mediaClass} and formats it empty. It exists after {@link #commitMlog}.
     */
    public ObjectId allocateMlog(MediaClass mediaClass, long capacityBytes) {
        checkWritable("allocate");
        if (capacityBytes <= 0) {
            throw MpoolException.invalid("mlog capacity must be positive, got " + capacityBytes);
        }
        PoolDevice d = device(mediaClass);
        long zoneBytes = d.superblock().zoneBytes();
        long zones = (capacityBytes + zoneBytes - 1) / zoneBytes;
        long first = spaces.get(mediaClass).allocate(zones, false);
        try {
            ObjectId id = pickShard().newId(ObjectId.Type.MLOG);
            BlockDevice media = d.device() instanceof ForwardingDevice f ? f.inner() : d.device();
            boolean zeroFill = provider.isFile(media);
            Mlog.format(mlogSpec(d, id, first, zones), 1, zeroFill).close();
            pendingMlogs.put(id.value(), new long[] {mediaClass.ordinal(), first, zones});
            return id;
        } catch (RuntimeException e) {
            spaces.get(mediaClass).free(first, zones);
            throw e;
        }
    }

    public void commitMlog(ObjectId id) {
        checkWritable("commit");
        long[] p = pendingMlogs.get(id.value());
        if (p == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "mlog " + id + " is not allocated and uncommitted");
        }
        shard(id).commitMlog(id, MediaClass.values()[(int) p[0]], p[1], p[2]);
        pendingMlogs.remove(id.value());
    }

    public void abortMlog(ObjectId id) {
        checkWritable("abort");
        long[] p = pendingMlogs.remove(id.value());
        if (p == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "mlog " + id + " is not allocated and uncommitted");
        }
        spaces.get(MediaClass.values()[(int) p[0]]).free(p[1], p[2]);
    }

    /** Opens a committed mlog for appending and reading. While open, it cannot be deleted. */
    public Mlog openMlog(ObjectId id) {
        checkWritable("open");
        ObjectTable.Entry e = acquire(id, ObjectId.Type.MLOG);
        try {
            return Mlog.open(mlogSpec(device(e.mediaClass()), id, e.zone(), e.lengthOrZones()), () -> inUse.release(id.value()));
        } catch (RuntimeException ex) {
            inUse.release(id.value());
            throw ex;
        }
    }

    private LogSpec mlogSpec(PoolDevice d, ObjectId id, long firstZone, long zones) {
        long zoneBytes = d.superblock().zoneBytes();
        return new LogSpec(d.device(), firstZone * zoneBytes, zones * zoneBytes, uuid(), id.value());
    }

    // ---------------------------------------------------------------- mcache

    /**
     * Maps committed mblocks (of any media class) read-only into one address range, in the
     * order given (see {@link Mcache}). While the map is open they cannot be deleted. Only pools
     * on files and block devices can be mapped.
     *
     * @throws MpoolException INVALID_ARGUMENT for an empty list, an mlog id, a repeated id or
     *     more than 16384 mblocks; NOT_FOUND for an unknown or deleted mblock; INVALID_STATE
     *     for one not committed yet; NO_SPACE when address space or kernel mappings run out;
     *     UNSUPPORTED for memory devices
     */
    public Mcache map(List<ObjectId> mblocks, Advice advice) {
        checkOpen("map");
        SlotLayout.checkIds(mblocks);
        Objects.requireNonNull(advice, "advice");
        List<SlotLayout.Piece> pieces = new ArrayList<>(mblocks.size());
        try {
            for (ObjectId id : mblocks) {
                ObjectTable.Entry e = acquire(id, ObjectId.Type.MBLOCK);
                PoolDevice d = device(e.mediaClass());
                pieces.add(new SlotLayout.Piece(id, e.mediaClass(), d.zoneOffset(e.zone()), e.lengthOrZones(),
                        d.superblock().zoneBytes()));
            }
        } catch (RuntimeException ex) {
            pieces.forEach(p -> inUse.release(p.id().value()));
            throw ex;
        }
        Runnable release = () -> pieces.forEach(p -> inUse.release(p.id().value()));
        return new Mcache(cache.map(pieces, mc -> device(mc).device(), advice, release));
    }

    /** The reaper's tunables for this pool (defaults: {@link ReaperConfig#defaults()}). */
    public ReaperConfig reaperConfig() {
        return cache.config();
    }

    /** Changes the reaper's tunables for this pool, effective at once (not persisted). */
    public void setReaperConfig(ReaperConfig config) {
        checkOpen("reaper");
        cache.configure(Objects.requireNonNull(config, "config"));
    }

    /** What the reaper has done for this pool's maps. */
    public ReaperStats reaperStats() {
        return cache.stats();
    }

    /**
     * Marks a committed object in use, then checks it still exists and is not being deleted
     * (in that order: see {@link UseCounts}). The caller releases it.
     */
    private ObjectTable.Entry acquire(ObjectId id, ObjectId.Type type) {
        inUse.acquire(id.value());
        try {
            return committed(id, type);
        } catch (RuntimeException e) {
            inUse.release(id.value());
            throw e;
        }
    }

    // ---------------------------------------------------------------- stats

    public PoolStats stats() {
        checkOpen("stats");
        Map<MediaClass, PoolStats.ClassStats> classes = new EnumMap<>(MediaClass.class);
        spaces.forEach((mc, s) -> {
            long zb = devices.get(mc).superblock().zoneBytes();
            long total = s.zoneCount() * zb;
            long used = s.usedZones() * zb;
            classes.put(mc, new PoolStats.ClassStats(total, used, total - used, s.spareZones() * zb, zb));
        });
        long[] counts = new long[2];
        for (Shard s : shards) {
            s.table().forEach(e -> counts[new ObjectId(e.id()).type().ordinal()]++);
        }
        return new PoolStats(classes, counts[0], counts[1], shards.length);
    }

    // ---------------------------------------------------------------- helpers

    private PoolDevice capacity() {
        return devices.get(MediaClass.CAPACITY);
    }

    private PoolDevice device(MediaClass mediaClass) {
        PoolDevice d = devices.get(mediaClass);
        if (d == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "pool '" + name() + "' has no " + mediaClass.label()
                    + " media class" + (mediaClass == MediaClass.STAGING ? " (add one with addStaging)" : ""));
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
    private Shard pickShard() {
        return shards[Math.floorMod(nextShard.getAndIncrement() / SHARD_RUN, shards.length)];
    }

    private Shard shard(ObjectId id) {
        if (id.shard() > shards.length) {
            throw new MpoolException(ErrorCode.NOT_FOUND, "object " + id + " does not exist in pool '" + name() + "'");
        }
        return shards[id.shard() - 1];
    }

    private ObjectTable.Entry committed(ObjectId id, ObjectId.Type type) {
        ObjectTable.Entry e = shard(id).table().get(id.value());
        if (e == null || e.deleting()) {
            boolean pending = pendingMlogs.containsKey(id.value()) || pendingMblocks.contains(id.value());
            throw new MpoolException(pending ? ErrorCode.INVALID_STATE : ErrorCode.NOT_FOUND, "object " + id
                    + (pending ? " is not committed yet" : " does not exist (or is not committed)"));
        }
        if (id.type() != type) {
            throw MpoolException.invalid("object " + id + " is an " + id.type().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not an " + type.name().toLowerCase(java.util.Locale.ROOT));
        }
        return e;
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new MpoolException(ErrorCode.INVALID_STATE, op + ": the pool is closed");
        }
    }

    private void checkWritable(String op) {
        checkOpen(op);
        if (readOnly) {
            throw new MpoolException(ErrorCode.PERMISSION, op + ": pool '" + name() + "' is open read-only");
        }
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Cheap health: problems with the superblock copies of the pool's devices (empty: optimal). */
    public List<String> health() {
        checkOpen("health");
        List<String> problems = new ArrayList<>();
        for (PoolDevice d : devices.values()) {
            problems.addAll(PoolChecks.superblockCopies(d));
        }
        return problems;
    }

    /** Reads a committed mlog's records without opening it for writing (works read-only too). */
    public org.mpool.log.LogReader readMlog(ObjectId id) {
        checkOpen("read");
        ObjectTable.Entry e = committed(id, ObjectId.Type.MLOG);
        return Mlog.read(mlogSpec(device(e.mediaClass()), id, e.zone(), e.lengthOrZones()));
    }

    /**
     * Verifies everything that carries a checksum: both superblock copies of every device, the
     * data of every mblock against its commit CRC, and every mlog's records. Metadata logs and
     * zone ownership were verified when the pool was opened. Never changes anything.
     */
    public CheckReport check(java.util.function.LongBinaryOperator progress) {
        checkOpen("check");
        List<String> problems = new ArrayList<>(health());
        List<ObjectInfo> all = objects();
        long done = 0;
        long bytes = 0;
        for (ObjectInfo o : all) {
            ObjectTable.Entry e = shard(o.id()).table().get(o.id().value());
            try {
                if (o.id().type() == ObjectId.Type.MBLOCK) {
                    CatalogRecord.Mblock rec = new CatalogRecord.Mblock(e.id(), e.mediaClass(), e.zone(),
                            e.lengthOrZones(), e.crc());
                    if (!dataMatches(device(e.mediaClass()), rec)) {
                        problems.add("mblock " + o.id() + ": data at " + e.mediaClass().label() + " offset "
                                + device(e.mediaClass()).zoneOffset(e.zone()) + " (" + e.lengthOrZones()
                                + " bytes) does not match its commit checksum");
                    }
                    bytes += e.lengthOrZones();
                } else {
                    try (org.mpool.log.LogReader r = readMlog(o.id())) {
                        while (r.next()) {
                            bytes += r.record().byteSize();
                        }
                    }
                }
            } catch (MpoolException ex) {
                problems.add((o.id().type() == ObjectId.Type.MBLOCK ? "mblock " : "mlog ") + o.id() + ": "
                        + ex.getMessage());
            }
            progress.applyAsLong(++done, all.size());
        }
        return new CheckReport(all.size(), bytes, problems);
    }

    /** Compacts every metadata shard now (normally automatic); recovery then reads only live state. */
    public void compactMetadata() {
        checkWritable("compact");
        for (Shard s : shards) {
            s.compact();
        }
    }

    @Override
    public String toString() {
        return "Mpool[" + name() + " " + uuid() + "]";
    }

    /** Used by the CLI: what a device holds, without opening a pool. */
    public static Optional<Superblock> probe(Path device) {
        if (!Files.exists(device)) {
            throw new MpoolException(ErrorCode.NOT_FOUND, device + ": no such file or device");
        }
        try (BlockDevice d = NativeDevice.open(device, NativeDevice.OpenOptions.READ_ONLY)) {
            return Optional.of(PoolDevice.readSuperblock(d, device.toString()));
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
