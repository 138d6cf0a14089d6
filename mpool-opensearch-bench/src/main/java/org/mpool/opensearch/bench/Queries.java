package org.mpool.opensearch.bench;

import java.util.SplittableRandom;
import org.opensearch.action.search.SearchRequestBuilder;
import org.opensearch.index.query.Operator;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.aggregations.AggregationBuilders;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.transport.client.Client;

/** The query mix: four kinds, each drawn from the corpus by a seeded random. */
final class Queries {
    static final String[] KINDS = {"match 1 word", "match 2 words (AND)", "range + terms agg", "match sorted by date"};

    private Queries() {}

    /** Runs one query of {@code kind} against {@code index}; returns its latency in µs. */
    static long run(Client client, Corpus corpus, String index, int kind, SplittableRandom r) {
        SearchRequestBuilder b = client.prepareSearch(index).setSize(10);
        // Words of rank 10 to 2,000: neither stop words nor hapaxes.
        String w1 = corpus.words[10 + r.nextInt(2000)];
        switch (kind) {
            case 0 -> b.setQuery(QueryBuilders.matchQuery("body", w1));
            case 1 ->
                b.setQuery(QueryBuilders.matchQuery("body", w1 + " " + corpus.words[10 + r.nextInt(200)])
                        .operator(Operator.AND));
            case 2 -> {
                long from = Corpus.DATE_BASE_MILLIS + r.nextLong(Corpus.DATE_SPAN_MILLIS / 2);
                b.setSize(0)
                        .setQuery(QueryBuilders.rangeQuery("date").gte(from).lt(from + Corpus.DATE_SPAN_MILLIS / 8))
                        .addAggregation(AggregationBuilders.terms("c").field("category"));
            }
            default -> b.setQuery(QueryBuilders.matchQuery("body", w1)).addSort("date", SortOrder.DESC);
        }
        long t0 = System.nanoTime();
        b.get();
        return (System.nanoTime() - t0) / 1000;
    }
}
