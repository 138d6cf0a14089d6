package org.mpool.lucene.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;

/**
 * The query mix: term queries over words of every frequency band, two-word phrases taken from
 * the documents, and term queries sorted by date (newest first). Each returns its top 10.
 */
final class Queries {
    enum Kind {
        TERM,
        PHRASE,
        SORTED
    }

    record Q(Kind kind, Query query) {}

    private static final Sort BY_DATE = new Sort(new SortField("date", SortField.Type.LONG, true));

    private Queries() {}

    /** {@code perKind} queries of each kind, shuffled together, from {@code seed}. */
    static List<Q> make(Corpus corpus, int perKind, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int v = corpus.vocabulary.length;
        List<Q> out = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            // Frequency bands: the top 100 words, ranks to 2,000, ranks to the end (rare).
            int band = r.nextInt(3);
            int rank = band == 0 ? r.nextInt(100) : band == 1 ? 100 + r.nextInt(1900) : 2000 + r.nextInt(v - 2000);
            out.add(new Q(Kind.TERM, new TermQuery(new Term("body", corpus.word(rank)))));
            String[] p = corpus.phrase(r);
            out.add(new Q(Kind.PHRASE, new PhraseQuery("body", p[0], p[1])));
            int mid = 20 + r.nextInt(2000);
            out.add(new Q(Kind.SORTED, new TermQuery(new Term("body", corpus.word(mid)))));
        }
        // Shuffle so that no kind runs on a cache the previous kind warmed.
        Q[] a = out.toArray(Q[]::new);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Q t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Arrays.asList(a);
    }

    /** Runs every query once; latencies in nanoseconds, by kind. */
    static long[][] run(IndexSearcher searcher, List<Q> queries) throws IOException {
        long[][] lat = new long[Kind.values().length][];
        int[] n = new int[Kind.values().length];
        for (Q q : queries) {
            n[q.kind().ordinal()]++;
        }
        for (Kind k : Kind.values()) {
            lat[k.ordinal()] = new long[n[k.ordinal()]];
        }
        int[] at = new int[Kind.values().length];
        long hits = 0;
        for (Q q : queries) {
            long t0 = System.nanoTime();
            hits += q.kind() == Kind.SORTED
                    ? searcher.search(q.query(), 10, BY_DATE).scoreDocs.length
                    : searcher.search(q.query(), 10).scoreDocs.length;
            lat[q.kind().ordinal()][at[q.kind().ordinal()]++] = System.nanoTime() - t0;
        }
        if (hits == 0) {
            throw new IllegalStateException("no query found anything: the index or the queries are wrong");
        }
        return lat;
    }

    /** The {@code p}-th percentile (0-100) of {@code nanos}, in microseconds. */
    static double percentileMicros(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))] / 1e3;
    }
}
