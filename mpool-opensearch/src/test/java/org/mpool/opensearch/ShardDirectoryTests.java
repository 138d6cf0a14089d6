package org.mpool.opensearch;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.store.NativeFSLockFactory;
import org.mpool.lucene.MpoolDirectory;
import org.mpool.lucene.MpoolDirectoryOptions;
import org.opensearch.test.BouncyCastleThreadFilter;
import org.opensearch.test.OpenSearchTestCase;

/** The split layout of one shard, the names rule, and the node's page-cache budget. */
@ThreadLeakFilters(filters = {BouncyCastleThreadFilter.class, MpoolThreadFilter.class})
public class ShardDirectoryTests extends OpenSearchTestCase {

    public void testCommitPointNames() {
        for (String plain : new String[] {
            "segments_1",
            "segments_a2",
            "pending_segments_3",
            "_0.si",
            "_1z.si",
            "write.lock",
            "corrupted_abc",
            "recovery.AbC-_1.segments_4",
            "recovery.AbC-_1._0.si",
            "replication.Xy_z.segments_9",
            "replication.Xy_z._3.si"
        }) {
            assertTrue(plain, CommitPointFiles.isPlain(plain));
        }
        for (String data : new String[] {
            "_0.cfs",
            "_0.cfe",
            "_0_Lucene912_0.doc",
            "_0.fdt",
            "_0_1.fnm",
            "_0_Lucene90_0.dvd",
            "_1.kdd",
            "lucene.mpool",
            "recovery.AbC-_1._0.cfs",
            "replication.Xy_z._0_Lucene912_0.tim",
            "_0_sorting_1.tmp",
            "extra0"
        }) {
            assertFalse(data, CommitPointFiles.isPlain(data));
        }
        assertEquals("_0.cfs", CommitPointFiles.finalName("recovery.AbC-_1._0.cfs"));
        assertEquals("segments_2", CommitPointFiles.finalName("segments_2"));
    }

    private static ShardDirectory open(Path folder, List<String> closed) throws IOException {
        MpoolDirectoryOptions o =
                new MpoolDirectoryOptions().poolSizeBytes(256L << 20).mblockSizeBytes(1L << 20);
        return new ShardDirectory(
                new NIOFSDirectory(folder, NativeFSLockFactory.INSTANCE),
                new MpoolDirectory(folder, NativeFSLockFactory.INSTANCE, o),
                true,
                () -> closed.add(folder.toString()));
    }

    public void testCommitPointIsPlainAndDataIsInThePool() throws IOException {
        Path folder = createTempDir();
        List<String> closed = new ArrayList<>();
        int docs = between(500, 2000);
        try (ShardDirectory dir = open(folder, closed)) {
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()))) {
                for (int i = 0; i < docs; i++) {
                    Document d = new Document();
                    d.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                    d.add(new TextField("body", "the body of document " + i, Field.Store.NO));
                    w.addDocument(d);
                    if (i % 300 == 299) {
                        w.commit();
                    }
                }
                w.commit();
            }
            List<String> onDisk = folderNames(folder);
            assertTrue("the pool file is in the folder: " + onDisk, onDisk.contains("lucene.mpool"));
            for (String name : onDisk) {
                assertTrue(
                        name + " is plain or the pool file",
                        CommitPointFiles.isPlain(name) || name.equals("lucene.mpool"));
            }
            for (String name : dir.listAll()) {
                assertNotEquals("the pool file is never listed", "lucene.mpool", name);
                assertTrue(name + " lives on its side", CommitPointFiles.isPlain(name) == onDisk.contains(name));
            }
            // What OpenSearch does without the plugin (Store.tryOpenIndex): the latest commit from
            // the bare folder.
            try (Directory bare = new NIOFSDirectory(folder)) {
                SegmentInfos latest = SegmentInfos.readLatestCommit(bare);
                assertEquals(docs, latest.totalMaxDoc());
            }
        }
        assertEquals("closed once", 1, closed.size());
        try (ShardDirectory dir = open(folder, closed);
                DirectoryReader r = DirectoryReader.open(dir)) {
            assertEquals(docs, r.numDocs());
        }
    }

    public void testRenameKeepsItsSideAndCrossingCopies() throws IOException {
        Path folder = createTempDir();
        try (ShardDirectory dir = open(folder, new ArrayList<>())) {
            write(dir, "recovery.u1.segments_7", 100);
            write(dir, "recovery.u1._0.cfs", 10_000);
            dir.sync(List.of("recovery.u1.segments_7", "recovery.u1._0.cfs"));
            dir.rename("recovery.u1.segments_7", "segments_7");
            dir.rename("recovery.u1._0.cfs", "_0.cfs");
            dir.syncMetaData();
            assertTrue(Files.exists(folder.resolve("segments_7")));
            assertFalse(Files.exists(folder.resolve("_0.cfs")));
            assertEquals(10_000, dir.fileLength("_0.cfs"));
            // A rename across the sides (never done by Lucene or OpenSearch) copies.
            write(dir, "_9.tmpdata", 5000);
            dir.rename("_9.tmpdata", "_9.si");
            assertEquals(5000, dir.fileLength("_9.si"));
            assertTrue(Files.exists(folder.resolve("_9.si")));
            assertFalse(List.of(dir.listAll()).contains("_9.tmpdata"));
            dir.deleteFile("segments_7");
            dir.deleteFile("_0.cfs");
            assertEquals(List.of("_9.si"), List.of(dir.listAll()));
        }
    }

    private static void write(Directory dir, String name, int bytes) throws IOException {
        try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
            for (int i = 0; i < bytes; i++) {
                out.writeByte((byte) i);
            }
        }
    }

    private static List<String> folderNames(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("extra")) // Lucene's test file system adds extra files
                    .sorted()
                    .toList();
        }
    }

    public void testNodeBudget() {
        long gib = 1L << 30;
        assertEquals(gib / 4, MpoolStoreSettings.budgetBytes("25%", gib));
        assertEquals(gib / 2, MpoolStoreSettings.budgetBytes("50.0%", gib));
        assertEquals(8 * gib, MpoolStoreSettings.budgetBytes("8gb", gib));
        assertEquals(512L << 20, MpoolStoreSettings.budgetBytes("512mb", gib));
        expectThrows(IllegalArgumentException.class, () -> MpoolStoreSettings.budgetBytes("0%", gib));
        expectThrows(IllegalArgumentException.class, () -> MpoolStoreSettings.budgetBytes("101%", gib));
        expectThrows(IllegalArgumentException.class, () -> MpoolStoreSettings.budgetBytes("lots", gib));
        assertEquals(gib, NodePools.shareBytes(gib, 1));
        assertEquals(gib / 4, NodePools.shareBytes(gib, 4));
        assertEquals(NodePools.MIN_SHARE_BYTES, NodePools.shareBytes(gib, 1000));
    }

    public void testPoolsShareTheNodeBudget() throws IOException {
        NodePools pools = new NodePools(256L << 20);
        MpoolDirectoryFactory factory = new MpoolDirectoryFactory(pools);
        List<Directory> dirs = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                dirs.add(factory.newFSDirectory(
                        createTempDir(), NativeFSLockFactory.INSTANCE, TestIndexSettings.indexSettings()));
                assertEquals(i + 1, pools.openPools());
                for (Directory d : dirs) {
                    long budget =
                            ((ShardDirectory) d).pool().pool().reaperConfig().budgetBytes();
                    assertEquals(NodePools.shareBytes(256L << 20, i + 1), budget);
                }
            }
        } finally {
            for (Directory d : dirs) {
                d.close();
            }
        }
        assertEquals(0, pools.openPools());
    }
}
