package org.mpool.opensearch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.mpool.opensearch.MpoolStorePlugin;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchRequestBuilder;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.query.Operator;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.search.aggregations.AggregationBuilders;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.test.MockHttpTransport;
import org.opensearch.transport.client.Client;
import org.opensearch.transport.nio.MockNioTransportPlugin;

/**
 * {@code ./bench opensearch}: one OpenSearch node in this JVM, the same generated corpus bulk
 * indexed into an index on {@code index.store.type: mpool} and into one on the default store
 * ({@code fs}), both on the file system of {@code --dir}, in the same run, the order alternating
 * between rounds. Per index: indexing throughput (bulk requests from two client threads, refresh
 * every second, merges in the background, then a flush), the merge time OpenSearch counted, a
 * force merge to one segment timed while a query thread runs the query mix against the index
 * (p50/p99 "during merge"), then each kind of query on the merged index after a warm-up pass of
 * as many queries (p50/p99).
 */
public final class OpenSearchBench {
    private static final int BULK_DOCS = 500;
    private static final String[] KINDS = {
        "match 1 word", "match 2 words (AND)", "range + terms agg", "match sorted by date"
    };

    record Run(
            String store,
            double indexSeconds,
            long backgroundMergeMillis,
            double forceMergeSeconds,
            double[] duringMergeMicros,
            double[][] merged,
            long sizeBytes) {}

    private OpenSearchBench() {}

    public static void main(String[] args) throws Exception {
        int docs = 100_000;
        int rounds = 2;
        int queries = 2000;
        int warmPasses = 1;
        long seed = 42;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> docs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--warm" -> warmPasses = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println(
                            "./bench opensearch [--docs N] [--rounds N] [--queries N] [--warm PASSES] [--seed N] [--dir D]");
                    return;
                }
                default -> {} // the other suites' options
            }
        }
        Path home = Files.createTempDirectory(dir, "mpool-opensearch-bench");
        Corpus corpus = new Corpus(seed, 50_000);
        List<Run> mpool = new ArrayList<>();
        List<Run> fs = new ArrayList<>();
        try (Node node = start(home)) {
            Client client = node.client();
            System.err.println("bench opensearch: warming up (10,000 documents per store)");
            for (String store : new String[] {"fs", "mpool"}) {
                runOne(client, corpus, store, "warmup-" + store, 10_000, 200, 1);
            }
            for (int round = 0; round < rounds; round++) {
                String[] order = round % 2 == 0 ? new String[] {"fs", "mpool"} : new String[] {"mpool", "fs"};
                for (String store : order) {
                    Run r = runOne(client, corpus, store, "bench-" + store + "-" + round, docs, queries, warmPasses);
                    (store.equals("mpool") ? mpool : fs).add(r);
                    System.err.println(describe(r, docs));
                }
            }
        } finally {
            deleteTree(home);
        }
        for (String line : table(mpool, fs, docs)) {
            System.out.println(line);
        }
    }

    private static Node start(Path home) throws Exception {
        Settings settings = Settings.builder()
                .put("cluster.name", "mpool-bench")
                .put("node.name", "bench-node")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("discovery.type", "single-node")
                .put("transport.type", MockNioTransportPlugin.MOCK_NIO_TRANSPORT_NAME)
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Node node = new MockNode(
                settings,
                List.of(MpoolStorePlugin.class, MockNioTransportPlugin.class, MockHttpTransport.TestPlugin.class));
        node.start();
        return node;
    }

    private static Run runOne(
            Client client, Corpus corpus, String store, String index, int docs, int queries, int warmPasses)
            throws Exception {
        Settings.Builder s = Settings.builder()
                .put("index.number_of_shards", 1)
                .put("index.number_of_replicas", 0)
                .put("index.refresh_interval", "1s")
                .put("index.translog.durability", "async");
        if (store.equals("mpool")) {
            s.put("index.store.type", "mpool").put("index.store.mpool.size", "16gb");
        }
        client.admin()
                .indices()
                .prepareCreate(index)
                .setSettings(s)
                .setMapping(
                        "title",
                        "type=text",
                        "body",
                        "type=text",
                        "date",
                        "type=date",
                        "category",
                        "type=keyword",
                        "price",
                        "type=integer")
                .get();
        client.admin().cluster().prepareHealth(index).setWaitForGreenStatus().get();

        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        // Daemon threads: a failure leaves none behind to keep the JVM up.
        ExecutorService pool = Executors.newFixedThreadPool(
                2, r -> Thread.ofPlatform().daemon().unstarted(r));
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            clients.add(pool.submit(() -> {
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
        long backgroundMergeMillis = client.admin()
                .indices()
                .prepareStats(index)
                .setMerge(true)
                .get()
                .getTotal()
                .getMerge()
                .getTotalTimeInMillis();
        client.admin().indices().prepareRefresh(index).get();

        // Force merge to one segment while one thread runs the query mix.
        AtomicBoolean merging = new AtomicBoolean(true);
        List<Long> during = new ArrayList<>();
        Future<?> searcher = pool.submit(() -> {
            SplittableRandom r = new SplittableRandom(7);
            while (merging.get()) {
                long q0 = System.nanoTime();
                query(client, corpus, index, r.nextInt(KINDS.length), r);
                during.add((System.nanoTime() - q0) / 1000);
            }
            return null;
        });
        long m0 = System.nanoTime();
        client.admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get();
        double forceMergeSeconds = (System.nanoTime() - m0) / 1e9;
        merging.set(false);
        searcher.get();
        pool.shutdown();
        client.admin().indices().prepareRefresh(index).get();

        // The merged index: each kind of query, warm.
        double[][] merged = new double[KINDS.length][];
        for (int k = 0; k < KINDS.length; k++) {
            SplittableRandom r = new SplittableRandom(11 + k);
            // Warm: passes of as many queries as are measured (--warm, 1). The default store's merged
            // segment is in the page cache because it was just written through it; mpool wrote it
            // with direct I/O, so its pages come in with these queries.
            for (int i = 0; i < queries * warmPasses; i++) {
                query(client, corpus, index, k, r);
            }
            long[] micros = new long[queries];
            for (int i = 0; i < queries; i++) {
                long q0 = System.nanoTime();
                query(client, corpus, index, k, r);
                micros[i] = (System.nanoTime() - q0) / 1000;
            }
            merged[k] = percentiles(micros);
        }
        long size = client.admin()
                .indices()
                .prepareStats(index)
                .setStore(true)
                .get()
                .getTotal()
                .getStore()
                .sizeInBytes();
        client.admin().indices().prepareDelete(index).get();
        return new Run(
                store,
                indexSeconds,
                backgroundMergeMillis,
                forceMergeSeconds,
                percentiles(during.stream().mapToLong(Long::longValue).toArray()),
                merged,
                size);
    }

    private static void query(Client client, Corpus corpus, String index, int kind, SplittableRandom r) {
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
        b.get();
    }

    /** {p50, p99} in µs. */
    private static double[] percentiles(long[] micros) {
        if (micros.length == 0) {
            return new double[] {0, 0};
        }
        long[] s = micros.clone();
        Arrays.sort(s);
        return new double[] {s[(int) (0.50 * (s.length - 1))], s[(int) (0.99 * (s.length - 1))]};
    }

    private static String describe(Run r, int docs) {
        return String.format(
                Locale.ROOT,
                "bench opensearch: %-5s %,8.0f docs/s, background merges %,d ms, forceMerge %.1f s"
                        + " (queries during it p50 %.0f µs p99 %.0f µs), merged: %s, %,d MiB",
                r.store(),
                docs / r.indexSeconds(),
                r.backgroundMergeMillis(),
                r.forceMergeSeconds(),
                r.duringMergeMicros()[0],
                r.duringMergeMicros()[1],
                mergedText(r),
                r.sizeBytes() >> 20);
    }

    private static String mergedText(Run r) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < KINDS.length; k++) {
            b.append(String.format(
                    Locale.ROOT, "%s p50 %.0f p99 %.0f µs; ", KINDS[k], r.merged()[k][0], r.merged()[k][1]));
        }
        return b.toString();
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The suite's table: medians of the rounds, mpool beside the default store. */
    static List<String> table(List<Run> mpool, List<Run> fs, int docs) {
        List<String> lines = new ArrayList<>();
        lines.add("| suite | measurement | mpool | fs (default store) | ratio | target | met |");
        lines.add("|---|---|---|---|---|---|---|");
        double im = docs / median(mpool, Run::indexSeconds);
        double ifs = docs / median(fs, Run::indexSeconds);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | bulk indexing (%,d docs, 2 clients, refresh 1 s, then flush) | %,.0f docs/s | %,.0f docs/s | %.2f | ≥ 1.1× | %s |",
                docs,
                im,
                ifs,
                im / ifs,
                im >= 1.1 * ifs ? "yes" : "**no**"));
        double bm = median(mpool, Run::backgroundMergeMillis);
        double bfs = median(fs, Run::backgroundMergeMillis);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | merge time while indexing (OpenSearch's merge stats) | %,.0f ms | %,.0f ms | %.2f | report | yes |",
                bm,
                bfs,
                bm / Math.max(1, bfs)));
        double fm = median(mpool, Run::forceMergeSeconds);
        double ffs = median(fs, Run::forceMergeSeconds);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | force merge to 1 segment | %.2f s | %.2f s | %.2f | report | yes |",
                fm,
                ffs,
                fm / ffs));
        double dm50 = median(mpool, r -> r.duringMergeMicros()[0]);
        double dm99 = median(mpool, r -> r.duringMergeMicros()[1]);
        double df50 = median(fs, r -> r.duringMergeMicros()[0]);
        double df99 = median(fs, r -> r.duringMergeMicros()[1]);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | query mix during the force merge, p50 / p99 | %,.0f / %,.0f µs | %,.0f / %,.0f µs | p99 %.2f | p99 ≤ 1.1× | %s |",
                dm50,
                dm99,
                df50,
                df99,
                dm99 / df99,
                dm99 <= 1.1 * df99 ? "yes" : "**no**"));
        for (int k = 0; k < KINDS.length; k++) {
            int kk = k;
            double m50 = median(mpool, r -> r.merged()[kk][0]);
            double m99 = median(mpool, r -> r.merged()[kk][1]);
            double f50 = median(fs, r -> r.merged()[kk][0]);
            double f99 = median(fs, r -> r.merged()[kk][1]);
            lines.add(String.format(
                    Locale.ROOT,
                    "| opensearch | %s, merged index, p50 / p99 | %,.0f / %,.0f µs | %,.0f / %,.0f µs | p99 %.2f | p99 ≤ 1.1× | %s |",
                    KINDS[k],
                    m50,
                    m99,
                    f50,
                    f99,
                    m99 / f99,
                    m99 <= 1.1 * f99 ? "yes" : "**no**"));
        }
        double sm = median(mpool, Run::sizeBytes) / (1 << 20);
        double sfs = median(fs, Run::sizeBytes) / (1 << 20);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | merged index size (OpenSearch's store stats) | %,.0f MiB | %,.0f MiB | %.2f | report | yes |",
                sm,
                sfs,
                sm / sfs));
        return lines;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p :
                    walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
