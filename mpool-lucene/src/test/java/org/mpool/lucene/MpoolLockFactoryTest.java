package org.mpool.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.store.BaseLockFactoryTestCase;

/** Lucene's contract test for lock factories (6 tests), on {@link MpoolDirectory} with {@link MpoolLockFactory}. */
public class MpoolLockFactoryTest extends BaseLockFactoryTestCase {
    @Override
    protected Directory getDirectory(Path path) throws IOException {
        return new MpoolDirectory(path, MpoolLockFactory.INSTANCE);
    }
}
