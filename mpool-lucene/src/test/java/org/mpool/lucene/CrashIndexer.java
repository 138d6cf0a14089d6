package org.mpool.lucene;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * The child JVM of {@link LuceneCrashTest}: indexes documents with ids 0, 1, 2... into an
 * {@link MpoolDirectory} and commits every few hundred, until it is killed. It continues from
 * what the index holds, so each round adds to the last. It reports on stdout, flushed per line:
 * {@code READY n} once the writer is open, {@code BEGIN n} before a commit of documents
 * {@code [0, n)} and {@code COMMIT n} after that commit returned.
 *
 * <p>Arguments: folder, seed.
 */
public final class CrashIndexer {
    static final String[] WORDS = {
        "pool", "mblock", "lucene", "segment", "merge", "commit", "crash", "index", "query", "term", "phrase",
        "zone", "catalog", "record", "flush", "sync", "rename", "delete", "orphan", "map", "page", "cache"
    };

    private CrashIndexer() {}

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        Random r = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer())
                .setMaxBufferedDocs(100 + r.nextInt(400))
                .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH)
                .setCommitOnClose(false)
                .setUseCompoundFile(r.nextBoolean());
        TieredMergePolicy tmp = new TieredMergePolicy();
        tmp.setSegmentsPerTier(4); // merge often
        config.setMergePolicy(tmp);
        try (MpoolDirectory dir = new MpoolDirectory(folder);
                IndexWriter w = new IndexWriter(dir, config)) {
            long next = w.getDocStats().numDocs;
            out.println("READY " + next);
            out.flush();
            while (true) {
                int batch = 50 + r.nextInt(500);
                for (int i = 0; i < batch; i++, next++) {
                    w.addDocument(doc(next, r));
                }
                out.println("BEGIN " + next);
                out.flush();
                w.commit();
                out.println("COMMIT " + next);
                out.flush();
            }
        }
    }

    static Document doc(long id, Random r) {
        Document d = new Document();
        d.add(new StringField("id", Long.toString(id), Field.Store.NO));
        d.add(new StoredField("n", id));
        d.add(new NumericDocValuesField("n", id));
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 5 + r.nextInt(60); i < n; i++) {
            text.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
        d.add(new TextField("body", text.toString(), Field.Store.YES));
        return d;
    }
}
