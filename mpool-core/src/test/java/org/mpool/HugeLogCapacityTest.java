package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.PoolStats;
import org.mpool.testing.MemoryDevices;

/**
 * An mlog or MDC capacity whose zone count would overflow, or that no device holds, is refused
 * (INVALID_ARGUMENT or NO_SPACE) and changes nothing. Issue 20 lists
 * {@code allocateMlog(CAPACITY, Long.MAX_VALUE)} overflowing the zone count (CORRUPT for a bad
 * argument, then IndexOutOfBounds and negative stats); on this code it does not reproduce
 * ({@code Layout.zonesFor} refuses sizes within a zone of Long.MAX_VALUE): this keeps it so.
 */
class HugeLogCapacityTest {
    @Test
    void capacitiesNoDeviceHoldsAreRefusedAndChangeNothing() {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        MemoryDevices devices = new MemoryDevices();
        long zone = 1 << 20;
        long[] sizes = {
            Long.MAX_VALUE,
            Long.MAX_VALUE - zone + 1,
            Long.MAX_VALUE - zone,
            Long.MAX_VALUE / 2 + 1,
            1L << 62,
            1L << 50,
            0,
            -1,
            Long.MIN_VALUE
        };
        try (Mpool pool = Mpool.create("huge", MemoryDevices.DEFAULT_PATH, options, devices)) {
            PoolStats before = pool.stats();
            for (long bytes : sizes) {
                for (ObjectId.Type type : new ObjectId.Type[] {ObjectId.Type.MLOG, ObjectId.Type.MDC}) {
                    WriterOfAClosedPoolTest.assertCode(
                            () -> ApiModelLogs.allocate(pool, type, MediaClass.CAPACITY, bytes),
                            bytes <= 0
                                    ? new ErrorCode[] {ErrorCode.INVALID_ARGUMENT}
                                    : new ErrorCode[] {ErrorCode.INVALID_ARGUMENT, ErrorCode.NO_SPACE});
                }
            }
            assertThat(pool.stats()).isEqualTo(before);
            ObjectId fits = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(fits, 0);
        }
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            assertThat(pool.stats().mlogs()).isEqualTo(1);
            assertThat(pool.check((done, total) -> 0).healthy()).isTrue();
        }
    }
}
