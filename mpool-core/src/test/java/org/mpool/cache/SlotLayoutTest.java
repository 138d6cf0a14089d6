package org.mpool.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

class SlotLayoutTest {
    private static final long MiB = 1 << 20;

    private static ObjectId mblock(long u) {
        return ObjectId.of(u, ObjectId.Type.MBLOCK, 1);
    }

    @Test
    void slotsAreTheLargestCapacityInvolved() {
        long small = MiB - 4096;
        long large = 4 * MiB - 8192;
        SlotLayout layout = SlotLayout.of(List.of(
                new SlotLayout.Piece(mblock(1), MediaClass.CAPACITY, 10 * MiB, 5, small),
                new SlotLayout.Piece(mblock(2), MediaClass.STAGING, 64 * MiB, 3 * MiB, large)));
        assertThat(layout.slotBytes()).isEqualTo(large);
        assertThat(layout.slotOffset(1)).isEqualTo(large);
        assertThat(layout.totalBytes()).isEqualTo(2 * large);
    }

    @Test
    void fullMblocksOfOneSizeFollowEachOtherWithoutAGap() {
        long capacity = MiB - 4096;
        SlotLayout layout = SlotLayout.of(List.of(
                new SlotLayout.Piece(mblock(1), MediaClass.CAPACITY, 10 * MiB, capacity, capacity),
                new SlotLayout.Piece(mblock(2), MediaClass.CAPACITY, 3 * MiB, 7, capacity)));
        assertThat(layout.slotOffset(1)).isEqualTo(capacity);
    }

    @Test
    void piecesLongerThanTheirCapacityOrNotWholePagesAreRefused() {
        assertThatThrownBy(() -> SlotLayout.of(
                        List.of(new SlotLayout.Piece(mblock(1), MediaClass.CAPACITY, 0, MiB, MiB - 4096))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        SlotLayout.of(List.of(new SlotLayout.Piece(mblock(1), MediaClass.CAPACITY, 0, 5, MiB - 100))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsAreChecked() {
        ObjectId log = ObjectId.of(3, ObjectId.Type.MLOG, 1);
        for (List<ObjectId> bad :
                List.of(List.<ObjectId>of(), List.of(mblock(1), mblock(1)), List.of(mblock(1), log))) {
            assertThatThrownBy(() -> SlotLayout.checkIds(bad))
                    .isInstanceOf(MpoolException.class)
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        SlotLayout.checkIds(List.of(mblock(1), mblock(2)));
    }
}
