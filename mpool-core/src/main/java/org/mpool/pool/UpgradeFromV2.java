package org.mpool.pool;

import java.util.List;
import org.mpool.format.FormatVersion;

/**
 * The upgrade of a version-2 pool to version 3 (docs/FORMAT.md §7), run by the first read-write
 * open: every superblock says version 3 from then on, before any mblock is committed with a
 * chunk table (catalog record MBLOCK_CHUNKED), so software that knows only version 2 refuses
 * the pool (UNSUPPORTED) rather than meet records it does not know. Nothing is converted:
 * mblocks committed before keep one CRC of their whole data (their zone may be full, with no
 * room for a table), and reads of them are not verified page by page; check and scrub verify
 * them whole.
 *
 * <p>Crash-safe: each superblock update is the two-copy protocol, and a pool whose capacity
 * superblock still says version 2 is upgraded again at the next open.
 */
final class UpgradeFromV2 {
    private UpgradeFromV2() {}

    /** Rewrites every device's superblock as version 3. */
    static void run(PoolDevice capacity, List<PoolDevice> devices) {
        Upgrades.rewriteSuperblocks(capacity, devices, FormatVersion.V3);
    }
}
