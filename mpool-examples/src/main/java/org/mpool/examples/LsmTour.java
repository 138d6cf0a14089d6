package org.mpool.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mpool.common.ObjectId;

/**
 * A tour of mpool's client API as an LSM engine uses it; docs/API.md walks through it. The
 * engine ({@link LsmEngine}) keeps its manifest in the pool's root MDC, its write-ahead log in
 * an mlog, and its SSTables in mblocks: flushed from the memtable, read through maps, compacted
 * with direct I/O. The tour writes, compacts, queries, leaves an orphan as a crash would,
 * reopens the pool and checks that every key has its latest value.
 *
 * <pre>{@code java --enable-native-access=org.mpool.core -p <the two jars> -m org.mpool.examples/org.mpool.examples.LsmTour /var/tmp/lsm}</pre>
 */
public final class LsmTour {
    static final int KEYS = 10_000;
    static final int BATCH = 200;

    /**
     * What a run did.
     *
     * @param created the run created the pool (false: it opened one an earlier run left)
     * @param lookupsFromMaps lookups, of {@code 1000}, answered by a mapped table (not the memtable)
     * @param orphansDeleted objects the reopen deleted: tagged by the engine, not in the manifest
     * @param walRecordsReplayed WAL records the reopen replayed into the memtable
     * @param keysVerified keys read back after the reopen, each with its latest value
     * @param tables live SSTables after the reopen
     * @param taggedObjects objects in the pool tagged by the engine, after the reopen
     * @param namedObjects objects the manifest names (every table's mblocks and the WAL)
     * @param manifestCompactions root MDC compactions, over both opens
     */
    public record Result(
            boolean created,
            int lookupsFromMaps,
            int orphansDeleted,
            int walRecordsReplayed,
            int keysVerified,
            int tables,
            long taggedObjects,
            long namedObjects,
            int manifestCompactions) {}

    private LsmTour() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LsmTour <directory for the pool file>");
        }
        System.out.println(run(Path.of(args[0]), System.out));
    }

    /** Runs the tour on a pool file in {@code dir} (created, or opened if an earlier run left it). */
    public static Result run(Path dir, PrintStream out) {
        Path file = dir.resolve("lsm-tour.img");
        Map<String, String> expected = new HashMap<>();
        Random random = new Random(16);
        String run = Long.toString(System.nanoTime(), 36); // this run's values differ from an earlier run's
        boolean created;
        int fromMaps;
        int compactions;
        // 1. Open: create the pool, or open it and recover (manifest, orphans, WAL: LsmEngine's constructor).
        try (LsmEngine db = LsmEngine.open(file, out, 0)) {
            created = db.created;
            for (int k = 0; k < KEYS; k++) { // what earlier runs left is the starting point
                String value = db.get(key(k));
                if (value != null) {
                    expected.put(key(k), value);
                }
            }
            // 2. Writes: each batch into the WAL, then the memtable; a full memtable becomes an SSTable.
            int flushesBefore = db.flushes;
            while (db.flushes < flushesBefore + 3) { // write until three memtables have been flushed
                expected.putAll(db.put(randomBatch(random, run)));
            }
            // 3. Compaction: the two oldest tables, read with direct I/O, merged into one.
            db.compactOldestTwo();
            for (int b = 0; b < 10; b++) { // these stay in the WAL and the memtable: the reopen replays them
                expected.putAll(db.put(randomBatch(random, run)));
            }
            // 4. Queries: point lookups, through the tables' maps.
            fromMaps = lookups(db, expected, random);
            // 5. A crash between a flush's commit and its manifest record: an orphan.
            List<ObjectId> orphan = db.flushButCrashBeforeManifest();
            out.printf("simulated crash: a flush committed %s and stopped before its manifest record%n", orphan);
            compactions = db.manifestCompactions;
        }
        // 6. Restart: recovery deletes the orphan and replays the WAL; every key must read its latest value.
        try (LsmEngine db = LsmEngine.open(file, out, 0)) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String found = db.get(e.getKey());
                if (!e.getValue().equals(found)) {
                    throw new IllegalStateException(e.getKey() + " reads " + found + ", expected " + e.getValue());
                }
            }
            out.printf("verified %d keys after the reopen: each has its latest value%n", expected.size());
            return new Result(
                    created,
                    fromMaps,
                    db.orphansDeleted,
                    db.walRecordsReplayed,
                    expected.size(),
                    db.tables.size(),
                    db.taggedObjects(),
                    db.namedObjects(),
                    compactions + db.manifestCompactions);
        }
    }

    static String key(int k) {
        return String.format("key-%05d", k);
    }

    private static SortedMap<String, String> randomBatch(Random random, String run) {
        SortedMap<String, String> batch = new TreeMap<>();
        for (int i = 0; i < BATCH; i++) {
            int k = random.nextInt(KEYS);
            batch.put(key(k), "value of " + key(k) + " from run " + run + ", put " + random.nextInt(1_000_000));
        }
        return batch;
    }

    /** Point lookups of random keys; returns how many a mapped table answered. */
    private static int lookups(LsmEngine db, Map<String, String> expected, Random random) {
        int fromMaps = 0;
        for (int i = 0; i < 1000; i++) {
            String k = key(random.nextInt(KEYS));
            String found = db.get(k);
            if (!String.valueOf(expected.get(k)).equals(String.valueOf(found))) {
                throw new IllegalStateException(k + " reads " + found + ", expected " + expected.get(k));
            }
            if (found != null && !db.memtable.containsKey(k)) {
                fromMaps++;
            }
        }
        db.out.printf("1000 point lookups: %d answered from mapped tables, the rest from the memtable%n", fromMaps);
        return fromMaps;
    }
}
