package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.device.AlignedBuffers;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * Mblocks committed on the staging class of a two-device pool, then power fails: the staging
 * device loses every write it had not flushed, while the capacity device keeps all of its own
 * (the commit record included). An mblock whose commit returned must read back with its bytes,
 * so the commit flushes the staging device's data before it writes the record on the capacity
 * device (docs/FORMAT.md §6). The pool crash explorer also explores staging pools (both devices
 * lose power together); this takes the worst case of that fault model directly, for each way of
 * committing. Killed mutation: no flush of the staging device before the commit record
 * (Mblocks.flushDataDevice).
 */
class StagingCommitCrashTest {
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final Path STAGING = Path.of("/memory/staging");
    private static final long DEVICE_BYTES = 8L << 20;

    /** How the mblocks are committed: one at a time, as a batch, deferred then a pool flush. */
    @ParameterizedTest
    @ValueSource(strings = {"single", "batch", "deferred"})
    void aCommittedStagingMblockSurvivesTheStagingDeviceLosingItsUnflushedWrites(String how) {
        MemoryDevices created = new MemoryDevices();
        Mpool.create(
                        "staged",
                        CAPACITY,
                        new CreateOptions()
                                .size(DEVICE_BYTES)
                                .mblockSize(1 << 20)
                                .shards(1)
                                .sparePercent(0)
                                .staging(STAGING, DEVICE_BYTES, 1 << 20),
                        created)
                .close();
        FaultInjectingDevice capacity = FaultInjectingDevice.forCrashes(created.get(CAPACITY));
        FaultInjectingDevice staging = FaultInjectingDevice.forCrashes(created.get(STAGING));
        MemoryDevices devices = new MemoryDevices().put(CAPACITY, capacity).put(STAGING, staging);
        Map<ObjectId, byte[]> committed = new LinkedHashMap<>();
        Random random = new Random(how.hashCode());
        try (Arena arena = Arena.ofShared()) {
            Mpool pool = Mpool.open(CAPACITY, devices);
            List<MblockWriter> writers = new ArrayList<>();
            List<byte[]> datas = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.STAGING);
                byte[] data = new byte[4096 * (1 + i) + 100 * i];
                random.nextBytes(data);
                MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(data.length, 4096));
                MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
                w.write(buf.asSlice(0, data.length));
                writers.add(w);
                datas.add(data);
            }
            switch (how) {
                case "single" -> writers.forEach(MblockWriter::commit);
                case "batch" -> pool.commit(writers);
                case "deferred" -> {
                    writers.forEach(MblockWriter::commitDeferred);
                    pool.flush();
                }
                default -> throw new IllegalArgumentException(how);
            }
            for (int i = 0; i < writers.size(); i++) {
                committed.put(writers.get(i).id(), datas.get(i));
            }
            // Power fails right after the commits returned, before the pool is closed.
            capacity.crashNow();
            staging.crashNow();
            try {
                pool.close();
            } catch (RuntimeException e) {
                // closing after the crash fails with IO; the pool's memory is released all the same
            }
        }
        MemoryDevice capacityImage = capacity.crashImage(keepAll(capacity), 0);
        MemoryDevice stagingImage = staging.durableImage();
        MemoryDevices images = new MemoryDevices().put(CAPACITY, capacityImage).put(STAGING, stagingImage);
        try (Mpool pool = Mpool.open(CAPACITY, images);
                Arena arena = Arena.ofConfined()) {
            committed.forEach(checkBytes(pool, arena, how));
        }
        capacityImage.close();
        stagingImage.close();
    }

    private static List<FaultInjectingDevice.Fate> keepAll(FaultInjectingDevice device) {
        return device.unflushedWrites().stream()
                .map(w -> FaultInjectingDevice.Fate.KEPT)
                .toList();
    }

    private static BiConsumer<ObjectId, byte[]> checkBytes(Mpool pool, Arena arena, String how) {
        return (id, expected) -> {
            assertThat(pool.info(id).lengthBytes())
                    .as("%s (%s commit): its length", id, how)
                    .isEqualTo(expected.length);
            MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(expected.length, 4096));
            pool.readMblock(id, 0, buf);
            assertThat(buf.asSlice(0, expected.length).toArray(ValueLayout.JAVA_BYTE))
                    .as("%s (%s commit): its bytes", id, how)
                    .isEqualTo(expected);
        };
    }
}
