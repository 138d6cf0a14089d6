package org.mpool.pool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.CountingDevice;
import org.mpool.device.FlushCombiningDevice;
import org.mpool.device.NativeDevice;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.log.WriteBehind;
import org.mpool.meta.ConfigCatalog;
import org.mpool.meta.Shard;
import org.mpool.observe.Counters;
import org.mpool.space.SpaceMap;
import org.mpool.spi.BlockDevice;

/**
 * Opens a pool, recovering it from whatever a crash left (docs/FORMAT.md §6), in this order:
 * the capacity device's superblock; MDC-0, which names the media classes and the shards; the
 * other devices; the shards, each replaying its MDC (and cancelling commits whose data a crash
 * tore); then every zone the catalog names is claimed, so a zone owned twice fails the open.
 * Only then are the superblocks rewritten to say the pool is open (which also repairs a torn
 * copy). A read-only open writes nothing and takes no lock.
 */
public final class PoolOpener {
    private PoolOpener() {}

    public static Pool open(Path capacityPath, BlockDevice.Provider provider, boolean readOnly) {
        return open(capacityPath, List.of(), provider, readOnly);
    }

    /**
     * Opens a pool whose other devices may have moved: a device that is not at the path MDC-0
     * records is looked for among {@code candidates} (by pool and device UUID). A read-write
     * open records where it was found, so the next open needs no candidates.
     */
    public static Pool open(Path capacityPath, List<Path> candidates, BlockDevice.Provider provider, boolean readOnly) {
        List<AutoCloseable> toClose = new ArrayList<>();
        Counters counters = new Counters();
        try {
            PoolDevice capacity = openDevice(capacityPath, provider, readOnly, counters, toClose);
            Superblock sb = capacity.superblock();
            if (capacity.mediaClass() != MediaClass.CAPACITY) {
                throw MpoolException.invalid(
                        capacityPath + " is the " + capacity.mediaClass().label() + " device of pool '" + sb.poolName()
                                + "': open its capacity device");
            }
            // One writer per pool, whatever path reached its devices (a loop device over its file).
            Runnable poolLock = readOnly ? () -> {} : provider.lockPool(sb.poolUuid());
            toClose.add(poolLock::run);
            // The lock holder publishes the pool's counters for other processes (mpool show --stats).
            CounterPublication published = readOnly || provider != NativeDevice.PROVIDER
                    ? CounterPublication.NONE
                    : CounterPublication.start(sb.poolUuid(), counters);
            toClose.add(published);
            ConfigCatalog config = readOnly
                    ? ConfigCatalog.load(Layout.mdc0(capacity, 0), Layout.mdc0(capacity, 1))
                    : ConfigCatalog.open(Layout.mdc0(capacity, 0), Layout.mdc0(capacity, 1));
            toClose.add(config);
            Map<MediaClass, PoolDevice> devices = new EnumMap<>(MediaClass.class);
            devices.put(MediaClass.CAPACITY, capacity);
            CatalogRecord.MediaClassInfo stagingInfo = config.mediaClasses().get(MediaClass.STAGING);
            if (stagingInfo != null) {
                PoolDevice staging = openStaging(provider, readOnly, sb, stagingInfo, candidates, counters, toClose);
                devices.put(MediaClass.STAGING, staging);
            }
            List<String> grown = recordDevices(devices, config, readOnly);
            Map<MediaClass, SpaceMap> spaces = new EnumMap<>(MediaClass.class);
            for (PoolDevice d : devices.values()) {
                int spare = PoolProperties.sparePercent(config.properties(), d.mediaClass());
                SpaceMap space = new SpaceMap(d.mediaClass(), d.superblock().zoneCount(), spare);
                space.claim(0, 1);
                spaces.put(d.mediaClass(), space);
            }
            Shard[] shards = openShards(config, capacity, devices, spaces, readOnly, toClose);
            CatalogRecord.RootMdc root = config.rootMdc();
            if (root != null) {
                spaces.get(MediaClass.CAPACITY).claim(root.firstZone(), 2 * root.zonesPerLog());
            }
            List<RecoveryCase.Found> found = findings(devices, config, shards);
            grown.forEach(g -> found.add(new RecoveryCase.Found(RecoveryCase.GROWN_DEVICE_RECORDED, g)));
            String upgraded = readOnly ? null : Upgrades.run(sb.version(), capacity, List.copyOf(devices.values()));
            if (upgraded != null) {
                found.add(new RecoveryCase.Found(RecoveryCase.UPGRADED, upgraded));
            }
            assert spaces.get(MediaClass.CAPACITY).isUsed(0) : "zone 0 free after open";
            Pool pool =
                    new Pool(provider, readOnly, devices, spaces, config, shards, found, poolLock, counters, published);
            if (!readOnly) {
                for (PoolDevice d : devices.values()) {
                    d.update(d.superblock().withCleanlyClosed(false).withName(sb.poolName()));
                }
            }
            WriteBehind.acquire(); // released by the pool's close
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

    /**
     * Checks MDC-0's record of each media class against its device, and (read-write) records
     * anew a device that moved or grew. The superblock's zone count decides a class's size: a
     * grow writes it first, then the record (see {@link Growth}), so a record behind its
     * superblock is a grow a crash cut short; one ahead of it cannot come from a crash and is
     * CORRUPT. Returns what was found behind, for the recovery report.
     */
    private static List<String> recordDevices(
            Map<MediaClass, PoolDevice> devices, ConfigCatalog config, boolean readOnly) {
        List<String> grown = new ArrayList<>();
        List<CatalogRecord> update = new ArrayList<>();
        for (PoolDevice d : devices.values()) {
            CatalogRecord.MediaClassInfo info = config.mediaClasses().get(d.mediaClass());
            if (info == null) {
                continue; // the capacity class of a pool made before MDC-0 recorded it
            }
            long zones = d.superblock().zoneCount();
            if (info.zoneCount() > zones) {
                throw MpoolException.corrupt("MDC-0 records " + info.zoneCount() + " zones for the "
                        + d.mediaClass().label() + " device " + d.path() + ", its superblock " + zones
                        + ": a media class never shrinks");
            }
            boolean moved = !d.path().toAbsolutePath().toString().equals(info.path());
            if (info.zoneCount() < zones) {
                grown.add(d.mediaClass().label() + " device " + d.path() + ": grown from " + info.zoneCount() + " to "
                        + zones + " zones" + (readOnly ? "" : "; recorded"));
            }
            if ((moved && d.mediaClass() != MediaClass.CAPACITY) || info.zoneCount() < zones) {
                update.add(new CatalogRecord.MediaClassInfo(
                        info.classCode(),
                        info.deviceUuid(),
                        info.zoneBytes(),
                        zones,
                        moved && d.mediaClass() != MediaClass.CAPACITY
                                ? d.path().toAbsolutePath().toString()
                                : info.path()));
            }
        }
        if (!readOnly && !update.isEmpty()) {
            config.update(update);
        }
        return grown;
    }

    /** What the open recovered from: the rows of the recovery table it acted on. */
    private static List<RecoveryCase.Found> findings(
            Map<MediaClass, PoolDevice> devices, ConfigCatalog config, Shard[] shards) {
        List<RecoveryCase.Found> found = new ArrayList<>();
        for (PoolDevice d : devices.values()) {
            if (d.badCopiesAtOpen() > 0) {
                found.add(new RecoveryCase.Found(
                        RecoveryCase.SUPERBLOCK_COPY_BAD,
                        d.path() + ": " + d.badCopiesAtOpen() + " superblock copy not valid; rewritten"));
            }
        }
        if (config.rolledBack()) {
            found.add(new RecoveryCase.Found(RecoveryCase.COMPACTION_ROLLED_BACK, "MDC-0: a compaction cut short"));
        }
        for (Shard s : shards) {
            if (s.rolledBack()) {
                found.add(new RecoveryCase.Found(
                        RecoveryCase.COMPACTION_ROLLED_BACK, "shard " + s.index() + ": a compaction cut short"));
            }
            if (s.unconfirmedCancelled() > 0) {
                found.add(new RecoveryCase.Found(
                        RecoveryCase.UNCONFIRMED_COMMIT_CANCELLED,
                        "shard " + s.index() + ": " + s.unconfirmedCancelled()
                                + " commits whose data a crash tore, cancelled"));
            }
            if (s.unconfirmedKept() > 0) {
                found.add(new RecoveryCase.Found(
                        RecoveryCase.UNCONFIRMED_COMMIT_KEPT,
                        "shard " + s.index() + ": " + s.unconfirmedKept()
                                + " commits no flush confirmed, data intact, kept"));
            }
        }
        return found;
    }

    /**
     * Opens (or, read-only, loads) every shard and claims the zones it and its objects own. An
     * unconfirmed commit record is kept only if its mblock's data is intact on the media.
     */
    private static Shard[] openShards(
            ConfigCatalog config,
            PoolDevice capacity,
            Map<MediaClass, PoolDevice> devices,
            Map<MediaClass, SpaceMap> spaces,
            boolean readOnly,
            List<AutoCloseable> toClose) {
        List<CatalogRecord.Shard> records = config.shards();
        Shard[] shards = new Shard[records.size()];
        SpaceMap capacitySpace = spaces.get(MediaClass.CAPACITY);
        for (CatalogRecord.Shard s : records) {
            capacitySpace.claim(s.log0Zone(), s.zonesPerLog());
            capacitySpace.claim(s.log1Zone(), s.zonesPerLog());
            Shard.DataCheck check = m -> PoolChecks.dataMatches(devices.get(MediaClass.fromCode(m.classCode())), m);
            Shard shard = readOnly
                    ? Shard.load(s.shard(), Layout.shard(capacity, s, 0), Layout.shard(capacity, s, 1), check)
                    : Shard.open(s.shard(), Layout.shard(capacity, s, 0), Layout.shard(capacity, s, 1), check);
            toClose.add(shard);
            if (s.shard() < 1 || s.shard() > shards.length || shards[s.shard() - 1] != null) {
                throw MpoolException.corrupt(
                        "MDC-0 names shard " + s.shard() + " of " + shards.length + " twice or out of range");
            }
            shards[s.shard() - 1] = shard;
        }
        for (Shard shard : shards) {
            shard.table().forEach(e -> spaces.get(e.mediaClass()).claim(e.zone(), e.zoneCount()));
        }
        return shards;
    }

    /** Opens a device of the pool; shards, mlogs and mblock commits share it, so its flushes are combined. */
    private static PoolDevice openDevice(
            Path path,
            BlockDevice.Provider provider,
            boolean readOnly,
            Counters counters,
            List<AutoCloseable> toClose) {
        BlockDevice raw = readOnly ? provider.openReadOnly(path) : provider.open(path, true);
        BlockDevice device = new FlushCombiningDevice(new CountingDevice(raw, counters));
        try {
            PoolDevice d = PoolDevice.read(path, device, provider.isFile(raw), counters);
            toClose.add(device);
            return d;
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** Opens the staging device where MDC-0 says it is, else the candidate that carries its UUIDs. */
    private static PoolDevice openStaging(
            BlockDevice.Provider provider,
            boolean readOnly,
            Superblock capSb,
            CatalogRecord.MediaClassInfo info,
            List<Path> candidates,
            Counters counters,
            List<AutoCloseable> toClose) {
        Path recorded = Path.of(info.path());
        MpoolException notThere;
        try {
            PoolDevice staging = openDevice(recorded, provider, readOnly, counters, toClose);
            if (isDevice(staging, capSb, info)) {
                return staging;
            }
            close(staging, toClose);
            notThere = new MpoolException(
                    ErrorCode.NOT_FOUND,
                    "pool '" + capSb.poolName() + "': " + recorded + " is not its staging device any more (device UUID "
                            + info.deviceUuid() + " expected)");
        } catch (MpoolException e) {
            notThere = new MpoolException(
                    e.code(), "pool '" + capSb.poolName() + "': cannot open its staging device: " + e.getMessage(), e);
        }
        for (Path candidate : candidates) {
            if (candidate.toAbsolutePath().equals(recorded.toAbsolutePath()) || !provider.exists(candidate)) {
                continue;
            }
            PoolDevice staging;
            try {
                staging = openDevice(candidate, provider, readOnly, counters, toClose);
            } catch (MpoolException e) {
                notThere.addSuppressed(e);
                continue;
            }
            if (isDevice(staging, capSb, info)) {
                return staging;
            }
            close(staging, toClose);
        }
        throw notThere;
    }

    private static boolean isDevice(PoolDevice d, Superblock capSb, CatalogRecord.MediaClassInfo info) {
        Superblock sb = d.superblock();
        return sb.poolUuid().equals(capSb.poolUuid()) && sb.deviceUuid().equals(info.deviceUuid());
    }

    private static void close(PoolDevice d, List<AutoCloseable> toClose) {
        toClose.remove(d.device());
        d.device().close();
    }
}
