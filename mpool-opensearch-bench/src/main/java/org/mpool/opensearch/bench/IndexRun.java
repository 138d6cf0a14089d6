package org.mpool.opensearch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.opensearch.action.admin.indices.stats.CommonStats;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.transport.client.Client;

/**
 * One store's index built to a single merged segment: the corpus bulk indexed by two client
 * threads (refresh every second, merges in the background), a flush, then a force merge to one
 * segment timed while a query thread runs the mix against the index. The index is left for the
 * merged-index queries; the caller deletes it.
 *
 * @param indexSeconds bulk indexing through the final flush
 * @param segments segments after that flush: how much merging the background left to the force merge
 * @param duringMerge latencies (µs) of the queries that ran during the force merge
 * @param sizeBytes the merged index's size (OpenSearch's store stats)
 */
record IndexRun(
        String store,
        String index,
        double indexSeconds,
        long backgroundMergeMillis,
        long segments,
        double forceMergeSeconds,
        long[] duringMerge,
        long sizeBytes) {
    private static final int BULK_DOCS = 500;

    /** Seconds from the first bulk to one merged, flushed segment: the same work on every store. */
    double toMergedSeconds() {
        return indexSeconds + forceMergeSeconds;
    }

    static IndexRun build(Client client, Corpus corpus, String store, String index, int docs) throws Exception {
        Settings.Builder s = Settings.builder()
                .put("index.number_of_shards", 1)
                .put("index.number_of_replicas", 0)
                .put("index.refresh_interval", "1s")
                .put("index.translog.durability", "async")
                .put("index.store.type", store);
        if (store.equals("mpool")) {
            s.put("index.store.mpool.size", "16gb");
        }
        client.admin()
                .indices()
                .prepareCreate(index)
                .setSettings(s)
                .setMapping(
                        "title", "type=text",
                        "body", "type=text",
                        "date", "type=date",
                        "category", "type=keyword",
                        "price", "type=integer")
                .get();
        client.admin().cluster().prepareHealth(index).setWaitForGreenStatus().get();

        // Daemon threads: a failure leaves none behind to keep the JVM up.
        ExecutorService threads = Executors.newFixedThreadPool(
                3, r -> Thread.ofPlatform().daemon().unstarted(r));
        try {
            long t0 = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                clients.add(threads.submit(() -> {
                    for (int from; (from = next.getAndAdd(BULK_DOCS)) < docs; ) {
                        BulkRequestBuilder bulk = client.prepareBulk();
                        for (int id = from; id < Math.min(docs, from + BULK_DOCS); id++) {
                            bulk.add(client.prepareIndex(index)
                                    .setId(Integer.toString(id))
                                    .setSource(corpus.doc(id)));
                        }
                        BulkResponse r = bulk.get();
                        if (r.hasFailures()) {
                            throw new IllegalStateException(r.buildFailureMessage());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            client.admin().indices().prepareFlush(index).get();
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            client.admin().indices().prepareRefresh(index).get();
            CommonStats indexed = stats(client, index);
            long backgroundMergeMillis = indexed.getMerge().getTotalTimeInMillis();
            long segments = indexed.getSegments().getCount();

            AtomicBoolean merging = new AtomicBoolean(true);
            List<Long> during = new ArrayList<>();
            Future<?> searcher = threads.submit(() -> {
                SplittableRandom r = new SplittableRandom(7);
                while (merging.get()) {
                    during.add(Queries.run(client, corpus, index, r.nextInt(Queries.KINDS.length), r));
                }
                return null;
            });
            long m0 = System.nanoTime();
            try {
                client.admin()
                        .indices()
                        .prepareForceMerge(index)
                        .setMaxNumSegments(1)
                        .get();
            } finally {
                merging.set(false);
            }
            double forceMergeSeconds = (System.nanoTime() - m0) / 1e9;
            searcher.get();
            client.admin().indices().prepareRefresh(index).get();
            return new IndexRun(
                    store,
                    index,
                    indexSeconds,
                    backgroundMergeMillis,
                    segments,
                    forceMergeSeconds,
                    during.stream().mapToLong(Long::longValue).toArray(),
                    stats(client, index).getStore().sizeInBytes());
        } finally {
            threads.shutdownNow();
        }
    }

    private static CommonStats stats(Client client, String index) {
        return client.admin()
                .indices()
                .prepareStats(index)
                .setMerge(true)
                .setSegments(true)
                .setStore(true)
                .get()
                .getTotal();
    }
}
