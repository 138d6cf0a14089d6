package org.mpool.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.NativeDevice;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.format.ZoneZero;
import org.mpool.meta.ConfigCatalog;
import org.mpool.meta.Shard;
import org.mpool.observe.Counters;
import org.mpool.space.SpaceMap;
import org.mpool.spi.BlockDevice;

/**
 * Formats a new pool. The capacity device's superblock is written last: until it is, the
 * device holds no pool, so a crash during create leaves nothing half-made that open accepts.
 */
public final class PoolCreator {
    private PoolCreator() {}

    public static void create(String name, Path capacityPath, CreateOptions o, BlockDevice.Provider provider) {
        PoolNames.check(name);
        Layout.checkMblockSize(o.mblockSizeBytes(), "mblock size");
        if (o.shards() < 1 || o.shards() > Layout.MAX_SHARDS) {
            throw MpoolException.invalid("shards must be 1 to " + Layout.MAX_SHARDS + ", got " + o.shards());
        }
        String label = PoolProperties.validate(PoolProperties.LABEL, o.label());
        String spare = PoolProperties.validate(PoolProperties.SPARE, String.valueOf(o.sparePercent()));
        int[] owner = DeviceOwnership.defaultOwner();
        int uid = o.uid() != null
                ? Integer.parseInt(PoolProperties.validate(PoolProperties.UID, o.uid() + ""))
                : owner[0];
        int gid = o.gid() != null
                ? Integer.parseInt(PoolProperties.validate(PoolProperties.GID, o.gid() + ""))
                : owner[1];
        int mode = o.mode() != null ? o.mode() : PoolProperties.DEFAULT_MODE;
        DeviceOwnership.checkMode(mode);
        if (o.stagingDevice() != null) {
            Layout.checkMblockSize(o.stagingMblockSizeBytes(), "staging mblock size");
            if (o.stagingDevice()
                    .toAbsolutePath()
                    .normalize()
                    .equals(capacityPath.toAbsolutePath().normalize())) {
                throw MpoolException.invalid("the staging device must differ from the capacity device");
            }
        }
        UUID poolUuid = UUID.randomUUID();
        long zoneBytes = o.mblockSizeBytes();
        List<Path> created = new ArrayList<>();
        try (BlockDevice cap = openNewDevice(provider, capacityPath, o.sizeBytes(), o.force(), created)) {
            long zones = cap.sizeBytes() / zoneBytes;
            int zonesPerLog = Layout.zonesPerShardLog(cap.sizeBytes(), zoneBytes);
            long needed = Layout.minimumZones(o.shards(), zonesPerLog, zoneBytes);
            if (zones < needed) {
                throw MpoolException.invalid(capacityPath + " (" + cap.sizeBytes() + " bytes) is too small: with "
                        + zoneBytes + "-byte mblocks and " + o.shards() + " metadata shards a pool needs at least "
                        + needed * zoneBytes + " bytes");
            }
            if (o.discard()) {
                discardWhole(cap);
            }
            PoolDevice.wipe(cap);
            Superblock sb = new Superblock(
                    name,
                    poolUuid,
                    Superblock.VERSION,
                    1,
                    MediaClass.CAPACITY.code(),
                    true,
                    zoneBytes,
                    zones,
                    UUID.randomUUID(),
                    ZoneZero.RESERVED_BYTES,
                    ZoneZero.mdc0LogBytes(zoneBytes),
                    System.currentTimeMillis());
            PoolDevice capacity = new PoolDevice(capacityPath, cap, provider.isFile(cap), sb, Counters.NONE);

            List<CatalogRecord> config = new ArrayList<>();
            config.add(new CatalogRecord.Config(PoolProperties.LABEL, label));
            config.add(new CatalogRecord.Config(PoolProperties.UID, String.valueOf(uid)));
            config.add(new CatalogRecord.Config(PoolProperties.GID, String.valueOf(gid)));
            config.add(new CatalogRecord.Config(PoolProperties.MODE, String.format("%04o", mode)));
            config.add(new CatalogRecord.Config(PoolProperties.SPARE, spare));
            config.add(new CatalogRecord.MediaClassInfo(
                    MediaClass.CAPACITY.code(),
                    sb.deviceUuid(),
                    zoneBytes,
                    zones,
                    capacityPath.toAbsolutePath().toString()));

            SpaceMap space = new SpaceMap(MediaClass.CAPACITY, zones, 0);
            space.claim(0, 1);
            for (int s = 1; s <= o.shards(); s++) {
                long z0 = space.allocate(zonesPerLog, true);
                long z1 = space.allocate(zonesPerLog, true);
                CatalogRecord.Shard rec = new CatalogRecord.Shard(s, z0, z1, zonesPerLog);
                Shard.create(s, Layout.shard(capacity, rec, 0), Layout.shard(capacity, rec, 1), capacity.isFile())
                        .close();
                config.add(rec);
            }
            config.add(RootMdcs.create(capacity, space));
            if (o.stagingDevice() != null) {
                config.add(formatStaging(provider, name, poolUuid, o, created));
            }
            ConfigCatalog.create(Layout.mdc0(capacity, 0), Layout.mdc0(capacity, 1), config)
                    .close();
            PoolDevice.writeBoth(cap, sb); // the commit point: from here on the device holds a pool
        } catch (RuntimeException e) {
            deleteCreated(provider, created, e);
            throw e;
        }
        if (!provider.hasOwnership()) {
            return;
        }
        DeviceOwnership.apply(capacityPath, uid, gid, mode);
        if (o.stagingDevice() != null) {
            DeviceOwnership.apply(o.stagingDevice(), uid, gid, mode);
        }
    }

    private static CatalogRecord.MediaClassInfo formatStaging(
            BlockDevice.Provider provider, String name, UUID poolUuid, CreateOptions o, List<Path> created) {
        long mblock = o.stagingMblockSizeBytes();
        try (BlockDevice dev = openNewDevice(provider, o.stagingDevice(), o.stagingSizeBytes(), o.force(), created)) {
            Superblock sb = stagingSuperblock(name, poolUuid, dev, o.stagingDevice(), mblock, true);
            if (o.discard()) {
                discardWhole(dev);
            }
            PoolDevice.writeBoth(dev, sb);
            return new CatalogRecord.MediaClassInfo(
                    MediaClass.STAGING.code(),
                    sb.deviceUuid(),
                    mblock,
                    sb.zoneCount(),
                    o.stagingDevice().toAbsolutePath().toString());
        }
    }

    /** The first superblock of a staging device of {@code mblockBytes} zones; INVALID_ARGUMENT if it is too small. */
    static Superblock stagingSuperblock(
            String name, UUID poolUuid, BlockDevice dev, Path path, long mblockBytes, boolean cleanlyClosed) {
        long zones = dev.sizeBytes() / mblockBytes;
        if (zones < 2) {
            throw MpoolException.invalid(path + " is too small for " + mblockBytes + "-byte mblocks");
        }
        return new Superblock(
                name,
                poolUuid,
                Superblock.VERSION,
                1,
                MediaClass.STAGING.code(),
                cleanlyClosed,
                mblockBytes,
                zones,
                UUID.randomUUID(),
                0,
                0,
                System.currentTimeMillis());
    }

    /** Discards a whole device, a GiB at a time, and flushes (a file's punched holes are then durable). */
    static void discardWhole(BlockDevice device) {
        long chunk = 1L << 30;
        for (long off = 0; off < device.sizeBytes(); off += chunk) {
            device.discard(off, Math.min(chunk, device.sizeBytes() - off));
        }
        device.flush();
    }

    private static void deleteCreated(BlockDevice.Provider provider, List<Path> created, RuntimeException e) {
        if (provider != NativeDevice.PROVIDER) {
            return; // the paths name another provider's devices, not files
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
    }

    /**
     * Opens a device to hold a new pool: creates a missing file sparse with {@code sizeBytes};
     * refuses one that holds a pool or a file system unless {@code force}.
     */
    static BlockDevice openNewDevice(
            BlockDevice.Provider provider, Path path, long sizeBytes, boolean force, List<Path> created) {
        if (!provider.exists(path)) {
            if (sizeBytes <= 0) {
                throw new MpoolException(
                        ErrorCode.NOT_FOUND, path + " does not exist (give a size to create it as a file)");
            }
            BlockDevice d = provider.create(path, AlignedBuffers.alignUp(sizeBytes, 4096));
            created.add(path);
            return d;
        }
        BlockDevice d = provider.open(path, true);
        try {
            if (d.sizeBytes() == 0) {
                throw MpoolException.invalid(path + " is empty or smaller than one block (0 usable bytes): a pool"
                        + " needs a device with room for it (a missing file is created with a size)");
            }
            if (sizeBytes > 0 && provider.isFile(d) && d.sizeBytes() != AlignedBuffers.alignUp(sizeBytes, 4096)) {
                throw new MpoolException(
                        ErrorCode.EXISTS,
                        path + " exists with " + d.sizeBytes()
                                + " bytes; remove it or leave out the size to use it as it is");
            }
            Optional<String> holds = Signatures.find(d);
            if (holds.isPresent() && !force) {
                throw new MpoolException(
                        ErrorCode.EXISTS, path + " holds " + holds.get() + "; use force to overwrite it");
            }
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }
}
