package org.mpool.pool;

import org.mpool.common.MediaClass;
import org.mpool.format.CatalogRecord;
import org.mpool.log.LogPair;
import org.mpool.space.SpaceMap;

/** Makes the root MDC every pool has: two logs of whole zones in the capacity class, named in MDC-0. */
final class RootMdcs {
    private RootMdcs() {}

    /**
     * Allocates the root MDC's zones from {@code space} (metadata: the spare may serve), makes
     * it empty on them, and returns the record that names it. Until MDC-0 holds the record the
     * zones are free and what was written there counts for nothing.
     */
    static CatalogRecord.RootMdc create(PoolDevice capacity, SpaceMap space) {
        long zonesPerLog = Layout.rootMdcZonesPerLog(capacity.zoneBytes());
        long first = space.allocate(2 * zonesPerLog, true);
        CatalogRecord.RootMdc root = new CatalogRecord.RootMdc(MediaClass.CAPACITY.code(), first, zonesPerLog);
        try {
            LogPair.create(Layout.rootMdc(capacity, root, 0), Layout.rootMdc(capacity, root, 1), capacity.isFile())
                    .close();
            return root;
        } catch (RuntimeException e) {
            space.free(first, 2 * zonesPerLog);
            throw e;
        }
    }
}
