package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper;
import org.mpool.common.Reaper.Advice;

/** The reaper keeps mapped page cache under the budget, coldest first, never PINNED. Measured with mincore. */
class ReaperTest {
    private static final long MiB = 1 << 20;
    /** Every mblock here is full: a 1 MiB zone less its checksum table, whole pages. */
    private static final long BLOCK = MblockFixtures.MIB_MBLOCK;

    private static final Duration LONG = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static List<ObjectId> writeMblocks(Mpool pool, int count, long seed) {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, BLOCK, seed + i));
        }
        return ids;
    }

    /** Faults every page of the map in through willNeed and reads; skips the test if mincore sees nothing. */
    private static void load(Mcache map) throws InterruptedException {
        map.willNeed(0, map.segment().byteSize());
        MblockFixtures.touchPages(map.segment());
        assumeTrue(
                McacheResidencyTest.awaitResident(map, 1) > 0,
                "mincore reports no resident pages after reading the map: kernel does not cooperate, skipped");
    }

    @Test
    void aWillNeedDrivenScanOfFourTimesTheBudgetStaysWithinIt() {
        long budget = 16 * MiB;
        try (Mpool pool = Mpool.create("scan", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(128 * MiB))) {
            List<ObjectId> ids = writeMblocks(pool, 64, 100);
            // A period of an hour: only the room willNeed makes keeps the scan in budget.
            pool.setReaperConfig(Reaper.Config.defaults()
                    .withBudgetBytes(budget)
                    .withPeriod(LONG)
                    .withTtl(Duration.ZERO));
            try (Mcache map = pool.map(ids, Advice.WARM)) {
                long max = 0;
                for (ObjectId id : ids) {
                    map.willNeed(map.base(id), map.length(id));
                    MblockFixtures.touchPages(map.segment(id));
                    max = Math.max(max, map.residentBytes());
                }
                assumeTrue(map.residentBytes() > 0, "mincore reports nothing resident: skipped");
                assertThat(max).as("most resident during the scan").isLessThanOrEqualTo(budget + budget / 10);
                assertThat(pool.stats().reaper().evictedBytes())
                        .isGreaterThanOrEqualTo(64 * BLOCK - budget - budget / 10);
            }
        }
    }

    @Test
    void theReaperThreadKeepsAPacedScanOfFourTimesTheBudgetWithinIt() throws InterruptedException {
        long budget = 16 * MiB;
        try (Mpool pool = Mpool.create("paced", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(128 * MiB))) {
            List<ObjectId> ids = writeMblocks(pool, 64, 200);
            pool.setReaperConfig(Reaper.Config.defaults()
                    .withBudgetBytes(budget)
                    .withPeriod(Duration.ofMillis(5))
                    .withTtl(Duration.ZERO));
            try (Mcache map = pool.map(ids, Advice.WARM)) {
                long max = 0;
                for (ObjectId id : ids) {
                    // Plain page faults, no willNeed: only the thread evicts. Its bound is the budget
                    // plus what is faulted in during one period, so the scan gives it a period per mblock:
                    // two scans counted after the touch, since one may have begun before it.
                    long scans = pool.stats().reaper().scans();
                    MblockFixtures.touchPages(map.segment(id));
                    max = Math.max(max, map.residentBytes());
                    awaitScan(pool, scans + 2);
                }
                assumeTrue(
                        pool.stats().reaper().evictions() > 0 || map.residentBytes() > 0,
                        "mincore reports nothing: skipped");
                assertThat(max).as("most resident during the scan").isLessThanOrEqualTo(budget + budget / 10);
                assertThat(map.residentBytes()).isLessThanOrEqualTo(budget);
            }
        }
    }

    private static void awaitScan(Mpool pool, long scans) throws InterruptedException {
        for (int i = 0; i < 2000 && pool.stats().reaper().scans() < scans; i++) {
            Thread.sleep(1);
        }
    }

    @Test
    void coldIsEvictedBeforeHotAndPinnedNever() throws InterruptedException {
        try (Mpool pool = Mpool.create("order", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(128 * MiB))) {
            List<ObjectId> ids = writeMblocks(pool, 20, 300);
            pool.setReaperConfig(Reaper.Config.defaults()
                    .withBudgetBytes(1L << 30)
                    .withPeriod(LONG)
                    .withTtl(Duration.ZERO));
            try (Mcache hot = pool.map(ids.subList(0, 8), Advice.HOT);
                    Mcache cold = pool.map(ids.subList(8, 16), Advice.COLD);
                    Mcache pinned = pool.map(ids.subList(16, 20), Advice.PINNED)) {
                // Loaded HOT first, so least-recent-access alone would evict HOT first: advice must win.
                load(hot);
                load(cold);
                load(pinned);
                long hot0 = hot.residentBytes();
                long pinned0 = pinned.residentBytes();
                assumeTrue(
                        hot0 == 8 * BLOCK && cold.residentBytes() == 8 * BLOCK && pinned0 == 4 * BLOCK,
                        "the page cache did not keep the loaded maps (memory pressure?): skipped");

                rescan(pool, 12 * MiB); // about 20 MiB resident: down to 7/8 of 12 MiB = 10.5 MiB
                assertThat(cold.residentBytes()).as("COLD").isZero();
                assertThat(hot.residentBytes()).as("HOT").isBetween(4 * MiB, 8 * BLOCK - 1);
                assertThat(pinned.residentBytes()).as("PINNED").isEqualTo(pinned0);

                rescan(pool, 2 * MiB); // below what is PINNED: everything else goes, PINNED stays
                assertThat(hot.residentBytes()).as("HOT").isZero();
                assertThat(pinned.residentBytes()).as("PINNED").isEqualTo(pinned0);
                assertThat(pool.stats().reaper().evictions()).isEqualTo(16);
                assertThat(pool.stats().reaper().evictedBytes()).isEqualTo(16 * BLOCK);
            }
        }
    }

    /** A new config makes the thread scan at once; waits for that scan. */
    private static void rescan(Mpool pool, long budget) throws InterruptedException {
        long scans = pool.stats().reaper().scans();
        pool.setReaperConfig(pool.reaperConfig().withBudgetBytes(budget));
        awaitScan(pool, scans + 1);
        assertThat(pool.stats().reaper().scans()).isGreaterThan(scans);
        assertThat(pool.stats().reaper().budgetBytes()).isEqualTo(budget);
    }

    @Test
    void idleMapsLosePagesAfterTheTtlExceptPinned() throws InterruptedException {
        try (Mpool pool = Mpool.create("ttl", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            List<ObjectId> ids = writeMblocks(pool, 4, 400);
            pool.setReaperConfig(Reaper.Config.defaults()
                    .withBudgetBytes(1L << 30)
                    .withPeriod(Duration.ofMillis(10))
                    .withTtl(Duration.ofMillis(200)));
            try (Mcache idle = pool.map(ids.subList(0, 2), Advice.HOT);
                    Mcache pinned = pool.map(ids.subList(2, 4), Advice.PINNED)) {
                load(idle);
                load(pinned);
                for (int i = 0; i < 300 && idle.residentBytes() > 0; i++) {
                    Thread.sleep(10);
                }
                assertThat(idle.residentBytes()).as("idle past the TTL").isZero();
                assertThat(pinned.residentBytes()).as("PINNED").isEqualTo(2 * BLOCK);
                assertThat(pool.stats().reaper().ttlEvictions()).isEqualTo(2);
            }
        }
    }

    @Test
    void configAndStatsAreReported() {
        try (Mpool pool = Mpool.create("cfg", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            assertThat(pool.reaperConfig()).isEqualTo(Reaper.Config.defaults());
            assertThat(pool.stats().reaper().budgetBytes()).isPositive();
            Reaper.Config c = Reaper.Config.defaults().withBudgetPercent(10).withTtl(Duration.ofSeconds(30));
            pool.setReaperConfig(c);
            assertThat(pool.reaperConfig()).isEqualTo(c);
            assertThat(c.budgetText()).isEqualTo("10%");
            assertThat(pool.stats().reaper().liveMaps()).isZero();
        }
    }
}
