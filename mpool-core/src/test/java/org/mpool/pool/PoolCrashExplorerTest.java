package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

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
 * every tenth sequence crashes again after recovery. The budget is {@code
 * mpool.explore.pool.points} sequences: 2,500 in the default build (half a minute), 1,000,000
 * with -Pexplore (hours). Replay one sequence with -Dmpool.crash=pool:SEED:K (as printed).
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
        // A point checks every combination of fates where there are at most 256 (about 8 on
        // average): some 100 points a second on 2 cores.
        long budget = Long.getLong("mpool.explore.pool.points", 2_500L);
        long start = System.nanoTime();
        explorer.explore(Seeds.base("PoolCrashExplorerTest"), budget, 10);
        System.out.println(explorer.report(System.nanoTime() - start));
        assertThat(explorer.violations()).isEmpty();
        assertThat(explorer.crashPoints()).isGreaterThanOrEqualTo(budget);
    }
}
