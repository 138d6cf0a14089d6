package org.mpool.lucene.bench;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;

/**
 * Indexes the corpus into a directory as an application would: {@code threads} threads add
 * documents, and whoever crosses a multiple of {@code commitEvery} commits. Lucene's defaults
 * otherwise (16 MB RAM buffer, TieredMergePolicy, ConcurrentMergeScheduler, compound files for
 * small segments).
 */
final class Indexer {
    private Indexer() {}

    static IndexWriter open(Directory dir) throws IOException {
        return new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()).setCommitOnClose(false));
    }

    /** Adds every document and commits along the way and at the end; the seconds it took. */
    static double index(IndexWriter w, Corpus corpus, int threads, int commitEvery) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofPlatform().name("indexer-" + t).start(() -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < corpus.docs.size(); ) {
                        w.addDocument(document(corpus.docs.get(i)));
                        if ((i + 1) % commitEvery == 0) {
                            w.commit();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IOException("indexing failed", failure.get());
        }
        w.commit();
        return (System.nanoTime() - t0) / 1e9;
    }

    static Document document(Corpus.Doc d) {
        Document doc = new Document();
        doc.add(new StringField("id", Integer.toString(d.id()), Field.Store.YES));
        doc.add(new TextField("title", d.title(), Field.Store.YES));
        doc.add(new TextField("body", d.body(), Field.Store.NO));
        doc.add(new LongPoint("date", d.date()));
        doc.add(new NumericDocValuesField("date", d.date()));
        doc.add(new KeywordField("category", d.category(), Field.Store.NO));
        return doc;
    }
}
