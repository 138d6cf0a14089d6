package org.mpool.pool;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects in use (open mlogs, mapped mblocks) with how many users each has: deleting one fails
 * with BUSY. Entries go away at zero, so the table holds only what is in use now.
 *
 * <p>With delete marking its object before it asks {@link #inUse} and a user acquiring before
 * it checks that mark, one of the two always sees the other (both go through volatile
 * accesses): a delete and a new user never both proceed.
 */
public final class UseCounts {
    private final ConcurrentHashMap<Long, Integer> counts = new ConcurrentHashMap<>();

    public void acquire(long id) {
        counts.merge(id, 1, Integer::sum);
    }

    public void release(long id) {
        Integer left = counts.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
        assert left == null || left > 0;
    }

    public boolean inUse(long id) {
        return counts.containsKey(id);
    }
}
