package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.testing.MemoryDevices;

/** Listing the objects of one owner tag, and reading a whole mblock at its exact length. */
class OwnerQueryAndWholeReadTest {
    private static final long A = 0xA11CEL;
    private static final long B = 0xB0BL;

    @Test
    void objectsOfAnOwnerAreExactlyThoseCommittedWithItAcrossAReopen() {
        MemoryDevices devices = new MemoryDevices();
        CreateOptions options =
                new CreateOptions().size(64L << 20).mblockSize(1 << 20).shards(4);
        ObjectId a1;
        ObjectId a2;
        ObjectId b1;
        ObjectId untagged;
        ObjectId mlogA;
        ObjectId mdcB;
        try (Mpool pool = Mpool.create("owners", MemoryDevices.DEFAULT_PATH, options, devices);
                Arena arena = Arena.ofConfined()) {
            a1 = tagged(pool, arena, A);
            b1 = tagged(pool, arena, B);
            a2 = tagged(pool, arena, A);
            untagged = tagged(pool, arena, 0);
            ObjectId goneA = tagged(pool, arena, A);
            mlogA = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(mlogA, A);
            mdcB = pool.allocateMdc(MediaClass.CAPACITY, 1);
            pool.commit(mdcB, B);
            pool.delete(goneA);
            assertThat(ids(pool.objects(A))).containsExactly(sorted(a1, a2, mlogA));
        }
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices)) {
            assertThat(ids(pool.objects(A))).as("after a reopen").containsExactly(sorted(a1, a2, mlogA));
            assertThat(ids(pool.objects(B))).containsExactly(sorted(b1, mdcB));
            assertThat(ids(pool.objects(0))).containsExactly(untagged);
            assertThat(pool.objects(0x5EL)).as("a tag nothing carries").isEmpty();
            assertThat(pool.objects(A)).allSatisfy(o -> assertThat(o.owner()).isEqualTo(A));
        }
    }

    @Test
    void aWholeMblockReadHoldsExactlyItsWrittenBytes() {
        MemoryDevices devices = new MemoryDevices();
        try (Mpool pool = Mpool.create(
                        "whole", MemoryDevices.DEFAULT_PATH, MblockFixtures.oneMiBMblocks(32L << 20), devices);
                Arena arena = Arena.ofConfined()) {
            for (long length : new long[] {0, 1, 4095, 4096, 4097, 70_001, pool.mblockCapacity(MediaClass.CAPACITY)}) {
                ObjectId id = MblockFixtures.write(pool, MediaClass.CAPACITY, length, length);
                MemorySegment expected =
                        AlignedBuffers.allocate(arena, Math.max(4096, AlignedBuffers.alignUp(length, 4096)));
                MblockFixtures.fill(expected, length);
                MemorySegment read = pool.readMblock(id, arena);
                assertThat(read.byteSize())
                        .as("length of a %d-byte mblock", length)
                        .isEqualTo(length);
                assertThat(read.mismatch(expected.asSlice(0, length)))
                        .as("first difference in a %d-byte mblock", length)
                        .isEqualTo(-1);
            }
        }
    }

    private static ObjectId tagged(Mpool pool, Arena arena, long owner) {
        try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
            MemorySegment page = AlignedBuffers.allocate(arena, 4096);
            page.set(ValueLayout.JAVA_LONG, 0, owner);
            w.owner(owner).write(page);
            w.commit();
            return w.id();
        }
    }

    private static List<ObjectId> ids(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::id).toList();
    }

    private static ObjectId[] sorted(ObjectId... ids) {
        return Arrays.stream(ids)
                .sorted((x, y) -> Long.compareUnsigned(x.value(), y.value()))
                .toArray(ObjectId[]::new);
    }
}
