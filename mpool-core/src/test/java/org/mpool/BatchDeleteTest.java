package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/** {@code Mpool.delete(List)}: one flush per shard for the lot, durable on return, the rest go when one cannot. */
class BatchDeleteTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    private static List<ObjectId> write(Mpool pool, int n) {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, 4096 * (1 + i % 3), i));
        }
        return ids;
    }

    private static boolean exists(Mpool pool, ObjectId id) {
        try {
            pool.info(id);
            return true;
        } catch (MpoolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            return false;
        }
    }

    @Test
    void aBatchIsOneFlushPerShardAndDurableOnReturn() {
        try (MemoryDevice media = new MemoryDevice("cap", 64 * MiB);
                FaultInjectingDevice device = FaultInjectingDevice.forCrashes(media)) {
            MemoryDevices devices = MemoryDevices.serving(device);
            CreateOptions options =
                    new CreateOptions().size(64 * MiB).mblockSize(MiB).shards(2);
            Mpool pool = Mpool.create("batch", MemoryDevices.DEFAULT_PATH, options, devices);
            {
                List<ObjectId> ids = write(pool, 20);
                long shards = ids.stream().mapToInt(ObjectId::shard).distinct().count();
                long usedBefore =
                        pool.stats().classes().get(MediaClass.CAPACITY).usedBytes();
                long flushes = device.flushCount();
                pool.delete(ids);
                assertThat(device.flushCount() - flushes)
                        .as("device flushes for 20 deletes over " + shards + " shards")
                        .isEqualTo(shards);
                assertThat(ids).noneMatch(id -> exists(pool, id));
                assertThat(pool.stats().classes().get(MediaClass.CAPACITY).usedBytes())
                        .isEqualTo(usedBefore - 20 * MiB);
                // One at a time, for comparison: a flush each.
                List<ObjectId> more = write(pool, 5);
                flushes = device.flushCount();
                more.forEach(pool::delete);
                assertThat(device.flushCount() - flushes).isEqualTo(5);
                // Durable on return: power lost now, every delete is on the media.
                device.crashNow();
                try (MemoryDevice image = device.crashImage(7);
                        Mpool after = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(image))) {
                    assertThat(ids).noneMatch(id -> exists(after, id));
                    assertThat(after.objects()).isEmpty();
                } finally {
                    try {
                        pool.close();
                    } catch (MpoolException expected) {
                        // the power is off
                    }
                }
            }
        }
    }

    @Test
    void whatCannotGoIsSkippedAndReportedAfterTheRestWent() {
        try (Mpool pool = Mpool.create("batch", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB))) {
            List<ObjectId> ids = write(pool, 4);
            ObjectId unknown =
                    ObjectId.of(123456, ObjectId.Type.MBLOCK, ids.getFirst().shard());
            try (Mcache map = pool.map(List.of(ids.get(1)), Advice.WARM)) {
                List<ObjectId> batch = List.of(ids.get(0), ids.get(1), unknown, ids.get(2), ids.get(3));
                assertThatThrownBy(() -> pool.delete(batch))
                        .isInstanceOf(MpoolException.class)
                        .satisfies(e -> {
                            assertThat(((MpoolException) e).code()).isEqualTo(ErrorCode.BUSY);
                            assertThat(e.getSuppressed()).hasSize(1);
                            assertThat(((MpoolException) e.getSuppressed()[0]).code())
                                    .isEqualTo(ErrorCode.NOT_FOUND);
                        });
                assertThat(exists(pool, ids.get(0))).isFalse();
                assertThat(exists(pool, ids.get(2))).isFalse();
                assertThat(exists(pool, ids.get(3))).isFalse();
                assertThat(exists(pool, ids.get(1))).as("the mapped one stays").isTrue();
                assertThat(map.segment(ids.get(1)).byteSize()).isEqualTo(2 * 4096);
            }
            pool.delete(List.of(ids.get(1)));
            assertThat(pool.objects()).isEmpty();
            pool.delete(List.of()); // nothing: nothing happens
        }
    }
}
