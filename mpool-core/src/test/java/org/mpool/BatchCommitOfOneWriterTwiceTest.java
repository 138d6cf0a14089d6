package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MemoryDevices;

/**
 * A batch that lists one writer twice is INVALID_ARGUMENT and commits nothing. Found by
 * ApiModelTest: the batch wrote both commit records, then failed an assertion marking the
 * writer committed a second time, leaving it committed in the catalog and pending in the pool.
 */
class BatchCommitOfOneWriterTwiceTest {
    @Test
    void aWriterListedTwiceIsRefusedBeforeAnythingIsCommitted() {
        MemoryDevices devices = new MemoryDevices();
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("twice", MemoryDevices.DEFAULT_PATH, options, devices)) {
            MblockWriter a = pool.allocateMblock(MediaClass.CAPACITY);
            MblockWriter b = pool.allocateMblock(MediaClass.CAPACITY);
            WriterOfAClosedPoolTest.assertCode(() -> pool.commit(Arrays.asList(a, b, a)), ErrorCode.INVALID_ARGUMENT);
            assertThat(pool.stats().mblocks()).isZero();
            pool.commit(Arrays.asList(a, b));
            assertThat(pool.stats().mblocks()).isEqualTo(2);
        }
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            assertThat(pool.stats().mblocks()).isEqualTo(2);
        }
    }
}
