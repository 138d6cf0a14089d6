package org.mpool.pool;

import java.util.List;
import org.mpool.format.FormatVersion;

/**
 * The upgrade steps of docs/FORMAT.md §7, run in order by a read-write open from the pool's
 * format version to {@link FormatVersion#CURRENT}. Each step is named by the version it converts
 * from and is crash-safe on its own; a read-only open runs none.
 */
final class Upgrades {
    private Upgrades() {}

    /** Runs the steps a pool of {@code version} needs; returns what was done, or null if nothing. */
    static String run(int version, PoolDevice capacity, List<PoolDevice> devices) {
        int at = version;
        if (at == FormatVersion.V1) {
            UpgradeFromV1.run(capacity, devices);
            at = FormatVersion.V2;
        }
        if (at == FormatVersion.V2) {
            UpgradeFromV2.run(capacity, devices);
            at = FormatVersion.V3;
        }
        assert at == FormatVersion.CURRENT : "no upgrade step from version " + at;
        return at == version ? null : "format version " + version + " upgraded to " + at;
    }

    /**
     * Rewrites every device's superblock with {@code version}, the capacity device's last (as
     * create does): a crash before that leaves the pool at its old version, to be upgraded again.
     */
    static void rewriteSuperblocks(PoolDevice capacity, List<PoolDevice> devices, int version) {
        for (PoolDevice d : devices) {
            if (d != capacity) {
                d.update(d.superblock().withVersion(version));
            }
        }
        capacity.update(capacity.superblock().withVersion(version));
    }
}
