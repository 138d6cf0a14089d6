package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * {@code pool.commit(writers)} takes only writers its own handle allocated. A writer of an
 * earlier handle of the same pool (whose allocation the reopen freed) or of another pool is
 * INVALID_ARGUMENT, and nothing of the batch is committed. Listed in issue 20, and hit by
 * ApiModelTest's batches with stale writers: the batch recorded the foreign writer's zone,
 * which this handle's space map held free; the zone was allocated again, and the next open
 * failed CORRUPT ("capacity zone 5 is owned twice in the catalog").
 */
class BatchCommitOfAForeignWriterTest {
    private static final CreateOptions OPTIONS =
            new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);

    @Test
    void aWriterOfAnEarlierHandleOfTheSamePoolIsRefused() {
        MemoryDevices devices = new MemoryDevices();
        Mpool first = Mpool.create("stale", MemoryDevices.DEFAULT_PATH, OPTIONS, devices);
        MblockWriter stale = first.allocateMblock(MediaClass.CAPACITY);
        first.close();
        ObjectId next;
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            MblockWriter fresh = pool.allocateMblock(MediaClass.CAPACITY);
            WriterOfAClosedPoolTest.assertCode(
                    () -> pool.commit(List.of(fresh, stale)), ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_STATE);
            assertThat(pool.stats().mblocks())
                    .as("nothing of the refused batch is committed")
                    .isZero();
            fresh.commit();
            MblockWriter another = pool.allocateMblock(MediaClass.CAPACITY); // may take the stale writer's zone
            another.commit();
            next = another.id();
        }
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            assertThat(pool.stats().mblocks()).isEqualTo(2);
            assertThat(pool.info(next).lengthBytes()).isZero();
        }
    }

    @Test
    void aWriterOfAnotherPoolIsRefused() {
        MemoryDevices devicesA = new MemoryDevices();
        MemoryDevices devicesB = new MemoryDevices();
        try (Mpool a = Mpool.create("a", MemoryDevices.DEFAULT_PATH, OPTIONS, devicesA);
                Mpool b = Mpool.create("b", MemoryDevices.DEFAULT_PATH, OPTIONS, devicesB)) {
            MblockWriter ofA = a.allocateMblock(MediaClass.CAPACITY);
            WriterOfAClosedPoolTest.assertCode(() -> b.commit(List.of(ofA)), ErrorCode.INVALID_ARGUMENT);
            assertThat(b.stats().mblocks()).isZero();
            ofA.commit(); // still a's to commit
            assertThat(a.stats().mblocks()).isEqualTo(1);
        }
        try (Mpool b = Mpool.open(MemoryDevices.DEFAULT_PATH, devicesB)) {
            assertThat(b.objects()).isEmpty();
        }
    }
}
