package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MemoryDevices;

/**
 * An mblock writer outlives the pool handle that allocated it. Once that pool is closed its
 * allocation is gone (the next open frees it) and its zone may be another mblock's, so the
 * writer must refuse to write (INVALID_STATE). Found by ApiModelTest: the write went through,
 * over the next handle's committed mblock, whose data then failed its checksum.
 */
class WriterOfAClosedPoolTest {
    @Test
    void aWriterOfAClosedPoolRefusesToWriteOverTheNextHandlesMblock() {
        MemoryDevices devices = new MemoryDevices();
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = Mpool.allocateBuffer(arena, 4096);
            Mpool first = Mpool.create("stale", MemoryDevices.DEFAULT_PATH, options, devices);
            MblockWriter stale = first.allocateMblock(MediaClass.CAPACITY);
            first.close();
            try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
                page.fill((byte) 1);
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY); // the zone the stale writer had
                w.write(page);
                w.commit();
                page.fill((byte) 2);
                assertCode(() -> stale.write(page), ErrorCode.INVALID_STATE);
                assertCode(() -> stale.owner(7), ErrorCode.INVALID_STATE);
                assertCode(stale::commit, ErrorCode.INVALID_STATE);
                stale.close(); // closing it is harmless
                assertThat(pool.check((done, total) -> 0).problems()).isEmpty();
                assertThat(pool.readMblock(w.id(), arena).toArray(ValueLayout.JAVA_BYTE))
                        .containsOnly(1);
            }
        }
    }

    static void assertCode(Runnable call, ErrorCode... codes) {
        assertThatThrownBy(call::run)
                .isInstanceOf(MpoolException.class)
                .extracting(e -> ((MpoolException) e).code())
                .isIn((Object[]) codes);
    }
}
