package org.mpool.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertHitCount;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.routing.ShardRouting;
import org.opensearch.cluster.routing.allocation.command.MoveAllocationCommand;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.indices.replication.common.ReplicationType;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.aggregations.AggregationBuilders;
import org.opensearch.search.aggregations.bucket.terms.Terms;
import org.opensearch.test.BouncyCastleThreadFilter;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.test.OpenSearchIntegTestCase.ClusterScope;
import org.opensearch.test.OpenSearchIntegTestCase.Scope;

/**
 * Three data nodes keep their shards in mpool ({@code index.store.type: mpool}): indexing, search
 * on primaries and replicas, a node restart, a full cluster restart, a relocation, a delete;
 * with document replication and with segment replication. Counts are checked after every step.
 */
@ThreadLeakFilters(filters = {BouncyCastleThreadFilter.class, MpoolThreadFilter.class})
@ClusterScope(scope = Scope.TEST, numDataNodes = 3, numClientNodes = 0)
public class MpoolStoreClusterTests extends OpenSearchIntegTestCase {
    static final String POOL_FILE = "lucene.mpool";
    private static final String[] COLOURS = {"red", "green", "blue", "yellow", "black"};

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MpoolStorePlugin.class);
    }

    public void testDocumentReplication() throws Exception {
        lifecycle(ReplicationType.DOCUMENT);
    }

    public void testSegmentReplication() throws Exception {
        lifecycle(ReplicationType.SEGMENT);
    }

    static Settings mpoolIndex(int shards, ReplicationType replication) {
        return Settings.builder()
                .put("index.store.type", MpoolStoreSettings.STORE_TYPE)
                .put("index.number_of_shards", shards)
                .put("index.number_of_replicas", 1)
                .put("index.replication.type", replication.name())
                .put(MpoolStoreSettings.POOL_SIZE.getKey(), "512mb")
                .put(MpoolStoreSettings.MBLOCK_SIZE.getKey(), "1mb")
                // No background refresh: the counts change only when the test refreshes.
                .put("index.refresh_interval", "-1")
                .build();
    }

    private void lifecycle(ReplicationType replication) throws Exception {
        String index = "docs-" + replication.name().toLowerCase(java.util.Locale.ROOT);
        int shards = between(2, 4);
        assertAcked(prepareCreate(index)
                .setSettings(mpoolIndex(shards, replication))
                .setMapping("colour", "type=keyword", "n", "type=long", "body", "type=text"));
        ensureGreen(index);
        String uuid = indexUuid(index);
        assertEquals("one pool per shard copy", 2 * shards, poolFiles(uuid).size());
        assertEquals("one open pool per shard copy", 2 * shards, openPools());

        int docs = between(2000, 4000);
        bulkIndex(index, 0, docs);
        refresh(index);
        assertDocs(index, docs, "after indexing");

        // Another batch, flushed (a commit: segments_N in the folder, data in the pools).
        bulkIndex(index, docs, 500);
        docs += 500;
        flush(index);
        refresh(index);
        assertDocs(index, docs, "after a flush");
        assertSplitLayout(uuid);

        internalCluster().restartRandomDataNode();
        ensureGreen(TimeValue.timeValueSeconds(60), index);
        refresh(index);
        assertDocs(index, docs, "after a node restart");

        internalCluster().fullRestart();
        ensureGreen(TimeValue.timeValueSeconds(60), index);
        refresh(index);
        assertDocs(index, docs, "after a full cluster restart");

        relocateOneShard(index);
        refresh(index);
        assertDocs(index, docs, "after a relocation");
        assertEquals(
                "one pool per shard copy after the relocation",
                2 * shards,
                poolFiles(uuid).size());

        bulkIndex(index, docs, 300);
        docs += 300;
        refresh(index);
        assertDocs(index, docs, "after indexing on the relocated shard");

        assertAcked(client().admin().indices().prepareDelete(index));
        assertBusy(() -> assertEquals("pool files left after the delete", List.of(), poolFiles(uuid)));
        assertBusy(() -> assertEquals("pools still open after the delete", 0, openPools()));
    }

    private void bulkIndex(String index, int from, int count) {
        for (int start = from; start < from + count; start += 500) {
            BulkRequestBuilder bulk = client().prepareBulk();
            for (int i = start; i < Math.min(start + 500, from + count); i++) {
                bulk.add(client().prepareIndex(index)
                        .setId(Integer.toString(i))
                        .setSource(
                                "colour",
                                COLOURS[i % COLOURS.length],
                                "n",
                                i,
                                "body",
                                "document number " + i + " of colour " + COLOURS[i % COLOURS.length]));
            }
            BulkResponse r = bulk.get();
            assertFalse(r.buildFailureMessage(), r.hasFailures());
        }
    }

    /**
     * Total, term, range and terms-aggregation answers, from primaries and from replicas. A
     * refresh returns once the primaries are refreshed; with segment replication the replicas get
     * the new segments a moment later, so their answers are awaited.
     */
    private void assertDocs(String index, int docs, String when) throws Exception {
        assertDocs(index, docs, when, "_primary");
        assertBusy(() -> assertDocs(index, docs, when, "_replica"), 60, TimeUnit.SECONDS);
    }

    private void assertDocs(String index, int docs, String when, String preference) {
        String where = when + " (" + preference + ")";
        SearchResponse all = client().prepareSearch(index)
                .setPreference(preference)
                .setSize(0)
                .setTrackTotalHits(true)
                .get();
        assertNoFailures(all);
        assertEquals(where, docs, all.getHits().getTotalHits().value());

        SearchResponse red = client().prepareSearch(index)
                .setPreference(preference)
                .setQuery(QueryBuilders.termQuery("colour", "red"))
                .setSize(0)
                .setTrackTotalHits(true)
                .get();
        assertHitCount(red, (docs + COLOURS.length - 1) / COLOURS.length);

        SearchResponse range = client().prepareSearch(index)
                .setPreference(preference)
                .setQuery(QueryBuilders.rangeQuery("n").gte(100).lt(1100))
                .setSize(0)
                .setTrackTotalHits(true)
                .get();
        assertHitCount(range, 1000);

        SearchResponse text = client().prepareSearch(index)
                .setPreference(preference)
                .setQuery(QueryBuilders.matchQuery("body", "number 1234"))
                .setSize(1)
                .get();
        assertNoFailures(text);
        assertEquals(where, "1234", text.getHits().getAt(0).getId());

        SearchResponse agg = client().prepareSearch(index)
                .setPreference(preference)
                .setSize(0)
                .addAggregation(AggregationBuilders.terms("colours").field("colour"))
                .get();
        assertNoFailures(agg);
        Terms colours = agg.getAggregations().get("colours");
        assertEquals(where, COLOURS.length, colours.getBuckets().size());
        long sum = 0;
        for (Terms.Bucket b : colours.getBuckets()) {
            sum += b.getDocCount();
        }
        assertEquals(where, docs, sum);
    }

    /** Moves a started shard copy to the data node that holds no copy of that shard. */
    private void relocateOneShard(String index) throws Exception {
        ClusterState state = client().admin().cluster().prepareState().get().getState();
        List<ShardRouting> copies = state.routingTable().index(index).shard(0).activeShards();
        ShardRouting moving = copies.get(between(0, copies.size() - 1));
        List<String> holders = new ArrayList<>();
        for (ShardRouting c : copies) {
            holders.add(state.nodes().get(c.currentNodeId()).getName());
        }
        String from = state.nodes().get(moving.currentNodeId()).getName();
        String to = state.nodes().getDataNodes().values().stream()
                .map(n -> n.getName())
                .filter(n -> !holders.contains(n))
                .findFirst()
                .orElseThrow();
        client().admin()
                .cluster()
                .prepareReroute()
                .add(new MoveAllocationCommand(index, 0, from, to))
                .get();
        ClusterHealthResponse health = client().admin()
                .cluster()
                .prepareHealth(index)
                .setWaitForNoRelocatingShards(true)
                .setWaitForGreenStatus()
                .setTimeout(TimeValue.timeValueSeconds(60))
                .get();
        assertFalse("relocation timed out", health.isTimedOut());
        ClusterState after = client().admin().cluster().prepareState().get().getState();
        boolean arrived = after.routingTable().index(index).shard(0).activeShards().stream()
                .anyMatch(s -> after.nodes().get(s.currentNodeId()).getName().equals(to));
        assertTrue("shard 0 is on " + to + " after the move", arrived);
    }

    private String indexUuid(String index) {
        return client().admin()
                .cluster()
                .prepareState()
                .get()
                .getState()
                .metadata()
                .index(index)
                .getIndexUUID();
    }

    /**
     * In every shard copy's index folder: the pool file, a commit point (segments_N and .si files)
     * that OpenSearch can read without the plugin, and nothing else.
     */
    static void assertSplitLayout(String indexUuid) throws IOException {
        List<Path> pools = poolFiles(indexUuid);
        assertFalse("no pool files", pools.isEmpty());
        for (Path pool : pools) {
            Path folder = pool.getParent();
            List<String> names;
            try (Stream<Path> list = Files.list(folder)) {
                names = list.map(p -> p.getFileName().toString())
                        .filter(n -> !n.startsWith("extra")) // Lucene's test file system adds extra files
                        .toList();
            }
            assertTrue(
                    folder + " has a commit point: " + names, names.stream().anyMatch(n -> n.startsWith("segments_")));
            for (String n : names) {
                assertTrue(
                        folder + " holds " + n + ", which belongs in the pool",
                        n.equals(POOL_FILE) || CommitPointFiles.isPlain(n));
            }
        }
    }

    /** Pools the nodes' plugins have open (each counts the shard copies whose directory is open). */
    static int openPools() {
        int n = 0;
        for (PluginsService plugins : internalCluster().getInstances(PluginsService.class)) {
            for (MpoolStorePlugin p : plugins.filterPlugins(MpoolStorePlugin.class)) {
                n += p.pools().openPools();
            }
        }
        return n;
    }

    /** Every pool file of the index on every node's data paths. */
    static List<Path> poolFiles(String indexUuid) throws IOException {
        List<Path> found = new ArrayList<>();
        for (NodeEnvironment env : internalCluster().getInstances(NodeEnvironment.class)) {
            for (Path dataPath : env.nodeDataPaths()) {
                Path indexFolder = dataPath.resolve("indices").resolve(indexUuid);
                if (!Files.exists(indexFolder)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(indexFolder)) {
                    walk.filter(p -> p.getFileName().toString().equals(POOL_FILE))
                            .forEach(found::add);
                }
            }
        }
        return found;
    }
}
