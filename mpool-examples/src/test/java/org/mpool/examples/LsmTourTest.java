package org.mpool.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;
import org.mpool.common.ObjectInfo;

/** The LSM tour of docs/API.md: it runs, and what it claims to have done is so. */
class LsmTourTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aFirstRunCreatesThePoolAndRecoversEverythingAfterTheReopen() {
        LsmTour.Result r = LsmTour.run(dir, out);

        assertThat(r.created()).isTrue();
        // 30 batches of 200 random keys of 10,000 leave about 9,000 distinct keys, each read back
        assertThat(r.keysVerified()).isBetween(8_000, LsmTour.KEYS);
        // the 10 batches put after the last flush were only in the WAL (and the orphan table)
        assertThat(r.walRecordsReplayed()).isEqualTo(10);
        assertThat(r.orphansDeleted()).as("the orphan table's mblocks").isEqualTo(1);
        // three flushes, then the two oldest merged into one
        assertThat(r.tables()).isEqualTo(2);
        assertThat(r.taggedObjects())
                .as("nothing tagged is left that the manifest does not name")
                .isEqualTo(r.namedObjects());
        assertThat(r.manifestCompactions()).as("one at each open").isEqualTo(2);
        assertThat(r.lookupsFromMaps()).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(
                        "created pool lsm-tour",
                        "flushed table 3",
                        "compacted tables 1 and 2 with direct I/O",
                        "orphans deleted: 1; WAL records replayed: 10",
                        "verified " + r.keysVerified() + " keys");
    }

    @Test
    void aSecondRunOpensThePoolTheFirstLeftAndBuildsOnIt() {
        LsmTour.Result first = LsmTour.run(dir, out);
        LsmTour.Result second = LsmTour.run(dir, out);

        assertThat(second.created()).isFalse();
        assertThat(second.tables())
                .as("two left by the first run, three flushed, two merged")
                .isEqualTo(4);
        assertThat(second.keysVerified()).isGreaterThanOrEqualTo(first.keysVerified());
        assertThat(second.orphansDeleted()).isEqualTo(1);
        assertThat(second.taggedObjects()).isEqualTo(second.namedObjects());
    }

    @Test
    void mainRunsTheTourAndPrintsItsResult() {
        PrintStream saved = System.out;
        System.setOut(out);
        try {
            LsmTour.main(new String[] {dir.toString()});
        } finally {
            System.setOut(saved);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Result[created=true", "orphansDeleted=1", "walRecordsReplayed=10");
    }

    @Test
    void mainWantsADirectory() {
        assertThatThrownBy(() -> LsmTour.main(new String[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage");
    }

    @Test
    void aFullWalFlushesTheMemtableBeforeItIsFull() {
        Path file = dir.resolve("wal-full.img");
        SortedMap<String, String> all = new TreeMap<>();
        try (LsmEngine db = LsmEngine.open(file, out, 0)) {
            // ~47 KB a record: the 1 MiB WAL is full after about 22, 4,400 keys, below the
            // memtable's 5,000: only LOG_FULL can have made the flush
            for (int b = 0; b < 23; b++) {
                SortedMap<String, String> batch = new TreeMap<>();
                for (int i = 0; i < LsmTour.BATCH; i++) {
                    batch.put("t-" + (b * LsmTour.BATCH + i), "v".repeat(220) + b);
                }
                all.putAll(db.put(batch));
            }
            assertThat(all).hasSizeLessThan(LsmEngine.MEMTABLE_ENTRIES);
            assertThat(db.flushes).isEqualTo(1);
        }
        try (LsmEngine db = LsmEngine.open(file, out, 0)) {
            all.forEach((k, v) -> assertThat(db.get(k)).as(k).isEqualTo(v));
        }
    }

    @Test
    void theManifestCompactsWhenItPassesItsLimit() {
        Path file = dir.resolve("manifest.img");
        SortedMap<String, String> all = new TreeMap<>();
        try (LsmEngine db = LsmEngine.open(file, out, 1024)) {
            for (int t = 0; t < 24; t++) {
                all.putAll(db.put(new TreeMap<>(Map.of(LsmTour.key(t), "v" + t, "shared", "s" + t))));
                db.flush();
                if (t % 3 == 2) {
                    db.compactOldestTwo();
                }
            }
            // 24 flushes and 8 compactions append about 1.3 KB: past 1 KiB at least once
            assertThat(db.manifestCompactions)
                    .as("the one at open, then past 1 KiB")
                    .isGreaterThan(1);
            assertThat(db.manifest.usedBytes()).isLessThanOrEqualTo(1024);
        }
        try (LsmEngine db = LsmEngine.open(file, out, 1024)) {
            assertThat(db.tables).hasSize(24 - 8);
            all.forEach((k, v) -> assertThat(db.get(k)).as(k).isEqualTo(v));
            assertThat(db.orphansDeleted).isZero();
        }
        try (Mpool pool = Mpool.open(file)) {
            assertThat(pool.objects().stream().mapToLong(ObjectInfo::owner)).containsOnly(LsmEngine.ENGINE_TAG);
        }
    }
}
