package org.mpool.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.store.BaseDirectoryTestCase;

/**
 * Lucene's contract test for every Directory, run against {@link MpoolDirectory}: each test gets
 * a fresh temporary folder, in which the directory makes its pool file. All 57 tests run; two
 * skip themselves because they test FSDirectory only (each calls {@code assumeTrue(dir
 * instanceof FSDirectory)}):
 *
 * <ul>
 *   <li>{@code testPendingDeletions}: installs Lucene's VirusCheckingFS, which refuses deletes of
 *       files on the file system; our files are not files of the file system.
 *   <li>{@code testFsyncDoesntCreateNewFiles}: deletes a file behind the directory's back through
 *       the file system, then syncs it.
 * </ul>
 *
 * <p>The other directories the suite makes ({@code testCopyFrom}'s {@code newDirectory()}) are
 * MpoolDirectories too: this module runs its tests with {@code -Dtests.directory=} this class.
 *
 * <p>Seeds: {@code mvn test -pl mpool-lucene -Dtest=MpoolDirectoryTest -Dtests.seed=DEADBEEF}
 * (the failing seed is printed on failure).
 */
public class MpoolDirectoryTest extends BaseDirectoryTestCase {
    @Override
    protected Directory getDirectory(Path path) throws IOException {
        return new MpoolDirectory(path);
    }
}
