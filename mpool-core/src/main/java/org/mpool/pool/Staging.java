package org.mpool.pool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.CountingDevice;
import org.mpool.device.FlushCombiningDevice;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.space.SpaceMap;
import org.mpool.spi.BlockDevice;

/**
 * Adds a staging media class to an open pool. Its superblock is written first, then MDC-0
 * records the class: a crash between the two leaves a device that claims the pool but that
 * the pool does not name, which open ignores and a later add may overwrite with force.
 */
public final class Staging {
    private Staging() {}

    /**
     * Adds a staging media class on {@code path} (created sparse with {@code sizeBytes} if
     * missing); with {@code discard}, the device is discarded whole first.
     */
    public static void add(Pool pool, Path path, long sizeBytes, long mblockSizeBytes, boolean force, boolean discard) {
        synchronized (pool) {
            pool.checkWritable("add");
            if (pool.hasMediaClass(MediaClass.STAGING)) {
                throw new MpoolException(
                        ErrorCode.EXISTS,
                        "pool '" + pool.name() + "' has a staging device already: "
                                + pool.devicePath(MediaClass.STAGING));
            }
            Layout.checkMblockSize(mblockSizeBytes, "staging mblock size");
            BlockDevice.Provider provider = pool.provider();
            BlockDevice raw = PoolCreator.openNewDevice(provider, path, sizeBytes, force, new ArrayList<>());
            BlockDevice dev = new FlushCombiningDevice(new CountingDevice(raw, pool.counters()));
            boolean added = false;
            try {
                Superblock capSb = pool.capacity().superblock();
                Superblock sb = PoolCreator.stagingSuperblock(
                        capSb.poolName(), capSb.poolUuid(), dev, path, mblockSizeBytes, false);
                if (discard) {
                    PoolCreator.discardWhole(dev);
                }
                PoolDevice staging = new PoolDevice(path, dev, provider.isFile(raw), null, pool.counters());
                staging.update(sb);
                pool.config()
                        .update(List.of(new CatalogRecord.MediaClassInfo(
                                MediaClass.STAGING.code(),
                                sb.deviceUuid(),
                                mblockSizeBytes,
                                sb.zoneCount(),
                                path.toAbsolutePath().toString())));
                SpaceMap space =
                        new SpaceMap(MediaClass.STAGING, sb.zoneCount(), pool.sparePercent(MediaClass.STAGING));
                space.claim(0, 1);
                pool.addClass(MediaClass.STAGING, staging, space);
                added = true;
                pool.applyOwnership(pool.properties(), List.of(path));
            } finally {
                if (!added) {
                    dev.close();
                }
            }
        }
    }
}
