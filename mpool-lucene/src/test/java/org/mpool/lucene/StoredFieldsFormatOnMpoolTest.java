package org.mpool.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.tests.index.BaseStoredFieldsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;

/**
 * Lucene's own BaseStoredFieldsFormatTestCase, every directory it makes an {@link MpoolDirectory}: this module's
 * tests run with
 * {@code -Dtests.directory=org.mpool.lucene.MpoolDirectory} (Lucene's test framework then builds
 * each directory of the test through {@code MpoolDirectory(Path, LockFactory)}, wrapped in its
 * MockDirectoryWrapper).
 */
public class StoredFieldsFormatOnMpoolTest extends BaseStoredFieldsFormatTestCase {
    /** Fails unless this run's directories are MpoolDirectory: the suite would prove nothing otherwise. */
    public void testDirectoriesAreMpoolDirectories() throws IOException {
        try (Directory dir = newDirectory()) {
            assertTrue(
                    "tests.directory=" + System.getProperty("tests.directory") + " gave " + dir,
                    FilterDirectory.unwrap(dir) instanceof MpoolDirectory);
        }
    }

    @Override
    protected Codec getCodec() {
        return TestUtil.getDefaultCodec();
    }
}
