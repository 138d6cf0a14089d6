package org.mpool.lucene;

import java.io.IOException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockFactory;

/**
 * Locks of an {@link MpoolDirectory}. A pool is open in one process at a time (mpool locks it with
 * {@code flock}, released if the process dies), so a lock only has to exclude the other holders in
 * this process: it is an entry in the directory's shared state, which every instance on the same
 * directory sees. Across processes it holds because no other process can open the pool at all.
 * {@link Lock#ensureValid()} fails once the lock is released or the directory closed.
 */
public final class MpoolLockFactory extends LockFactory {
    public static final MpoolLockFactory INSTANCE = new MpoolLockFactory();

    private MpoolLockFactory() {}

    @Override
    public Lock obtainLock(Directory dir, String lockName) throws IOException {
        if (FilterDirectory.unwrap(dir) instanceof MpoolDirectory d) {
            return d.store().obtainLock(lockName);
        }
        throw new UnsupportedOperationException("MpoolLockFactory locks MpoolDirectory only, got: " + dir);
    }

    @Override
    public String toString() {
        return "MpoolLockFactory";
    }
}
