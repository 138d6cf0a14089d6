package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
        long base = Seeds.base("GrowCrashExplorerTest");
        long start = System.nanoTime();
        List<Sequence> all = new ArrayList<>();
        for (long w = 0; all.size() < budget; w++) {
            long seed = Seeds.derive(base, w);
            CrashExplorer.Counts counts = explorer.countsOf(seed);
            assertThat(explorer.violations()).as("workload of seed %d", seed).isEmpty();
            SplittableRandom r = new SplittableRandom(seed);
            for (long i = 0; i < counts.points() && all.size() < budget; i++) {
                all.add(
                        i % 4 == 0
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
