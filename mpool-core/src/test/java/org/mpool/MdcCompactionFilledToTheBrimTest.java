package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * A compaction whose live state fills what {@code remaining()} offered still ends:
 * {@code compactEnd} needs room for its end marker, and the compaction keeps it. Found by
 * ApiModelTest: an append of exactly {@code remaining()} bytes during a compaction succeeded,
 * and {@code compactEnd} then failed LOG_FULL ("a 1-byte record does not fit").
 */
class MdcCompactionFilledToTheBrimTest {
    @Test
    void compactEndSucceedsAfterTheStateFilledWhatRemainingOffered() {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        MemoryDevices devices = new MemoryDevices();
        ObjectId id;
        byte[] state;
        try (Mpool pool = Mpool.create("brim", MemoryDevices.DEFAULT_PATH, options, devices)) {
            id = pool.allocateMdc(MediaClass.CAPACITY, 1);
            pool.commit(id, 0);
            try (Mdc mdc = pool.openMdc(id)) {
                mdc.append(new byte[100], true);
                mdc.compactStart();
                mdc.append(new byte[10], false);
                state = new byte[(int) mdc.remaining()];
                state[0] = 7;
                WriterOfAClosedPoolTest.assertCode(
                        () -> mdc.append(new byte[state.length + 1], false), ErrorCode.LOG_FULL);
                mdc.append(state, false);
                mdc.compactEnd();
                assertThat(mdc.reader().readAll()).containsExactly(new byte[10], state);
            }
        }
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            assertThat(pool.read(id).readAll()).containsExactly(new byte[10], state);
        }
    }
}
