package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.linux.LibC;

/** willNeed brings pages in, purge drops them: measured with mincore. */
class McacheResidencyTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void willNeedFillsThePageCacheAndPurgeEmptiesIt() throws InterruptedException {
        try (Mpool pool = Mpool.create("res", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, MblockFixtures.MIB_MBLOCK - 512 * i, i));
            }
            try (Mcache map = pool.map(ids, Advice.WARM)) {
                // Written with O_DIRECT: nothing is cached yet.
                assertThat(map.residentBytes()).isZero();
                map.willNeed(0, map.segment().byteSize()); // 12 MiB: more than one 8 MiB chunk
                long resident = awaitResident(map, 12 * MiB * 9 / 10);
                assumeTrue(
                        resident > 0, "willNeed left nothing resident (mincore restricted or readahead off): skipped");
                List<Mcache.Residency> perMblock = map.residency();
                assertThat(perMblock).extracting(Mcache.Residency::id).isEqualTo(ids);
                for (Mcache.Residency r : perMblock) {
                    assertThat(r.residentBytes()).isLessThanOrEqualTo(r.mappedBytes());
                    assertThat(r.residentPages()).isLessThanOrEqualTo(r.pages());
                }
                // Chunked willNeed reaches the end of the range, not only its first 8 MiB (the
                // prefetch thread works in order: on a loaded machine the last chunk comes last).
                long last = 0;
                for (int i = 0; i < 500 && last == 0; i++) {
                    last = map.residency().getLast().residentBytes();
                    Thread.sleep(last == 0 ? 10 : 0);
                }
                assertThat(last)
                        .as("resident bytes of the last mblock, past the first 8 MiB")
                        .isPositive();
                map.purge();
                assertThat(map.residentBytes())
                        .as("resident after purge")
                        .isLessThanOrEqualTo(map.segment().byteSize() / 100);
            }
        }
    }

    @Test
    void residencyOfARangeCountsTheTouchedPagesOnly() {
        try (Mpool pool = Mpool.create("range", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            long full = pool.mblockCapacity(MediaClass.CAPACITY);
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, full, 1);
            ObjectId b = MblockFixtures.write(pool, MediaClass.CAPACITY, 3 * 4096 + 100, 2); // 4 pages mapped
            Mcache map = pool.map(List.of(a, b), Advice.WARM);
            try {
                assertThat(map.residentBytes(0, map.segment().byteSize())).isZero(); // written with O_DIRECT
                long page = 4096;
                // Fault in pages 2 and 3 of a and page 1 of b by reading one byte of each.
                for (long offset : new long[] {2 * page + 7, 3 * page, map.base(b) + page + 4095}) {
                    map.segment().get(ValueLayout.JAVA_BYTE, offset);
                }
                assumeTrue(map.residentBytes(2 * page, 1) == page, "mincore does not see our pages: skipped");
                assertThat(map.residentBytes(0, 2 * page)).isZero();
                assertThat(map.residentBytes(2 * page + 1, 1)).isEqualTo(page);
                assertThat(map.residentBytes(2 * page + 100, page))
                        .as("a range spanning pages 2 and 3")
                        .isEqualTo(2 * page);
                assertThat(map.residentBytes(0, full)).isEqualTo(2 * page);
                assertThat(map.residentBytes(full - 1, map.base(b) - full + 2 * page))
                        .as("across the end of a and into b")
                        .isEqualTo(page);
                // Past b's four mapped pages the slot is not mapped: a range there counts nothing.
                assertThat(map.residentBytes(map.base(b) + 4 * page, 8 * page)).isZero();
                assertThat(map.residentBytes(0, map.segment().byteSize())).isEqualTo(map.residentBytes());
                assertThat(map.residentBytes(5, 0)).isZero();
                assertThatThrownBy(() -> map.residentBytes(map.segment().byteSize() - 1, 2))
                        .isInstanceOf(MpoolException.class)
                        .extracting(e -> ((MpoolException) e).code())
                        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
            } finally {
                map.close();
            }
            assertThatThrownBy(() -> map.residentBytes(0, 1))
                    .isInstanceOf(MpoolException.class)
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.INVALID_STATE);
        }
    }

    @Test
    void closeKeepsPagesForTheNextMapAndDeleteDropsThem() throws InterruptedException {
        Path file = dir.resolve("cap.img");
        try (Mpool pool = Mpool.create("drop", file, MblockFixtures.oneMiBMblocks(64 * MiB))) {
            long length = MblockFixtures.MIB_MBLOCK;
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, length, 1);
            try (Mcache map = pool.map(List.of(a), Advice.WARM)) {
                map.willNeed(0, length);
                assumeTrue(awaitResident(map, length) == length, "willNeed left the mblock uncached: skipped");
            }
            try (Mcache again = pool.map(List.of(a), Advice.WARM)) {
                assertThat(again.residentBytes())
                        .as("a new map of the same mblock finds it cached")
                        .isEqualTo(length);
            }
            assertThat(cachedBytesOf(file)).isGreaterThanOrEqualTo(length);
            pool.delete(a);
            assertThat(cachedBytesOf(file))
                    .as("page cache of the pool file after the delete")
                    .isLessThan(MiB / 4);
        }
    }

    /** Page cache held by a whole file, measured through a mapping of our own. */
    private static long cachedBytesOf(Path file) {
        int fd = LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        long len = 64 * MiB;
        long addr = LibC.mmap(0, len, LibC.PROT_READ, LibC.MAP_SHARED, fd, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vector = arena.allocate(len / LibC.PAGE_SIZE);
            assertThat(LibC.mincore(addr, len, vector)).isZero();
            long pages = 0;
            for (long i = 0; i < vector.byteSize(); i++) {
                pages += vector.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return pages * LibC.PAGE_SIZE;
        } finally {
            LibC.munmap(addr, len);
            LibC.close(fd);
        }
    }

    /** Readahead is asynchronous: waits up to 5 s for {@code wanted} resident bytes; returns what is there. */
    static long awaitResident(Mcache map, long wanted) throws InterruptedException {
        long resident = 0;
        for (int i = 0; i < 500 && resident < wanted; i++) {
            Thread.sleep(10);
            resident = map.residentBytes();
        }
        return resident;
    }
}
