package org.mpool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.BlockDevice;
import org.mpool.device.DeviceProvider;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.meta.ConfigCatalog;
import org.mpool.meta.Shard;
import org.mpool.pool.DeviceOwnership;
import org.mpool.pool.Layout;
import org.mpool.pool.PoolDevice;
import org.mpool.pool.Signatures;
import org.mpool.space.SpaceMap;

/**
 * Formats a new pool. The capacity device's superblock is written last: until it is, the
 * device holds no pool, so a crash during create leaves nothing half-made that open accepts.
 */
final class PoolCreator {
    private PoolCreator() {}

    static void create(String name, Path capacityPath, CreateOptions o, DeviceProvider provider) {
        Superblock.checkName(name);
        Layout.checkMblockSize(o.mblockSizeBytes, "mblock size");
        if (o.shards < 1 || o.shards > 255) {
            throw MpoolException.invalid("shards must be 1 to 255, got " + o.shards);
        }
        String label = PoolProperties.validate(Mpool.PROP_LABEL, o.label);
        String spare = PoolProperties.validate(Mpool.PROP_SPARE, String.valueOf(o.sparePercent));
        int[] owner = DeviceOwnership.defaultOwner();
        int uid = o.uid != null ? o.uid : owner[0];
        int gid = o.gid != null ? o.gid : owner[1];
        int mode = o.mode != null ? o.mode : 0660;
        DeviceOwnership.checkMode(mode);
        long stagingMblock = o.stagingMblockSizeBytes > 0 ? o.stagingMblockSizeBytes : o.mblockSizeBytes;
        if (o.stagingDevice != null) {
            Layout.checkMblockSize(stagingMblock, "staging mblock size");
            if (o.stagingDevice.toAbsolutePath().normalize().equals(capacityPath.toAbsolutePath().normalize())) {
                throw MpoolException.invalid("the staging device must differ from the capacity device");
            }
        }
        UUID poolUuid = UUID.randomUUID();
        long zoneBytes = o.mblockSizeBytes;
        List<Path> created = new ArrayList<>();
        try (BlockDevice cap = openNewDevice(provider, capacityPath, o.sizeBytes, o.force, created)) {
            long zones = cap.sizeBytes() / zoneBytes;
            int zonesPerLog = Layout.zonesPerShardLog(cap.sizeBytes(), zoneBytes);
            long needed = 1 + 2L * o.shards * zonesPerLog + 1;
            if (zones < needed) {
                throw MpoolException.invalid(capacityPath + " (" + cap.sizeBytes() + " bytes) is too small: with "
                        + zoneBytes + "-byte mblocks and " + o.shards + " metadata shards a pool needs at least "
                        + needed * zoneBytes + " bytes");
            }
            PoolDevice.wipe(cap);
            Superblock sb = new Superblock(name, poolUuid, Superblock.VERSION, 1, MediaClass.CAPACITY, true, zoneBytes,
                    zones, UUID.randomUUID(), Superblock.RESERVED_BYTES, Layout.mdc0LogBytes(zoneBytes),
                    System.currentTimeMillis());
            PoolDevice capacity = new PoolDevice(capacityPath, cap, sb);

            List<CatalogRecord> config = new ArrayList<>();
            config.add(new CatalogRecord.Config(Mpool.PROP_LABEL, label));
            config.add(new CatalogRecord.Config(Mpool.PROP_UID, String.valueOf(uid)));
            config.add(new CatalogRecord.Config(Mpool.PROP_GID, String.valueOf(gid)));
            config.add(new CatalogRecord.Config(Mpool.PROP_MODE, String.format("%04o", mode)));
            config.add(new CatalogRecord.Config(Mpool.PROP_SPARE, spare));
            config.add(new CatalogRecord.MediaClassInfo(MediaClass.CAPACITY, sb.deviceUuid(), zoneBytes, zones,
                    capacityPath.toAbsolutePath().toString()));

            SpaceMap space = new SpaceMap(MediaClass.CAPACITY, zones, 0);
            space.claim(0, 1);
            for (int s = 1; s <= o.shards; s++) {
                long z0 = space.allocate(zonesPerLog, true);
                long z1 = space.allocate(zonesPerLog, true);
                CatalogRecord.Shard rec = new CatalogRecord.Shard(s, z0, z1, zonesPerLog);
                Shard.create(s, Mpool.shardSpec(capacity, sb, rec, 0), Mpool.shardSpec(capacity, sb, rec, 1),
                        provider.isFile(cap)).close();
                config.add(rec);
            }
            if (o.stagingDevice != null) {
                config.add(formatStaging(provider, name, poolUuid, o, stagingMblock, created));
            }
            ConfigCatalog.create(Mpool.mdc0Spec(capacity, 0), Mpool.mdc0Spec(capacity, 1), config).close();
            PoolDevice.writeBoth(cap, sb); // the commit point: from here on the device holds a pool
        } catch (RuntimeException e) {
            for (Path p : created) {
                try {
                    if (provider == DeviceProvider.NATIVE) {
                        Files.deleteIfExists(p);
                    }
                } catch (java.io.IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        if (!provider.hasOwnership()) {
            return;
        }
        DeviceOwnership.apply(capacityPath, uid, gid, mode);
        if (o.stagingDevice != null) {
            DeviceOwnership.apply(o.stagingDevice, uid, gid, mode);
        }
    }

    private static CatalogRecord.MediaClassInfo formatStaging(DeviceProvider provider, String name, UUID poolUuid,
                                                              CreateOptions o, long mblock, List<Path> created) {
        try (BlockDevice dev = openNewDevice(provider, o.stagingDevice, o.stagingSizeBytes, o.force, created)) {
            long zones = dev.sizeBytes() / mblock;
            if (zones < 2) {
                throw MpoolException.invalid(o.stagingDevice + " is too small for " + mblock + "-byte mblocks");
            }
            Superblock sb = new Superblock(name, poolUuid, Superblock.VERSION, 1, MediaClass.STAGING, true, mblock,
                    zones, UUID.randomUUID(), 0, 0, System.currentTimeMillis());
            PoolDevice.writeBoth(dev, sb);
            return new CatalogRecord.MediaClassInfo(MediaClass.STAGING, sb.deviceUuid(), mblock, zones,
                    o.stagingDevice.toAbsolutePath().toString());
        }
    }

    /**
     * Opens a device to hold a new pool: creates a missing file sparse with {@code sizeBytes};
     * refuses one that holds a pool or a file system unless {@code force}.
     */
    static BlockDevice openNewDevice(DeviceProvider provider, Path path, long sizeBytes, boolean force,
                                     List<Path> created) {
        if (!provider.exists(path)) {
            if (sizeBytes <= 0) {
                throw new MpoolException(ErrorCode.NOT_FOUND, path + " does not exist (give a size to create it as a file)");
            }
            BlockDevice d = provider.create(path, AlignedBuffers.alignUp(sizeBytes, 4096));
            created.add(path);
            return d;
        }
        BlockDevice d = provider.open(path, true);
        try {
            if (sizeBytes > 0 && provider.isFile(d) && d.sizeBytes() != AlignedBuffers.alignUp(sizeBytes, 4096)) {
                throw new MpoolException(ErrorCode.EXISTS, path + " exists with " + d.sizeBytes()
                        + " bytes; remove it or leave out the size to use it as it is");
            }
            Optional<String> holds = Signatures.find(d);
            if (holds.isPresent() && !force) {
                throw new MpoolException(ErrorCode.EXISTS, path + " holds " + holds.get()
                        + "; use force to overwrite it");
            }
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }
}
