package org.mpool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * A read whose range end overflows a long is refused by the mblock's range check, naming the
 * mblock. Found with ApiModelTest's range reads: {@code offset + length} wrapped negative and
 * passed the check, and only the device's own check caught the request (a negative device
 * offset), with a message naming the device instead of the mblock.
 */
class ReadRangeOverflowTest {
    @Test
    void aRangeWhoseEndOverflowsIsInvalidForTheMblock() {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("range", MemoryDevices.DEFAULT_PATH, options, new MemoryDevices());
                Arena arena = Arena.ofConfined()) {
            MemorySegment buf = Mpool.allocateBuffer(arena, 8192);
            MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
            w.write(buf);
            w.commit();
            ObjectId id = w.id();
            for (long offset : new long[] {Long.MAX_VALUE & -4096L, (Long.MAX_VALUE & -4096L) - 4096}) {
                assertThatThrownBy(() -> pool.readMblock(id, offset, buf))
                        .isInstanceOf(MpoolException.class)
                        .hasMessageContaining("mblock " + id)
                        .extracting(e -> ((MpoolException) e).code())
                        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
            }
        }
    }
}
