package org.mpool.opensearch;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetRequestBuilder;
import org.opensearch.action.get.MultiGetResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.test.MockHttpTransport;
import org.opensearch.transport.client.Client;
import org.opensearch.transport.nio.MockNioTransportPlugin;

/**
 * One OpenSearch node in a JVM of its own, for {@link NodeCrashTests}: {@code HOME ACKS FROM SEED}
 * starts the node on HOME's data; if the file ACKS exists, waits for green and looks up every id
 * it lists ({@code HEALTH}, {@code VERIFIED acked=N missing=M total=T}); then, if FROM is not
 * negative, indexes documents FROM, FROM+1, ... into an mpool index and prints {@code ACK a b}
 * once a bulk of ids a..b is acknowledged (the translog is fsynced per request: {@code
 * index.translog.durability: request}, the default), until it is killed.
 *
 * <p>Runs without randomizedtesting and Lucene's test framework on its class path: OpenSearch's
 * {@code Randomness} and Lucene's test codecs insist on a test context when they see them.
 */
public final class CrashNode {
    static final String INDEX = "crash";
    private static final int BULK = 200;

    private CrashNode() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path home = Path.of(args[0]);
        Path acks = Path.of(args[1]);
        long from = Long.parseLong(args[2]);
        try (Node node = start(home)) {
            Client client = node.client();
            if (Files.exists(acks)) {
                verify(client, acks, out);
            }
            if (from >= 0) {
                index(client, from, new Random(Long.parseLong(args[3])), out);
            }
        }
        System.exit(0);
    }

    private static Node start(Path home) throws Exception {
        Settings settings = Settings.builder()
                .put("cluster.name", "mpool-crash")
                .put("node.name", "crash-node")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("discovery.type", "single-node")
                .put("transport.type", MockNioTransportPlugin.MOCK_NIO_TRANSPORT_NAME)
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("node.processors", 2)
                .put("mpool.reaper.budget", "256mb")
                .build();
        Node node = new MockNode(
                settings,
                List.of(MpoolStorePlugin.class, MockNioTransportPlugin.class, MockHttpTransport.TestPlugin.class));
        node.start();
        return node;
    }

    private static ClusterHealthResponse green(Client client) {
        return client.admin()
                .cluster()
                .prepareHealth()
                .setWaitForGreenStatus()
                .setTimeout(TimeValue.timeValueSeconds(60))
                .get();
    }

    private static void index(Client client, long from, Random random, PrintStream out) {
        if (!client.admin().indices().prepareExists(INDEX).get().isExists()) {
            client.admin()
                    .indices()
                    .prepareCreate(INDEX)
                    .setSettings(Settings.builder()
                            .put("index.store.type", MpoolStoreSettings.STORE_TYPE)
                            .put("index.number_of_shards", 2)
                            .put("index.number_of_replicas", 0)
                            .put("index.translog.durability", "request")
                            .put(MpoolStoreSettings.POOL_SIZE.getKey(), "1gb")
                            .put(MpoolStoreSettings.MBLOCK_SIZE.getKey(), "1mb")
                            .put("index.refresh_interval", "200ms"))
                    .setMapping("n", "type=long", "body", "type=text")
                    .get();
        }
        if (green(client).isTimedOut()) {
            throw new IllegalStateException("not green before indexing");
        }
        out.println("READY");
        for (long next = from; ; next += BULK) {
            BulkRequestBuilder bulk = client.prepareBulk();
            for (long id = next; id < next + BULK; id++) {
                bulk.add(client.prepareIndex(INDEX)
                        .setId(Long.toString(id))
                        .setSource("n", id, "body", "document " + id + " " + Long.toHexString(random.nextLong())));
            }
            BulkResponse r = bulk.get();
            List<String> acked = new ArrayList<>();
            for (BulkItemResponse item : r.getItems()) {
                if (!item.isFailed()) {
                    acked.add(item.getId());
                }
            }
            if (acked.size() == BULK) {
                out.println("ACK " + next + " " + (next + BULK - 1));
            } else {
                for (String id : acked) {
                    out.println("ACK " + id + " " + id);
                }
            }
            // Commits now and then (a Lucene commit into the pool and the folder), merges on
            // their own; the kill may land in either.
            if (random.nextInt(8) == 0) {
                client.admin().indices().prepareFlush(INDEX).get();
                out.println("FLUSHED");
            }
        }
    }

    private static void verify(Client client, Path acks, PrintStream out) throws Exception {
        ClusterHealthResponse health = green(client);
        out.println("HEALTH " + health.getStatus() + (health.isTimedOut() ? " timed-out" : ""));
        client.admin().indices().prepareRefresh(INDEX).get();
        List<String> ids = Files.readAllLines(acks);
        long missing = 0;
        for (int i = 0; i < ids.size(); i += 1000) {
            MultiGetRequestBuilder get = client.prepareMultiGet().setRealtime(false);
            for (String id : ids.subList(i, Math.min(ids.size(), i + 1000))) {
                get.add(INDEX, id);
            }
            MultiGetResponse r = get.get();
            for (MultiGetItemResponse item : r.getResponses()) {
                if (item.isFailed() || !item.getResponse().isExists()) {
                    missing++;
                    if (missing <= 10) {
                        out.println("MISSING " + item.getId());
                    }
                }
            }
        }
        SearchResponse all = client.prepareSearch(INDEX)
                .setQuery(QueryBuilders.matchAllQuery())
                .setSize(0)
                .setTrackTotalHits(true)
                .get();
        out.println("VERIFIED acked=" + ids.size() + " missing=" + missing + " total="
                + all.getHits().getTotalHits().value());
    }
}
