package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mpool.testing.CrashExplorer;
import org.mpool.testing.CrashExplorer.Sequence;
import org.mpool.testing.CrashScenario;
import org.mpool.testing.Seeds;

/**
 * Crash exploration of mlogs and MDCs (DESIGN.md §4 rule 2, §6): seeded workloads lose power
 * when their k-th device write is issued or while their k-th flush is under way, for every k
 * of each workload ("every crash point") and in sequences of crashes with recovery and more
 * work in between; every crash image must recover to what
 * the model allows. The {@code mpool.explore.points} budget (10,000 by default, 1,000,000
 * with -Pexplore) is shared out between the tests below.
 *
 * <p>Replay: {@code -Dmpool.seed=S} repeats a whole run; {@code -Dmpool.crash=NAME:SEED:K1,K2}
 * (as printed with a violation; fN is a crash during flush N+1) repeats one sequence, and
 * {@code -Dmpool.trace=true} then prints each operation of the mlog workload.
 */
class LogCrashExplorerTest {
    private static final long POINTS = Seeds.explorePoints();
    private static final AtomicLong TOTAL_POINTS = new AtomicLong();
    private static final AtomicLong TOTAL_NANOS = new AtomicLong();
    /** Crash points after a recovery explored one by one in crash sequences (writes and flushes). */
    private static final long EARLY_POINTS = 32;

    @Test
    void mlogEveryCrashPoint() {
        exhaustive("mlog", new MlogCrashScenario(), POINTS * 40 / 100);
    }

    @Test
    void mlogCrashSequences() {
        sequences("mlog-sequences", new MlogCrashScenario(), POINTS * 20 / 100);
    }

    @Test
    void mdcEveryCrashPoint() {
        exhaustive("mdc", new MdcCrashScenario(), POINTS * 25 / 100);
    }

    @Test
    void mdcCrashSequences() {
        sequences("mdc-sequences", new MdcCrashScenario(), POINTS * 15 / 100);
    }

    /** Every crash point k = 0..writes of as many workloads as the budget takes. */
    private static <M> void exhaustive(String name, CrashScenario<M> scenario, long budget) {
        if (replay(name, scenario)) {
            return;
        }
        long base = Seeds.base("LogCrashExplorerTest." + name);
        CrashExplorer<M> explorer = new CrashExplorer<>(name, scenario, 2);
        long start = System.nanoTime();
        List<Sequence> all = new ArrayList<>();
        for (long w = 0; all.size() < budget; w++) {
            long seed = Seeds.derive(base, w);
            CrashExplorer.Counts counts = explorer.countsOf(seed);
            for (long i = 0; i < counts.points() && all.size() < budget; i++) {
                all.add(new Sequence(seed, counts.point(i)));
            }
        }
        all.parallelStream().forEach(explorer::run);
        finish(explorer, start, budget);
    }

    /**
     * Sequences of three crashes: the first at a random point, the second at every one of the
     * first writes and flushes after the recovery (where stale fragments left by the first
     * crash meet new writes), the third at a random point again.
     */
    private static <M> void sequences(String name, CrashScenario<M> scenario, long budget) {
        if (replay(name, scenario)) {
            return;
        }
        long base = Seeds.base("LogCrashExplorerTest." + name);
        CrashExplorer<M> explorer = new CrashExplorer<>(name, scenario, 2);
        long start = System.nanoTime();
        List<Sequence> all = new ArrayList<>();
        for (long w = 0; all.size() * 3L < budget; w++) {
            long seed = Seeds.derive(base, w);
            CrashExplorer.Counts counts = explorer.countsOf(seed);
            SplittableRandom r = new SplittableRandom(seed);
            for (int pass = 0; pass < 2; pass++) {
                long first = counts.point(r.nextLong(counts.points()));
                for (long second = 0; second < EARLY_POINTS; second++) {
                    long early = second % 2 == 0 ? second / 2 : CrashExplorer.duringFlush(second / 2);
                    all.add(new Sequence(seed, first, early, counts.point(r.nextLong(counts.points()))));
                }
            }
        }
        all.parallelStream().forEach(explorer::run);
        finish(explorer, start, budget);
    }

    private static <M> boolean replay(String name, CrashScenario<M> scenario) {
        String wanted = System.getProperty("mpool.crash");
        if (wanted == null || wanted.isBlank()) {
            return false;
        }
        if (wanted.startsWith(name + ":")) {
            CrashExplorer<M> explorer = new CrashExplorer<>(name, scenario, 2);
            explorer.run(Sequence.parse(wanted.substring(name.length() + 1)));
            System.out.println(explorer.report(0));
            assertThat(explorer.violations()).as("replay of %s", wanted).isEmpty();
        }
        return true;
    }

    @AfterAll
    static void printTotal() {
        if (TOTAL_POINTS.get() > 0) {
            System.out.println("LogCrashExplorerTest: " + TOTAL_POINTS.get() + " crash points checked in "
                    + TOTAL_NANOS.get() / 1_000_000 + " ms (mpool.explore.points = " + POINTS + ")");
        }
    }

    private static void finish(CrashExplorer<?> explorer, long start, long budget) {
        long nanos = System.nanoTime() - start;
        TOTAL_POINTS.addAndGet(explorer.crashPoints());
        TOTAL_NANOS.addAndGet(nanos);
        String report = explorer.report(nanos);
        System.out.println(report);
        assertThat(explorer.violations()).as(report).isEmpty();
        assertThat(explorer.crashPoints()).as("crash points checked").isGreaterThanOrEqualTo(budget);
    }
}
