package org.mpool.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.store.BaseLockFactoryTestCase;
import org.apache.lucene.tests.util.LuceneTestCase.SuppressFileSystems;

/**
 * Lucene's contract test for lock factories (6 tests), on {@link MpoolDirectory} with {@link
 * MpoolLockFactory}. Lucene's test framework sometimes wraps the temporary folder in WindowsFS,
 * and {@code testStressLocks} then skips itself ("cannot handle buggy Files.delete"); our files
 * are not files of that file system, so WindowsFS is left out and all 6 always run.
 */
@SuppressFileSystems("WindowsFS")
public class MpoolLockFactoryTest extends BaseLockFactoryTestCase {
    @Override
    protected Directory getDirectory(Path path) throws IOException {
        return new MpoolDirectory(path, MpoolLockFactory.INSTANCE);
    }
}
