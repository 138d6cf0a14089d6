package org.mpool.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * The free-zone map of a media class: accounting, the spare reserve kept for metadata,
 * contiguous runs, the allocation cursor, and the errors for misuse and for catalogs that own
 * a zone twice.
 */
class SpaceMapTest {

    static MpoolException failure(Runnable r) {
        return catchThrowableOfType(MpoolException.class, r::run);
    }

    static void assertAccounting(SpaceMap map, String when) {
        long used = 0;
        for (long z = 0; z < map.zoneCount(); z++) {
            used += map.isUsed(z) ? 1 : 0;
        }
        assertThat(map.usedZones()).as("usedZones %s", when).isEqualTo(used);
    }

    @Example
    void allocateFreeAndClaimKeepTheCountsInStep() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 20, 0);
        assertThat(map.zoneCount()).as("zone count").isEqualTo(20);
        assertThat(map.usedZones()).as("used zones of a new map").isZero();
        map.claim(0, 1);
        map.claim(5, 3);
        assertAccounting(map, "after claiming zone 0 and zones 5..7");
        assertThat(map.usedZones()).as("used after claims").isEqualTo(4);
        long a = map.allocate(1, false);
        long b = map.allocate(4, false);
        assertThat(a).as("first allocation").isEqualTo(1);
        assertThat(b).as("a 4-zone run after zone 1 (2..4 is too short)").isEqualTo(8);
        for (long z = b; z < b + 4; z++) {
            assertThat(map.isUsed(z)).as("zone %d of the run", z).isTrue();
        }
        assertThat(map.usedZones()).as("used after allocations").isEqualTo(9);
        map.free(b, 4);
        map.free(5, 3);
        assertAccounting(map, "after frees");
        assertThat(map.usedZones()).as("used after frees").isEqualTo(2);
        assertThat(map.isUsed(6)).as("freed zone 6").isFalse();
    }

    @Example
    void dataAllocationsStopAtTheSpareAndMetadataMayUseIt() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 100, 10);
        assertThat(map.spareZones()).as("spare zones at 10% of 100").isEqualTo(10);
        for (int i = 0; i < 90; i++) {
            map.allocate(1, false);
        }
        MpoolException full = failure(() -> map.allocate(1, false));
        assertThat(full).as("data allocation into the spare").isNotNull();
        assertThat(full.code()).as("code of %s", full).isEqualTo(ErrorCode.NO_SPACE);
        assertThat(full.getMessage())
                .as("message of %s", full)
                .isEqualTo("no space in media class capacity: 1 zone(s) wanted, 10 of 100 free"
                        + " (10 kept spare for metadata)");
        assertThat(map.usedZones()).as("used after the refused allocation").isEqualTo(90);
        long meta = map.allocate(10, true);
        assertThat(meta).as("metadata run in the spare").isEqualTo(90);
        MpoolException metaFull = failure(() -> map.allocate(1, true));
        assertThat(metaFull.code()).as("code of %s", metaFull).isEqualTo(ErrorCode.NO_SPACE);
        assertThat(metaFull.getMessage()).as("message of %s", metaFull).contains("0 of 100 free");
        assertThat(map.usedZones()).as("used when full").isEqualTo(100);
    }

    @Example
    void theSpareIsAShareOfTheZonesAndCanChange() {
        SpaceMap map = new SpaceMap(MediaClass.STAGING, 1000, 5);
        assertThat(map.spareZones()).as("5% of 1000").isEqualTo(50);
        map.setSparePercent(0);
        assertThat(map.spareZones()).as("0%").isZero();
        map.setSparePercent(100);
        assertThat(map.spareZones()).as("100%: the reference's range").isEqualTo(1000);
        MpoolException dataRefused = failure(() -> map.allocate(1, false));
        assertThat(dataRefused.code()).as("no room for data at 100%").isEqualTo(ErrorCode.NO_SPACE);
        assertThat(map.allocate(1, true)).as("metadata still allocates").isZero();
        map.free(0, 1);
        map.setSparePercent(50);
        assertThat(map.spareZones()).as("50%").isEqualTo(500);
        MpoolException tooMuch = failure(() -> map.setSparePercent(101));
        assertThat(tooMuch.code()).as("code of %s", tooMuch).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        MpoolException negative = failure(() -> new SpaceMap(MediaClass.STAGING, 10, -1));
        assertThat(negative.code()).as("code of %s", negative).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(map.spareZones()).as("spare after a refused change").isEqualTo(500);
        assertThat(new SpaceMap(MediaClass.CAPACITY, 7, 50).spareZones())
                .as("50% of 7, rounded down")
                .isEqualTo(3);
    }

    @Example
    void tooManyZonesAreRefused() {
        MpoolException e = failure(() -> new SpaceMap(MediaClass.CAPACITY, Integer.MAX_VALUE + 1L, 0));
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Example
    void runsAreContiguousAndEnoughFreeZonesInPiecesAreNoSpace() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 10, 0);
        assertThat(map.allocate(10, false)).as("the whole device").isZero();
        for (long z : new long[] {1, 3, 5, 7}) {
            map.free(z, 1);
        }
        MpoolException e = failure(() -> map.allocate(2, false));
        assertThat(e).as("2 zones out of 4 free ones, none adjacent").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.NO_SPACE);
        assertThat(e.getMessage()).as("message of %s", e).contains("2 zone(s) wanted, 4 of 10 free");
        map.free(4, 1);
        assertThat(map.allocate(3, false)).as("the run 3..5").isEqualTo(3);
        assertThat(map.allocate(1, false))
                .as("the next free zone after the cursor")
                .isEqualTo(7);
        assertThat(map.allocate(1, false)).as("wrapped to the start").isEqualTo(1);
        assertThat(map.usedZones()).as("used").isEqualTo(10);
    }

    @Example
    void theCursorMovesOnAndWrapsAround() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 8, 0);
        for (int z = 0; z < 5; z++) {
            assertThat(map.allocate(1, false)).as("allocation %d", z).isEqualTo(z);
        }
        map.free(1, 1);
        // Freed zones are not reused until the cursor comes round again.
        assertThat(map.allocate(1, false)).as("after freeing zone 1").isEqualTo(5);
        assertThat(map.allocate(1, false)).as("next").isEqualTo(6);
        map.free(2, 2);
        // Zone 7 is free but a run of 2 from the cursor does not fit: it starts again at 0.
        assertThat(map.allocate(2, false)).as("a run of 2 with the cursor at 7").isEqualTo(1);
        assertThat(map.allocate(1, false)).as("the cursor after that run").isEqualTo(3);
        assertThat(map.allocate(1, false)).as("then").isEqualTo(7);
        assertThat(map.usedZones()).as("used").isEqualTo(8);
        map.free(0, 8);
        assertThat(map.usedZones()).as("used after freeing everything").isZero();
        assertThat(map.allocate(8, false))
                .as("the whole device after the cursor wrapped")
                .isZero();
    }

    @Example
    void doubleFreeThrowsAndChangesNothing() {
        SpaceMap map = new SpaceMap(MediaClass.STAGING, 10, 0);
        map.allocate(3, false);
        map.free(1, 1);
        Throwable twice = catchThrowable(() -> map.free(1, 1));
        assertThat(twice)
                .as("freeing zone 1 twice")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("staging zone 1 freed twice");
        Throwable partly = catchThrowable(() -> map.free(0, 3));
        assertThat(partly).as("freeing zones 0..2 with zone 1 free").isInstanceOf(IllegalStateException.class);
        assertThat(map.isUsed(0)).as("zone 0 after the refused free").isTrue();
        assertThat(map.isUsed(2)).as("zone 2 after the refused free").isTrue();
        assertThat(map.usedZones()).as("used after the refused frees").isEqualTo(2);
    }

    @Example
    void claimingAnOwnedZoneIsCorrupt() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 10, 0);
        map.claim(2, 3);
        MpoolException e = failure(() -> map.claim(4, 2));
        assertThat(e).as("claim of 4..5 with 4 owned").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.CORRUPT);
        assertThat(e.getMessage()).as("message of %s", e).contains("capacity zone 4 is owned twice");
        long allocated = map.allocate(1, false);
        MpoolException again = failure(() -> map.claim(allocated, 1));
        assertThat(again.code())
                .as("claim of allocated zone %d: %s", allocated, again)
                .isEqualTo(ErrorCode.CORRUPT);
    }

    @Example
    void outOfRangeClaimsAndFreesAreCorrupt() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 10, 0);
        long[][] bad = {{-1, 1}, {10, 1}, {9, 2}, {0, 0}, {0, 11}, {3, -1}, {Long.MIN_VALUE, 1}};
        for (long[] r : bad) {
            MpoolException claim = failure(() -> map.claim(r[0], r[1]));
            assertThat(claim).as("claim(%d, %d)", r[0], r[1]).isNotNull();
            assertThat(claim.code()).as("claim(%d, %d): %s", r[0], r[1], claim).isEqualTo(ErrorCode.CORRUPT);
            MpoolException free = failure(() -> map.free(r[0], r[1]));
            assertThat(free).as("free(%d, %d)", r[0], r[1]).isNotNull();
            assertThat(free.code()).as("free(%d, %d): %s", r[0], r[1], free).isEqualTo(ErrorCode.CORRUPT);
        }
        assertThat(map.usedZones()).as("used after the refused claims").isZero();
    }

    /**
     * Catalog records carry zones and zone counts as u64: a range whose end overflows a long
     * lies outside the device too. (It used to pass the range check, which added first and
     * count: a claim then counted zones it never marked, and a free failed with an index error.)
     */
    @Example
    void rangesWhoseEndOverflowsALongAreCorrupt() {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, 10, 0);
        long[][] bad = {{Long.MAX_VALUE, 1}, {5, Long.MAX_VALUE}, {Long.MAX_VALUE, Long.MAX_VALUE}, {1, -1}};
        for (long[] r : bad) {
            MpoolException claim = failure(() -> map.claim(r[0], r[1]));
            assertThat(claim).as("claim(%d, %d)", r[0], r[1]).isNotNull();
            assertThat(claim.code()).as("claim(%d, %d): %s", r[0], r[1], claim).isEqualTo(ErrorCode.CORRUPT);
            MpoolException free = failure(() -> map.free(r[0], r[1]));
            assertThat(free).as("free(%d, %d)", r[0], r[1]).isNotNull();
            assertThat(free.code()).as("free(%d, %d): %s", r[0], r[1], free).isEqualTo(ErrorCode.CORRUPT);
        }
        assertThat(map.usedZones()).as("used after the refused claims").isZero();
        assertThat(map.allocate(10, false)).as("the whole device is still free").isZero();
    }

    // ---- against a model

    sealed interface Step permits Alloc, Free {}

    record Alloc(int count, boolean useSpare) implements Step {}

    /** Frees the allocation at {@code pick} modulo the number held (nothing if none). */
    record Free(int pick) implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> alloc = Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.of(true, false))
                .as(Alloc::new);
        Arbitrary<Step> free = Arbitraries.integers().between(0, 1000).map(Free::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, alloc), net.jqwik.api.Tuple.of(2, free))
                .list()
                .ofMinSize(1)
                .ofMaxSize(200);
    }

    /**
     * Random allocations and frees, checked against a boolean[] of owned zones after every
     * step: no zone is handed out twice, an allocation fails (NO_SPACE) exactly when the model
     * has too few zones outside the spare or no run long enough, and the counts agree.
     */
    @Property(tries = 300)
    void allocationsAndFreesAgreeWithAModel(
            @ForAll @IntRange(min = 1, max = 40) int zones,
            @ForAll @IntRange(min = 0, max = 50) int sparePercent,
            @ForAll("steps") List<Step> steps) {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, zones, sparePercent);
        long spare = zones * sparePercent / 100;
        boolean[] owned = new boolean[zones];
        int ownedCount = 0;
        List<long[]> held = new ArrayList<>();
        int n = 0;
        for (Step step : steps) {
            String when = "step " + n++ + " " + step;
            switch (step) {
                case Alloc a -> {
                    long room = zones - ownedCount - (a.useSpare() ? 0 : spare);
                    boolean runExists = hasRun(owned, a.count());
                    MpoolException e = null;
                    long first = -1;
                    try {
                        first = map.allocate(a.count(), a.useSpare());
                    } catch (MpoolException x) {
                        e = x;
                    }
                    if (a.count() > room || !runExists) {
                        assertThat(e)
                                .as("%s: %d zones outside the spare, run exists %s", when, room, runExists)
                                .isNotNull();
                        assertThat(e.code()).as("%s: %s", when, e).isEqualTo(ErrorCode.NO_SPACE);
                    } else {
                        assertThat(e)
                                .as("%s: %d zones outside the spare, a run exists", when, room)
                                .isNull();
                        assertThat(first).as("%s: first zone", when).isBetween(0L, (long) zones - a.count());
                        for (long z = first; z < first + a.count(); z++) {
                            assertThat(owned[(int) z])
                                    .as("%s: zone %d handed out while owned", when, z)
                                    .isFalse();
                            owned[(int) z] = true;
                        }
                        ownedCount += a.count();
                        held.add(new long[] {first, a.count()});
                    }
                }
                case Free f -> {
                    if (!held.isEmpty()) {
                        long[] r = held.remove(f.pick() % held.size());
                        map.free(r[0], r[1]);
                        for (long z = r[0]; z < r[0] + r[1]; z++) {
                            owned[(int) z] = false;
                        }
                        ownedCount -= (int) r[1];
                    }
                }
            }
            assertThat(map.usedZones()).as("%s: used zones", when).isEqualTo(ownedCount);
            for (int z = 0; z < zones; z++) {
                assertThat(map.isUsed(z)).as("%s: zone %d used", when, z).isEqualTo(owned[z]);
            }
        }
    }

    /**
     * A grown map keeps every zone it had as it was, adds the new ones free at the end, and its
     * spare follows its size; it never shrinks.
     */
    @Property(tries = 200)
    void growingAddsFreeZonesAtTheEnd(
            @ForAll @IntRange(min = 1, max = 40) int zones,
            @ForAll @IntRange(min = 0, max = 40) int added,
            @ForAll @IntRange(min = 0, max = 100) int sparePercent,
            @ForAll("steps") List<Step> steps) {
        SpaceMap map = new SpaceMap(MediaClass.CAPACITY, zones, sparePercent);
        for (Step step : steps) {
            if (step instanceof Alloc a) {
                try {
                    map.allocate(a.count(), true);
                } catch (MpoolException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE);
                }
            }
        }
        boolean[] before = new boolean[zones];
        for (int z = 0; z < zones; z++) {
            before[z] = map.isUsed(z);
        }
        long used = map.usedZones();
        map.grow(zones + added);
        assertThat(map.zoneCount()).isEqualTo(zones + added);
        assertThat(map.usedZones()).as("nothing freed or claimed").isEqualTo(used);
        assertThat(map.spareZones()).as("the spare of the new size").isEqualTo((zones + added) * sparePercent / 100);
        for (int z = 0; z < zones; z++) {
            assertThat(map.isUsed(z)).as("zone %d as it was", z).isEqualTo(before[z]);
        }
        for (long z = zones; z < zones + added; z++) {
            assertThat(map.isUsed(z)).as("new zone %d", z).isFalse();
        }
        if (added > 0) {
            map.claim(zones + added - 1, 1); // the last new zone can be owned
        }
        assertAccounting(map, "after growing");
        MpoolException shrink = failure(() -> map.grow(zones - 1));
        assertThat(shrink.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    private static boolean hasRun(boolean[] owned, int count) {
        int run = 0;
        for (boolean o : owned) {
            run = o ? 0 : run + 1;
            if (run >= count) {
                return true;
            }
        }
        return false;
    }
}
