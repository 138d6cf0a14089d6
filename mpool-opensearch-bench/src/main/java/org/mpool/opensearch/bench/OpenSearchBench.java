package org.mpool.opensearch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.mpool.opensearch.MpoolStorePlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.test.MockHttpTransport;
import org.opensearch.transport.client.Client;
import org.opensearch.transport.nio.MockNioTransportPlugin;

/**
 * {@code ./bench opensearch}: one OpenSearch node in this JVM; per round, the same generated
 * corpus built into one index per store ({@link IndexRun}: bulk indexing, then a force merge to
 * one segment with queries running) on {@code mpool}, on the default store {@code fs}, and on
 * {@code bench-no-io} (the heap: the ceiling no store can pass), in an order that rotates between
 * rounds; then the merged indices queried in turn, query by query, so that whatever slows the
 * machine meanwhile falls on every store alike. Query percentiles are of all the rounds' samples
 * together; the other figures are medians of the rounds.
 */
public final class OpenSearchBench {
    static final String[] STORES = {"mpool", "fs", NoIoStorePlugin.STORE_TYPE};

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
        Path home = Files.createTempDirectory(Files.createDirectories(dir), "mpool-opensearch-bench");
        Corpus corpus = new Corpus(seed, 50_000);
        Map<String, List<IndexRun>> runs = new LinkedHashMap<>();
        Map<String, Latencies> duringMerge = new LinkedHashMap<>();
        Map<String, Latencies[]> merged = new LinkedHashMap<>();
        for (String store : STORES) {
            runs.put(store, new ArrayList<>());
            duringMerge.put(store, new Latencies());
            Latencies[] kinds = new Latencies[Queries.KINDS.length];
            for (int k = 0; k < kinds.length; k++) {
                kinds[k] = new Latencies();
            }
            merged.put(store, kinds);
        }
        try (Node node = start(home)) {
            Client client = node.client();
            System.err.println("bench opensearch: warming up (10,000 documents per store)");
            for (String store : STORES) {
                IndexRun warm = IndexRun.build(client, corpus, store, "warmup-" + store, 10_000);
                client.admin().indices().prepareDelete(warm.index()).get();
            }
            for (int round = 0; round < rounds; round++) {
                List<IndexRun> built = new ArrayList<>();
                for (int i = 0; i < STORES.length; i++) {
                    String store = STORES[(round + i) % STORES.length];
                    IndexRun r = IndexRun.build(client, corpus, store, "bench-" + store + "-" + round, docs);
                    built.add(r);
                    runs.get(store).add(r);
                    duringMerge.get(store).addAll(r.duringMerge());
                    System.err.println(describe(r, docs));
                }
                queryInTurn(client, corpus, built, queries, warmPasses, round, merged);
                for (IndexRun r : built) {
                    client.admin().indices().prepareDelete(r.index()).get();
                }
            }
        } finally {
            deleteTree(home);
        }
        for (String line : Report.table(runs, duringMerge, merged, docs)) {
            System.out.println(line);
        }
    }

    /**
     * Each kind of query on the round's merged indices, the stores taking turns query by query
     * (the first store rotating), after {@code warmPasses} passes of as many queries. Every store
     * gets the same queries. The default store's merged segment is in the page cache because it
     * was just written through it; mpool wrote it with direct I/O, so its pages come in with the
     * warm-up.
     */
    private static void queryInTurn(
            Client client,
            Corpus corpus,
            List<IndexRun> built,
            int queries,
            int warmPasses,
            int round,
            Map<String, Latencies[]> merged) {
        int n = built.size();
        for (int k = 0; k < Queries.KINDS.length; k++) {
            SplittableRandom[] random = new SplittableRandom[n];
            for (int s = 0; s < n; s++) {
                random[s] = new SplittableRandom(1000L * round + 11 + k);
            }
            for (int i = 0; i < queries * (warmPasses + 1); i++) {
                boolean measured = i >= queries * warmPasses;
                for (int t = 0; t < n; t++) {
                    int s = (i + t) % n;
                    IndexRun r = built.get(s);
                    long us = Queries.run(client, corpus, r.index(), k, random[s]);
                    if (measured) {
                        merged.get(r.store())[k].add(us);
                    }
                }
            }
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
                List.of(
                        MpoolStorePlugin.class,
                        NoIoStorePlugin.class,
                        MockNioTransportPlugin.class,
                        MockHttpTransport.TestPlugin.class));
        node.start();
        return node;
    }

    private static String describe(IndexRun r, int docs) {
        Latencies during = new Latencies();
        during.addAll(r.duringMerge());
        return String.format(
                Locale.ROOT,
                "bench opensearch: %-11s %,8.0f docs/s, %d segments, background merges %,d ms, forceMerge %.1f s"
                        + " (queries during it p50 %d µs p99 %d µs), to merged %,8.0f docs/s, %,d MiB",
                r.store(),
                docs / r.indexSeconds(),
                r.segments(),
                r.backgroundMergeMillis(),
                r.forceMergeSeconds(),
                during.quantile(0.50),
                during.quantile(0.99),
                docs / r.toMergedSeconds(),
                r.sizeBytes() >> 20);
    }

    static double median(List<IndexRun> runs, ToDoubleFunction<IndexRun> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
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
