package org.mpool.pool;

import java.util.List;
import java.util.function.LongBinaryOperator;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.observe.Counter;
import org.mpool.spi.BlockDevice;

/**
 * Grows a media class onto a device that became larger (LVM's lvextend, then the pool's grow):
 * the zones past the pool's end are added to the class's free space. No new record kind: the
 * superblock's zone count and MDC-0's MEDIA_CLASS record (a later one of a class replaces an
 * earlier one) already say how big a class is, so the format stays at its version.
 *
 * <p>The crash-safe order (docs/FORMAT.md §6, row GROWN_DEVICE_RECORDED):
 *
 * <ol>
 *   <li>a file is extended and fsynced first (its size must never be less than a superblock says:
 *       open refuses such a device);
 *   <li>the device's superblock is rewritten with the new zone count — the commit point. The
 *       two-copy protocol makes that write all or nothing: open sizes the space map by it;
 *   <li>MDC-0 records the class again with the new count. A crash between 2 and 3 leaves the
 *       record behind the superblock: open trusts the superblock and a read-write open records
 *       the class again. A record ahead of its superblock cannot come from a crash (3 is written
 *       after 2 is durable) and fails the open as CORRUPT;
 *   <li>only then are the new zones handed to the allocator, so nothing is ever written in a
 *       zone a crash could take back.
 * </ol>
 */
public final class Growth {
    /** Steps reported to the progress callback: the device sized, the superblock, MDC-0, the space map. */
    public static final int STEPS = 4;

    private Growth() {}

    /**
     * Grows {@code mediaClass} to {@code newSizeBytes} of its device (0: all of it), extending a
     * file device first if it is smaller. Returns the class's size in bytes afterwards (whole
     * zones; unchanged when the device has no whole zone beyond the pool).
     */
    public static long grow(Pool pool, MediaClass mediaClass, long newSizeBytes, LongBinaryOperator progress) {
        synchronized (pool) {
            pool.checkWritable("grow");
            if (newSizeBytes < 0) {
                throw MpoolException.invalid(
                        "the size to grow to must be positive (0: the whole device), got " + newSizeBytes);
            }
            PoolDevice d = pool.device(mediaClass);
            Superblock sb = d.superblock();
            long zoneBytes = sb.zoneBytes();
            long poolBytes = sb.zoneCount() * zoneBytes;
            if (newSizeBytes > 0 && newSizeBytes < poolBytes) {
                throw MpoolException.invalid("pool '" + pool.name() + "' uses " + poolBytes + " bytes of "
                        + d.path() + " (" + sb.zoneCount() + " zones of " + zoneBytes + "); a pool never shrinks,"
                        + " so the size must be at least that, got " + newSizeBytes);
            }
            BlockDevice device = d.device();
            long deviceBytes = device.refreshSize();
            if (newSizeBytes > deviceBytes) {
                if (!d.isFile()) {
                    throw MpoolException.invalid(d.path() + " has " + deviceBytes + " bytes, fewer than the "
                            + newSizeBytes + " asked for; mpool extends only files: grow the device first (for a"
                            + " logical volume, lvextend), then grow the pool");
                }
                device.extend(AlignedBuffers.alignUp(newSizeBytes, device.logicalBlockSize()));
                deviceBytes = device.refreshSize();
            }
            PoolDevice.checkSize(d.path(), device, sb); // shrunk under the open pool: refused, clearly
            progress.applyAsLong(1, STEPS);
            long targetBytes = newSizeBytes > 0 ? Math.min(newSizeBytes, deviceBytes) : deviceBytes;
            long zones = targetBytes / zoneBytes;
            if (zones <= sb.zoneCount()) {
                progress.applyAsLong(STEPS, STEPS);
                return poolBytes; // less than a zone beyond the pool: nothing to add
            }
            if (zones > Integer.MAX_VALUE) {
                throw MpoolException.invalid(zones + " zones of " + zoneBytes + " bytes are more than a"
                        + " media class holds (" + Integer.MAX_VALUE + ")");
            }
            d.update(sb.withZoneCount(zones)); // the commit point
            progress.applyAsLong(2, STEPS);
            pool.config().update(List.of(mediaClassRecord(pool, mediaClass, d)));
            progress.applyAsLong(3, STEPS);
            pool.space(mediaClass).grow(zones);
            pool.counters().increment(Counter.GROWS);
            progress.applyAsLong(STEPS, STEPS);
            return zones * zoneBytes;
        }
    }

    /** MDC-0's record of {@code mediaClass} with its superblock's zone count (where it is stays as recorded). */
    static CatalogRecord.MediaClassInfo mediaClassRecord(Pool pool, MediaClass mediaClass, PoolDevice d) {
        CatalogRecord.MediaClassInfo recorded = pool.config().mediaClasses().get(mediaClass);
        if (recorded == null) {
            throw new MpoolException(
                    ErrorCode.CORRUPT,
                    "MDC-0 of pool '" + pool.name() + "' does not record its " + mediaClass.label() + " class");
        }
        return new CatalogRecord.MediaClassInfo(
                recorded.classCode(),
                recorded.deviceUuid(),
                recorded.zoneBytes(),
                d.superblock().zoneCount(),
                recorded.path());
    }
}
