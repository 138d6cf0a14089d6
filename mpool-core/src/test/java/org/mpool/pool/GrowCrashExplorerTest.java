package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpool.testing.CrashExplorer;
import org.mpool.testing.CrashExplorer.Sequence;
import org.mpool.testing.Seeds;

/**
 * Crash explorer for growing a pool ({@link GrowCrashScenario}): every write and flush of seeded
 * workloads that grow the pool mid-round is a crash point; every fourth is followed by a second
 * crash after the recovery (which may grow again). The budget is a fortieth of
 * {@code mpool.explore.points} (250 crash points in the default build: a few seconds). Replay one
 * sequence with -Dmpool.crash=grow:SEED:K (as printed).
 */
class GrowCrashExplorerTest {
    @Test
    void aGrowIsAllOrNothingAndItsZonesAreUsable() {
        GrowCrashScenario scenario = new GrowCrashScenario();
        CrashExplorer<GrowCrashScenario.Model> explorer = new CrashExplorer<>("grow", scenario, 2);
        String wanted = System.getProperty("mpool.crash");
        if (wanted != null && wanted.startsWith("grow:")) {
            explorer.run(Sequence.parse(wanted.substring("grow:".length())));
            assertThat(explorer.violations()).isEmpty();
            return;
        }
        long budget = Math.max(100, Seeds.explorePoints() / 40);
        long start = System.nanoTime();
        explorer.explore(Seeds.base("GrowCrashExplorerTest"), budget, 4);
        System.out.println(explorer.report(System.nanoTime() - start));
        assertThat(explorer.violations()).isEmpty();
        assertThat(explorer.crashPoints()).isGreaterThanOrEqualTo(budget);
    }
}
