package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.linux.Smaps;

/**
 * willNeed hands the range to the prefetch thread, which reads it ahead and maps it in: the
 * reader then takes no page faults. Measured in /proc/self/smaps (Rss counts mapped pages
 * only; readahead alone leaves it at zero). Chunks of a map closed before the thread gets to
 * them are dropped.
 */
class McachePrefetchTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void willNeedMapsThePagesInWithoutTheReaderTouchingThem() throws Exception {
        try (Mpool pool = Mpool.create("prefetch", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            List<ObjectId> ids = write(pool, 16);
            try (Mcache map = pool.map(ids, Advice.WARM)) {
                long base = map.segment().address();
                long length = map.segment().byteSize();
                assertThat(Smaps.sumWithin(base, length, "Rss"))
                        .as("Rss of the map before willNeed (kB)")
                        .isZero();
                map.willNeed(0, length);
                long resident = McacheResidencyTest.awaitResident(map, length);
                assumeTrue(
                        resident == length, "willNeed left the map partly uncached (" + resident + " bytes): skipped");
                long mapped = awaitMappedKiB(base, length, length / 1024);
                assertThat(mapped)
                        .as("Rss of the map after willNeed, nothing read by this thread (kB)")
                        .isEqualTo(length / 1024);
            }
        }
    }

    /**
     * The prefetcher checks under the map's lock that it is still open: a chunk of a closed
     * map would otherwise be advised on an unmapped range (an error, counted) or on whatever
     * was mapped there since.
     */
    @Test
    void chunksOfAClosedMapAreDroppedWithoutAnError() throws Exception {
        try (Mpool pool = Mpool.create("dropped", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(256 * MiB))) {
            List<ObjectId> first = write(pool, 128);
            List<ObjectId> marker = write(pool, 1);
            try (Mcache map = pool.map(first, Advice.WARM)) {
                map.willNeed(0, map.segment().byteSize());
            } // closed at once: most of its 128 chunks are still queued
            try (Mcache second = pool.map(marker, Advice.WARM)) {
                // The queue is served in order: once the marker is mapped in, the closed map's chunks were handled.
                long marked = MblockFixtures.MIB_MBLOCK;
                second.willNeed(0, marked);
                assumeTrue(
                        McacheResidencyTest.awaitResident(second, marked) == marked,
                        "willNeed left the marker uncached: skipped");
                assertThat(awaitMappedKiB(second.segment().address(), marked, marked / 1024))
                        .as("the marker is mapped in")
                        .isEqualTo(marked / 1024);
            }
            assertThat(pool.stats().reaper().errors()).as("hints that failed").isZero();
            try (Mcache again = pool.map(first, Advice.WARM)) {
                assertThat(again.residentBytes())
                        .as("the closed map's queued chunks were dropped, not read")
                        .isLessThan(again.segment().byteSize() / 2);
            }
        }
    }

    private static List<ObjectId> write(Mpool pool, int n) {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, MblockFixtures.MIB_MBLOCK, i));
        }
        return ids;
    }

    /** Waits up to 5 s for {@code wantedKiB} of Rss in the range; returns what is there. */
    private static long awaitMappedKiB(long address, long length, long wantedKiB) throws Exception {
        long kib = Smaps.sumWithin(address, length, "Rss");
        for (int i = 0; i < 500 && kib < wantedKiB; i++) {
            Thread.sleep(10);
            kib = Smaps.sumWithin(address, length, "Rss");
        }
        return kib;
    }
}
