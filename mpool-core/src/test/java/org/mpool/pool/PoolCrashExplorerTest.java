package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpool.testing.CrashExplorer;
import org.mpool.testing.CrashExplorer.Sequence;
import org.mpool.testing.Seeds;

/**
 * Crash explorer for whole pools: every write and flush of seeded pool workloads (on a capacity
 * and a staging device that lose power together) is a crash point; where the unflushed writes
 * admit few enough combinations of fates, every combination is checked, else two samples; and
 * every tenth sequence crashes again after recovery. Replay one sequence with
 * -Dmpool.crash=pool:SEED:K (as printed).
 */
class PoolCrashExplorerTest {
    /**
     * Every sequence that ever found a bug, replayed on every run. A rename's crash left copy 1
     * alone holding the new name, which recovery then read; the next open's update wrote copy 1
     * first, power failed in that write and garbled it, and the old name came back
     * (fixed: PoolDevice.repairStaleCopies).
     */
    @ParameterizedTest
    @ValueSource(strings = {"3225548259861804339:f19,f4"})
    void sequencesThatFoundBugsRecoverExactlyTheAcknowledgedState(String sequence) {
        CrashExplorer<PoolModel> explorer = new CrashExplorer<>("pool", new PoolCrashScenario(), 2);
        explorer.run(Sequence.parse(sequence));
        assertThat(explorer.violations()).isEmpty();
        assertThat(explorer.imagesChecked()).as("images checked").isPositive();
    }

    @Test
    void poolsRecoverExactlyTheAcknowledgedState() {
        PoolCrashScenario scenario = new PoolCrashScenario();
        CrashExplorer<PoolModel> explorer = new CrashExplorer<>("pool", scenario, 2);
        String wanted = System.getProperty("mpool.crash");
        if (wanted != null && wanted.startsWith("pool:")) {
            explorer.run(Sequence.parse(wanted.substring("pool:".length())));
            assertThat(explorer.violations()).isEmpty();
            return;
        }
        // An eighth of the points of the log explorers: a point of a two-device pool costs about
        // 8 ms an image, and most points check every combination of fates (up to 256 images).
        long budget = Math.max(1, Seeds.explorePoints() / 8);
        long base = Seeds.base("PoolCrashExplorerTest");
        long start = System.nanoTime();
        List<Sequence> all = new ArrayList<>();
        for (long w = 0; all.size() < budget; w++) {
            long seed = Seeds.derive(base, w);
            CrashExplorer.Counts counts = explorer.countsOf(seed);
            assertThat(explorer.violations()).as("workload of seed %d", seed).isEmpty();
            if (Boolean.getBoolean("mpool.trace")) {
                System.out.printf(
                        "seed %d: %d writes, %d flushes, %d sequences so far%n",
                        seed, counts.writes(), counts.flushes(), all.size());
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (long i = 0; i < counts.points() && all.size() < budget; i++) {
                // Every tenth crash point is followed by a second crash after the recovery.
                all.add(
                        i % 10 == 0
                                ? new Sequence(seed, counts.point(i), counts.point(r.nextLong(counts.points())))
                                : new Sequence(seed, counts.point(i)));
            }
        }
        all.parallelStream().forEach(explorer::run);
        System.out.println(explorer.report(System.nanoTime() - start));
        assertThat(explorer.violations()).isEmpty();
        assertThat(explorer.crashPoints()).isGreaterThanOrEqualTo(budget);
    }
}
