package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MemoryDevices;

/**
 * After a partial page only commit or abort may follow, but a write of nothing is allowed (it
 * writes nothing). Found by ApiModelTest: with assertions on, the empty buffer tripped "a
 * write after a partial page" inside the writer, an AssertionError out of a legal call.
 */
class EmptyWriteAfterAPartialPageTest {
    @Test
    void anEmptyWriteAfterAPartialPageWritesNothing() {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("empty", MemoryDevices.DEFAULT_PATH, options, new MemoryDevices());
                Arena arena = Arena.ofConfined()) {
            MemorySegment buf = Mpool.allocateBuffer(arena, 4096);
            MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
            w.write(buf.asSlice(0, 100));
            w.write(buf.asSlice(0, 0));
            w.write();
            w.write(buf.asSlice(0, 0), buf.asSlice(0, 0));
            WriterOfAClosedPoolTest.assertCode(() -> w.write(buf.asSlice(0, 1)), ErrorCode.INVALID_STATE);
            assertThat(w.writtenBytes()).isEqualTo(100);
            w.commit();
            assertThat(pool.info(w.id()).lengthBytes()).isEqualTo(100);
        }
    }
}
