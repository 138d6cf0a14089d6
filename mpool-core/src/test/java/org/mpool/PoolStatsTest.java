package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.PoolStats;

/** Usage per media class: each class counts its own objects, and what is available leaves out the spare. */
class PoolStatsTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void eachClassCountsItsOwnObjects() {
        CreateOptions o =
                new CreateOptions().size(64 * MIB).mblockSize(MIB).staging(dir.resolve("s.img"), 32 * MIB, MIB);
        try (Mpool pool = Mpool.create("stats", dir.resolve("c.img"), o);
                Arena arena = Arena.ofConfined()) {
            MemorySegment page = Mpool.allocateBuffer(arena, 4096);
            for (MediaClass mc : new MediaClass[] {MediaClass.CAPACITY, MediaClass.CAPACITY, MediaClass.STAGING}) {
                MblockWriter w = pool.allocateMblock(mc);
                w.write(page);
                w.commit();
            }
            pool.commit(pool.allocateMlog(MediaClass.STAGING, MIB), 0);
            pool.commit(pool.allocateMdc(MediaClass.CAPACITY, MIB), 0);

            PoolStats stats = pool.stats();
            PoolStats.ClassStats cap = stats.classes().get(MediaClass.CAPACITY);
            PoolStats.ClassStats stg = stats.classes().get(MediaClass.STAGING);
            assertThat(new long[] {cap.mblocks(), cap.mlogs(), cap.mdcs()}).containsExactly(2, 0, 1);
            assertThat(new long[] {stg.mblocks(), stg.mlogs(), stg.mdcs()}).containsExactly(1, 1, 0);
            assertThat(new long[] {stats.mblocks(), stats.mlogs(), stats.mdcs()})
                    .containsExactly(3, 1, 1);
        }
    }

    @Test
    void availableIsWhatDataCanStillTake() {
        try (Mpool pool = Mpool.create(
                        "spare",
                        dir.resolve("c.img"),
                        new CreateOptions().size(64 * MIB).mblockSize(MIB).sparePercent(50));
                Arena arena = Arena.ofConfined()) {
            PoolStats.ClassStats before = pool.stats().classes().get(MediaClass.CAPACITY);
            assertThat(before.spareBytes()).isEqualTo(32 * MIB);
            assertThat(before.usableBytes()).isEqualTo(32 * MIB);
            assertThat(before.availableBytes()).isEqualTo(before.freeBytes() - 32 * MIB);
            MemorySegment page = Mpool.allocateBuffer(arena, 4096);
            long written = 0;
            while (true) {
                MblockWriter w;
                try {
                    w = pool.allocateMblock(MediaClass.CAPACITY);
                } catch (MpoolException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE);
                    break;
                }
                w.write(page);
                w.commit();
                written++;
            }
            assertThat(written * MIB).as("mblocks that fitted").isEqualTo(before.availableBytes());
            PoolStats.ClassStats after = pool.stats().classes().get(MediaClass.CAPACITY);
            assertThat(after.availableBytes()).isZero();
            assertThat(after.freeBytes()).isEqualTo(after.spareBytes());
            assertThatThrownBy(() -> pool.allocateMblock(MediaClass.CAPACITY))
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.NO_SPACE);
        }
    }
}
