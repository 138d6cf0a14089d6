package org.mpool.pool;

import java.util.List;
import org.mpool.format.FormatVersion;

/**
 * The upgrade of a version-1 pool to version 2 (docs/FORMAT.md §7), run by the first
 * read-write open: every superblock says version 2 from then on, before anything of version 2
 * is written, so software that reads only version 1 refuses the pool (UNSUPPORTED) rather
 * than meet records it does not know. Nothing needs converting: version-1 catalog records
 * still decode (owner 0) and compaction rewrites them in the version-2 form. The root MDC a
 * version-2 pool is created with is made for an upgraded pool when it is first asked for
 * ({@link LogObjects#openRoot}), so a full pool still opens.
 *
 * <p>Crash-safe: each superblock update is the two-copy protocol, and a pool whose capacity
 * superblock still says version 1 is upgraded again at the next open.
 */
final class UpgradeFromV1 {
    private UpgradeFromV1() {}

    /** Rewrites every device's superblock as version 2. */
    static void run(PoolDevice capacity, List<PoolDevice> devices) {
        Upgrades.rewriteSuperblocks(capacity, devices, FormatVersion.V2);
    }
}
