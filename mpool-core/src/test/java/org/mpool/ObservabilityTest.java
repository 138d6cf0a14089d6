package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.PoolCounters;
import org.mpool.common.Reaper;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.CounterFiles;
import org.mpool.format.CounterPage;
import org.mpool.observe.Counters;
import org.mpool.testing.MemoryDevices;

/**
 * What a pool tells about itself while it runs: the counters of {@code stats().counters()},
 * published for other processes by the open that holds the pool's lock, and the Flight Recorder
 * events (docs/OBSERVABILITY.md).
 */
class ObservabilityTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void theCountersCountWhatThePoolDid() {
        MemoryDevices devices = new MemoryDevices();
        Mpool.create(
                        "count",
                        MemoryDevices.DEFAULT_PATH,
                        new CreateOptions().size(32 * MIB).mblockSize(MIB).shards(1),
                        devices)
                .close();
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            pool.setProperty(Mpool.PROP_DISCARD, "on");
            Map<String, Long> before = pool.stats().counters();
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, 10_000, i));
            }
            ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, MIB);
            pool.commit(log, 0);
            try (Mlog mlog = pool.openMlog(log)) {
                mlog.append(new byte[100], false);
                mlog.append(new byte[100], true);
            }
            pool.delete(ids.getFirst());
            pool.compactMetadata();
            Map<String, Long> after = pool.stats().counters();
            assertThat(after.keySet())
                    .as("every counter, in a fixed order")
                    .containsExactlyElementsOf(ApiModelCheck.COUNTERS); // the stable names, in order
            assertThat(delta(before, after, "commits"))
                    .as("3 mblocks and an mlog")
                    .isEqualTo(4);
            assertThat(delta(before, after, "deletes")).isEqualTo(1);
            assertThat(delta(before, after, "deviceDiscards")).as("discard=on").isEqualTo(1);
            assertThat(delta(before, after, "deviceDiscardBytes")).isEqualTo(MIB);
            assertThat(delta(before, after, "catalogCompactions")).isEqualTo(1);
            assertThat(delta(before, after, "deviceWrites")).isPositive();
            assertThat(delta(before, after, "deviceWriteBytes"))
                    .as("at least the data written")
                    .isGreaterThanOrEqualTo(3 * 10_000);
            assertThat(delta(before, after, "deviceFlushes")).isPositive();
            assertThat(delta(before, after, "logFlushRounds"))
                    .as("a round per durable commit, the mlog's sync append and its close at least")
                    .isGreaterThanOrEqualTo(6);
            assertThat(delta(before, after, "logFlushRecords"))
                    .as("the 4 commit records, the delete, the 2 mlog records")
                    .isGreaterThanOrEqualTo(7);
            assertThat(after.get("deviceErrors")).isZero();
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.get(key) - before.get(key);
    }

    @Test
    void theOpenThatHoldsTheLockPublishesItsCountersForOtherProcesses() {
        Path file = dir.resolve("pub.img");
        UUID uuid;
        long commits;
        try (Mpool pool = Mpool.create("pub", file, MblockFixtures.oneMiBMblocks(64 * MIB))) {
            uuid = pool.uuid();
            MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 1);
            PoolCounters live = Mpool.publishedCounters(uuid).orElseThrow();
            assertThat(live.live()).as("the process has it open").isTrue();
            assertThat(live.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(live.closedMillis()).isZero();
            assertThat(live.counters())
                    .as("what stats() counts")
                    .isEqualTo(pool.stats().counters());
            assertThat(live.counters().get("commits")).isEqualTo(1);
            commits = live.counters().get("commits");
        }
        PoolCounters last = Mpool.publishedCounters(uuid).orElseThrow();
        assertThat(last.live()).as("closed").isFalse();
        assertThat(last.closedMillis()).isGreaterThanOrEqualTo(last.openedMillis());
        assertThat(last.counters().get("commits")).as("the final counts").isEqualTo(commits);
        try (Mpool pool = Mpool.openReadOnly(file)) {
            assertThat(pool.stats().counters().get("commits"))
                    .as("a read-only open counts its own")
                    .isZero();
            assertThat(Mpool.publishedCounters(uuid).orElseThrow())
                    .as("and publishes nothing")
                    .isEqualTo(last);
        }
        try (Mpool pool = Mpool.open(file)) {
            assertThat(Mpool.publishedCounters(uuid).orElseThrow().counters().get("commits"))
                    .as("a new open starts from zero")
                    .isZero();
            pool.destroy();
        }
        assertThat(Mpool.publishedCounters(uuid)).as("no pool, no counters").isEmpty();
    }

    @Test
    void theFlightRecorderHearsOfDeviceIoFlushRoundsCommitsCompactionsAndTheReaper() throws IOException {
        Path recording = dir.resolve("mpool.jfr");
        long evictions;
        try (Recording r = new Recording()) {
            for (String event : List.of(
                    "org.mpool.DeviceIo",
                    "org.mpool.LogFlush",
                    "org.mpool.Commit",
                    "org.mpool.CatalogCompaction",
                    "org.mpool.ReaperScan",
                    "org.mpool.ReaperEviction")) {
                r.enable(event).withThreshold(Duration.ZERO);
            }
            r.start();
            try (Mpool pool = Mpool.create("jfr", dir.resolve("jfr.img"), MblockFixtures.oneMiBMblocks(64 * MIB))) {
                List<ObjectId> ids = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, MblockFixtures.MIB_MBLOCK, i));
                }
                pool.compactMetadata();
                pool.setReaperConfig(Reaper.Config.defaults()
                        .withBudgetBytes(4096)
                        .withPeriod(Duration.ofMillis(5))
                        .withTtl(Duration.ZERO));
                try (Mcache map = pool.map(ids, Advice.COLD)) {
                    MblockFixtures.touchPages(map.segment());
                    long deadline = System.nanoTime() + 2_000_000_000L;
                    while (pool.stats().reaper().scans() < 3 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
                evictions = pool.stats().reaper().evictions();
            }
            r.stop();
            r.dump(recording);
        }
        Map<String, List<RecordedEvent>> byType = RecordingFile.readAllEvents(recording).stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        assertThat(byType)
                .containsKeys(
                        "org.mpool.DeviceIo",
                        "org.mpool.LogFlush",
                        "org.mpool.Commit",
                        "org.mpool.CatalogCompaction",
                        "org.mpool.ReaperScan");
        assertThat(byType.get("org.mpool.DeviceIo").stream()
                        .map(e -> e.getString("operation"))
                        .distinct())
                .contains("read", "write", "flush");
        assertThat(byType.get("org.mpool.DeviceIo"))
                .as("every device call names its device")
                .allMatch(e -> e.getString("device").endsWith("jfr.img"));
        assertThat(byType.get("org.mpool.LogFlush"))
                .as("a round makes records durable")
                .anyMatch(e -> e.getLong("records") > 0 && e.getLong("bytes") > 0);
        assertThat(byType.get("org.mpool.Commit"))
                .as("each mblock commit, with its bytes")
                .filteredOn(e -> e.getLong("bytes") == MblockFixtures.MIB_MBLOCK)
                .hasSize(4);
        assertThat(byType.get("org.mpool.CatalogCompaction"))
                .anyMatch(e -> e.getString("catalog").equals("shard 1"));
        assertThat(byType.get("org.mpool.ReaperScan"))
                .allMatch(e -> e.getString("pool").equals("jfr"));
        assertThat(byType.getOrDefault("org.mpool.ReaperEviction", List.of()))
                .as("an event per eviction the reaper counted")
                .hasSize((int) evictions);
    }

    /**
     * The counter page is a file anyone may damage (it has no checksum: its counters change in
     * place). Whatever it holds, a reader gets the counters or CORRUPT naming the file, never
     * another exception or another pool's counts; the next open for writing replaces it.
     */
    @Test
    void aDamagedCounterPageIsReportedAndTheNextOpenReplacesIt() throws IOException {
        Path file = dir.resolve("dmg.img");
        UUID uuid;
        try (Mpool pool = Mpool.create("dmg", file, MblockFixtures.oneMiBMblocks(64 * MIB))) {
            uuid = pool.uuid();
        }
        Path page = CounterFiles.pathOf(uuid);
        byte[] good = Files.readAllBytes(page);
        assertThat(good).hasSize(CounterPage.SIZE);
        Map<String, byte[]> damaged = new LinkedHashMap<>();
        damaged.put("empty", new byte[0]);
        damaged.put("truncated", Arrays.copyOf(good, 100));
        damaged.put("zeros", new byte[CounterPage.SIZE]);
        damaged.put("another magic", with(good, CounterPage.OFF_MAGIC, 0x55));
        damaged.put("a newer layout", withInt(good, CounterPage.OFF_VERSION, CounterPage.VERSION + 1));
        damaged.put("too many counters", withInt(good, CounterPage.OFF_COUNT, CounterPage.MAX_COUNTERS + 1));
        damaged.put("a negative count", withInt(good, CounterPage.OFF_COUNT, -1));
        damaged.put("no process", withLong(good, CounterPage.OFF_PID, 0));
        damaged.put("another pool's", with(good, CounterPage.OFF_UUID + 3, 0x42));
        Random random = new Random(17);
        for (int i = 0; i < 20; i++) {
            byte[] noise = good.clone();
            for (int k = 0; k < 1 + random.nextInt(8); k++) {
                noise[random.nextInt(CounterPage.OFF_COUNTERS)] = (byte) random.nextInt(256);
            }
            damaged.put("noise " + i, noise);
        }
        for (Map.Entry<String, byte[]> d : damaged.entrySet()) {
            Files.write(page, d.getValue());
            Optional<PoolCounters> read;
            try {
                read = Mpool.publishedCounters(uuid);
            } catch (MpoolException e) {
                assertThat(e.code()).as(d.getKey()).isEqualTo(ErrorCode.CORRUPT);
                assertThat(e.getMessage()).as(d.getKey()).contains(page.toString());
                continue;
            }
            // noise that left the header whole (a counter, the times): read as it is
            assertThat(read).as(d.getKey()).isPresent();
            assertThat(read.get().pool()).as(d.getKey()).isEqualTo(uuid);
            assertThat(read.get().counters().keySet()).as(d.getKey()).hasSizeLessThanOrEqualTo(Counters.count());
        }
        Files.write(page, new byte[7]);
        try (Mpool _ = Mpool.open(file)) {
            assertThat(Mpool.publishedCounters(uuid).orElseThrow().live())
                    .as("a new page")
                    .isTrue();
        }
    }

    private static byte[] with(byte[] page, int offset, int value) {
        byte[] b = page.clone();
        b[offset] ^= (byte) value;
        return b;
    }

    private static byte[] withInt(byte[] page, int offset, int value) {
        byte[] b = page.clone();
        MemorySegment.ofArray(b).set(ValueLayout.JAVA_INT_UNALIGNED, offset, value);
        return b;
    }

    private static byte[] withLong(byte[] page, int offset, long value) {
        byte[] b = page.clone();
        MemorySegment.ofArray(b).set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
        return b;
    }

    @Test
    void noCountersArePublishedForAPoolNoProcessOpenedHere() {
        assertThat(Mpool.publishedCounters(UUID.randomUUID())).isEqualTo(Optional.empty());
    }
}
