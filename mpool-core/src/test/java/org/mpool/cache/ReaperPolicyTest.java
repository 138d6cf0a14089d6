package org.mpool.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.mpool.common.Reaper.Advice;

class ReaperPolicyTest {
    private static final long MiB = 1 << 20;

    private static ReaperPolicy.Unit<String> unit(
            String key, Advice advice, long lastAccess, long created, long resident) {
        return new ReaperPolicy.Unit<>(key, advice, lastAccess, created, resident);
    }

    private static List<String> keys(ReaperPolicy.Decision<String> d) {
        return d.evict().stream().map(ReaperPolicy.Unit::key).toList();
    }

    @Test
    void underBudgetNothingIsEvicted() {
        var d = ReaperPolicy.choose(List.of(unit("a", Advice.COLD, 0, 0, 4 * MiB)), 4 * MiB, 0, 0, 100);
        assertThat(d.evict()).isEmpty();
        assertThat(d.residentAfterBytes()).isEqualTo(4 * MiB);
    }

    @Test
    void coldBeforeWarmBeforeHotAndPinnedNever() {
        List<ReaperPolicy.Unit<String>> units = List.of(
                unit("hot", Advice.HOT, 1, 0, MiB),
                unit("pinned", Advice.PINNED, 0, 0, MiB),
                unit("warm", Advice.WARM, 2, 0, MiB),
                unit("cold", Advice.COLD, 3, 0, MiB));
        // Budgets with room for the 7/8 low-water mark: 3.5 MiB keeps 3 MiB, 2.5 MiB keeps 2 MiB.
        assertThat(keys(ReaperPolicy.choose(units, 3 * MiB + MiB / 2, 0, 0, 10)))
                .containsExactly("cold");
        assertThat(keys(ReaperPolicy.choose(units, 2 * MiB + MiB / 2, 0, 0, 10)))
                .containsExactly("cold", "warm");
        assertThat(keys(ReaperPolicy.choose(units, 0, 0, 0, 10))).containsExactly("cold", "warm", "hot");
    }

    @Test
    void withinAnAdviceLeastRecentlyAccessedThenOldestGoFirst() {
        List<ReaperPolicy.Unit<String>> units = List.of(
                unit("recent", Advice.WARM, 50, 0, MiB),
                unit("young", Advice.WARM, 10, 5, MiB),
                unit("old", Advice.WARM, 10, 1, MiB),
                unit("stale", Advice.WARM, 5, 9, MiB));
        assertThat(keys(ReaperPolicy.choose(units, 0, 0, 0, 100))).containsExactly("stale", "old", "young", "recent");
    }

    @Test
    void evictsDownToSevenEighthsOfTheBudgetCountingDemand() {
        List<ReaperPolicy.Unit<String>> units = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            units.add(unit("u" + i, Advice.WARM, i, 0, MiB));
        }
        // 16 MiB resident + 1 MiB about to come, budget 16 MiB: down to 14 MiB including the demand.
        var d = ReaperPolicy.choose(units, 16 * MiB, MiB, 0, 100);
        assertThat(keys(d)).containsExactly("u0", "u1", "u2");
        assertThat(d.residentAfterBytes()).isEqualTo(13 * MiB);
    }

    @Test
    void idleUnitsExpireWhateverTheBudgetExceptPinned() {
        List<ReaperPolicy.Unit<String>> units = List.of(
                unit("idle", Advice.HOT, 0, 0, MiB),
                unit("idlePinned", Advice.PINNED, 0, 0, MiB),
                unit("fresh", Advice.COLD, 90, 0, MiB),
                unit("empty", Advice.COLD, 0, 0, 0));
        var d = ReaperPolicy.choose(units, 1L << 40, 0, 50, 100);
        assertThat(keys(d)).containsExactly("idle");
        assertThat(d.expired()).isEqualTo(1);
        assertThat(d.residentAfterBytes()).isEqualTo(2 * MiB);
    }

    @Property
    void neverPinnedAndWithinBudgetWhenPossible(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3) Integer> advices,
            @ForAll @LongRange(min = 0, max = 64) long budgetMiB,
            @ForAll @LongRange(min = 0, max = 8) long demandMiB) {
        List<ReaperPolicy.Unit<String>> units = new ArrayList<>();
        long pinned = 0;
        for (int i = 0; i < advices.size(); i++) {
            Advice a = Advice.values()[advices.get(i)];
            units.add(unit("u" + i, a, (i * 7919L) % 13, i, MiB));
            pinned += a == Advice.PINNED ? MiB : 0;
        }
        long budget = budgetMiB * MiB;
        var d = ReaperPolicy.choose(units, budget, demandMiB * MiB, 0, 100);
        assertThat(d.evict()).noneMatch(u -> u.advice() == Advice.PINNED);
        assertThat(d.residentAfterBytes()).isEqualTo((advices.size() - d.evict().size()) * MiB);
        if (advices.size() * MiB + demandMiB * MiB > budget) {
            long lowWater = budget - budget / 8;
            assertThat(d.residentAfterBytes() + demandMiB * MiB)
                    .isLessThanOrEqualTo(Math.max(lowWater, pinned + demandMiB * MiB));
        } else {
            assertThat(d.evict()).isEmpty();
        }
        // Evicted units are a coldest-first prefix: no kept evictable unit is colder than an evicted one.
        for (var kept : units) {
            if (kept.advice() != Advice.PINNED && !d.evict().contains(kept)) {
                assertThat(d.evict()).allMatch(e -> ReaperPolicy.COLDEST_FIRST.compare(e, kept) <= 0);
            }
        }
    }
}
