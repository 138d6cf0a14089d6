package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.AlignedBuffers;

/** Mapped bytes are the bytes direct reads return, in every slot of every collection. */
class McacheContentTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void mappedBytesEqualDirectReadsAcrossRandomCollectionsAndMediaClasses() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String replay = "seed " + seed;
        try (Mpool pool = Mpool.create("content", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(128 * MiB));
                Arena arena = Arena.ofConfined()) {
            pool.addStaging(dir.resolve("stage.img"), 128 * MiB, 2 * MiB, false);
            List<ObjectId> ids = new ArrayList<>();
            long[] edgeLengths = {0, 1, 4095, 4096, 4097, MblockFixtures.MIB_MBLOCK - 1, MblockFixtures.MIB_MBLOCK};
            for (int i = 0; i < 40; i++) {
                MediaClass mc = random.nextBoolean() ? MediaClass.CAPACITY : MediaClass.STAGING;
                long max = pool.mblockCapacity(mc);
                long length = i < edgeLengths.length ? edgeLengths[i] : 1 + random.nextLong(max);
                ids.add(MblockFixtures.write(pool, mc, length, random.nextLong()));
            }
            for (int round = 0; round < 25; round++) {
                List<ObjectId> collection = new ArrayList<>(ids);
                Collections.shuffle(collection, random);
                collection = collection.subList(0, 1 + random.nextInt(15));
                Advice advice = Advice.values()[random.nextInt(Advice.values().length)];
                try (Mcache map = pool.map(collection, advice)) {
                    boolean anyStaging =
                            collection.stream().anyMatch(id -> pool.info(id).mediaClass() == MediaClass.STAGING);
                    assertThat(map.slotBytes())
                            .as(replay)
                            .isEqualTo(pool.mblockCapacity(anyStaging ? MediaClass.STAGING : MediaClass.CAPACITY));
                    assertThat(map.segment().byteSize()).as(replay).isEqualTo(collection.size() * map.slotBytes());
                    assertThat(map.mblocks()).isEqualTo(collection);
                    if (round % 2 == 0) {
                        map.willNeed(0, map.segment().byteSize()); // else every page comes in by its own fault
                    }
                    for (int slot = 0; slot < collection.size(); slot++) {
                        ObjectId id = collection.get(slot);
                        checkSlot(pool, map, id, slot, arena, replay);
                    }
                }
            }
        }
    }

    private static void checkSlot(Mpool pool, Mcache map, ObjectId id, int slot, Arena arena, String replay) {
        long length = pool.info(id).lengthBytes();
        assertThat(map.base(id)).as(replay).isEqualTo(slot * map.slotBytes());
        assertThat(map.length(id)).as(replay).isEqualTo(length);
        MemorySegment direct = MblockFixtures.readDirect(pool, id, arena);
        MemorySegment mapped = map.segment(id);
        assertThat(mapped.byteSize()).isEqualTo(length);
        assertThat(MemorySegment.mismatch(mapped, 0, length, direct, 0, length))
                .as(replay + ", mblock " + id)
                .isEqualTo(-1);
        // Past the length the slot reads as zeros, like the padding of a direct read.
        MemorySegment slotBytes = map.segment().asSlice(map.base(id), map.slotBytes());
        for (long off = length; off < map.slotBytes(); off += off < direct.byteSize() ? 1 : 4093) {
            assertThat(slotBytes.get(ValueLayout.JAVA_BYTE, off))
                    .as(replay + ", mblock " + id + " at " + off)
                    .isZero();
        }
    }

    @Test
    void concurrentDirectAndMappedReadsReturnTheSameBytes() throws Exception {
        try (Mpool pool = Mpool.create("both", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(MblockFixtures.write(
                        pool, MediaClass.CAPACITY, MblockFixtures.MIB_MBLOCK - 4096 * i, 1000 + i));
            }
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try (Mcache map = pool.map(ids, Advice.WARM)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    boolean direct = t % 2 == 0;
                    int first = t;
                    done.add(threads.submit(() -> {
                        try (Arena arena = Arena.ofConfined()) {
                            for (int round = 0; round < 24; round++) {
                                ObjectId id = ids.get((first + round) % ids.size());
                                long length = pool.info(id).lengthBytes();
                                MemorySegment expected = arena.allocate(length);
                                MblockFixtures.fill(expected, 1000 + ids.indexOf(id));
                                MemorySegment got =
                                        direct ? MblockFixtures.readDirect(pool, id, arena) : map.segment(id);
                                assertThat(MemorySegment.mismatch(got, 0, length, expected, 0, length))
                                        .isEqualTo(-1);
                                if (!direct && round % 8 == 0) {
                                    map.purge(); // direct readers must not care; mapped ones refault
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void mapsOfMoreThanAGibibyteWork() {
        long mblock = 64 * MiB;
        int count = 17; // 1088 MiB
        CreateOptions options =
                new CreateOptions().size((count + 13) * mblock).mblockSize(mblock); // + zone 0, shard logs, spare
        try (Mpool pool = Mpool.create("big", dir.resolve("big.img"), options);
                Arena arena = Arena.ofConfined()) {
            // One buffer for all: each mblock gets its own first and last page.
            MemorySegment data = AlignedBuffers.allocate(arena, pool.mblockCapacity(MediaClass.CAPACITY));
            MblockFixtures.fill(data, 77);
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                MblockFixtures.fill(data.asSlice(0, 4096), 1000 + i);
                MblockFixtures.fill(data.asSlice(data.byteSize() - 4096), 2000 + i);
                try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
                    w.write(data);
                    w.commit();
                    ids.add(w.id());
                }
            }
            MemorySegment direct = AlignedBuffers.allocate(arena, 4096);
            try (Mcache map = pool.map(ids, Advice.COLD)) {
                assertThat(map.segment().byteSize()).isGreaterThan(1L << 30);
                for (ObjectId id : ids) {
                    long length = data.byteSize();
                    for (long off : new long[] {0, length / 2 / 4096 * 4096, length - 4096}) {
                        pool.readMblock(id, off, direct);
                        assertThat(map.segment()
                                        .asSlice(map.base(id) + off, 4096)
                                        .mismatch(direct))
                                .as("mblock %s at %d", id, off)
                                .isEqualTo(-1);
                    }
                }
                // Full mblocks fill their slots (the page checksums are not mapped): the last
                // mblock's last byte is the range's last byte.
                ObjectId last = ids.getLast();
                assertThat(map.slotBytes()).isEqualTo(map.length(last));
                assertThat(map.segment()
                                .get(ValueLayout.JAVA_BYTE, map.segment().byteSize() - 1))
                        .isEqualTo(direct.get(ValueLayout.JAVA_BYTE, 4095));
                map.purge();
            }
        }
    }
}
