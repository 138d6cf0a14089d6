package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * TRIM: {@code create --discard} discards whole devices before the pool is written; with
 * {@code discard=on} a delete discards its object's zones (after the DELETE is durable: the
 * ordering is the grow crash explorer's, which runs with discard on), and a device that refuses
 * a discard does not fail the delete. On files a discard punches a hole: the file's allocated
 * blocks (st_blocks) show it.
 */
class DiscardTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void deletesGiveTheirBlocksBackWhenDiscardIsOn() throws Exception {
        long kept = allocatedAfterDeletes("off.img", "off", false);
        long given = allocatedAfterDeletes("on.img", "on", false);
        assertThat(kept - given)
                .as("8 deleted 1 MiB mblocks: %d bytes allocated with discard off, %d with it on", kept, given)
                .isGreaterThanOrEqualTo(8 * MIB - 8 * 4096);
    }

    @Test
    void aBatchDeleteDiscardsToo() throws Exception {
        long kept = allocatedAfterDeletes("batch-off.img", "off", true);
        long given = allocatedAfterDeletes("batch-on.img", "on", true);
        assertThat(kept - given)
                .as("8 mblocks deleted in one batch: %d bytes allocated with discard off, %d with it on", kept, given)
                .isGreaterThanOrEqualTo(8 * MIB - 8 * 4096);
    }

    /**
     * A pool file with 8 full mblocks deleted under {@code discard} (one by one, or in one
     * {@code delete(List)}); the bytes the file holds after.
     */
    private long allocatedAfterDeletes(String name, String discard, boolean batch) throws Exception {
        Path file = dir.resolve(name);
        try (Mpool pool = Mpool.create(
                        "trim",
                        file,
                        new CreateOptions().size(64 * MIB).mblockSize(MIB).shards(1));
                Arena arena = Arena.ofConfined()) {
            pool.setProperty(Mpool.PROP_DISCARD, discard);
            MemorySegment data = Mpool.allocateBuffer(arena, pool.mblockCapacity(MediaClass.CAPACITY));
            data.fill((byte) 0x5a);
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(data);
                w.commit();
                ids.add(w.id());
            }
            long before = allocatedBytes(file);
            long deletes = pool.stats().counters().get("deletes");
            if (batch) {
                pool.delete(ids);
            } else {
                ids.forEach(pool::delete);
            }
            assertThat(pool.stats().counters().get("deletes") - deletes)
                    .as("counted")
                    .isEqualTo(8);
            long after = allocatedBytes(file);
            if (discard.equals("off")) {
                assertThat(after).as("discard off: the blocks stay").isGreaterThanOrEqualTo(before);
            }
            return after;
        }
    }

    @Test
    void createDiscardsTheWholeDevice() throws Exception {
        Path file = dir.resolve("used.img");
        byte[] junk = new byte[(int) MIB];
        Arrays.fill(junk, (byte) 0x77);
        for (int i = 0; i < 32; i++) {
            Files.write(file, junk, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        assertThat(allocatedBytes(file)).isGreaterThanOrEqualTo(32 * MIB);
        Mpool.create(
                        "trim",
                        file,
                        new CreateOptions()
                                .mblockSize(MIB)
                                .shards(1)
                                .discard(true)
                                .force(true))
                .close();
        assertThat(allocatedBytes(file))
                .as("only what the new pool wrote is allocated")
                .isLessThan(16 * MIB);
    }

    @Test
    void createDiscardsTheStagingDeviceToo() {
        MemoryDevices devices = new MemoryDevices();
        MemoryDevice capacity = new MemoryDevice("capacity", 16 * MIB);
        MemoryDevice staging = new MemoryDevice("staging", 8 * MIB);
        capacity.media().fill((byte) 0x77);
        staging.media().fill((byte) 0x77);
        devices.put(MemoryDevices.DEFAULT_PATH, capacity).put(Path.of("/memory/staging"), staging);
        Mpool.create(
                        "trim",
                        MemoryDevices.DEFAULT_PATH,
                        new CreateOptions()
                                .mblockSize(MIB)
                                .shards(1)
                                .staging(Path.of("/memory/staging"), 0, MIB)
                                .discard(true)
                                .force(true),
                        devices)
                .close();
        // Memory devices read zeros where discarded: the last zone of each was never written since.
        assertThat(capacity.media().asSlice(15 * MIB, MIB).elements(ValueLayout.JAVA_BYTE))
                .allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == 0);
        assertThat(staging.media().asSlice(7 * MIB, MIB).elements(ValueLayout.JAVA_BYTE))
                .allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == 0);
    }

    @Test
    void aRefusedDiscardDoesNotFailTheDelete() {
        MemoryDevices made = new MemoryDevices();
        Mpool.create(
                        "trim",
                        MemoryDevices.DEFAULT_PATH,
                        new CreateOptions()
                                .size(8 * MIB)
                                .mblockSize(MIB)
                                .shards(1)
                                .sparePercent(0),
                        made)
                .close();
        FaultInjectingDevice faulty = FaultInjectingDevice.forErrors(made.get(MemoryDevices.DEFAULT_PATH));
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(faulty));
                Arena arena = Arena.ofConfined()) {
            pool.setProperty(Mpool.PROP_DISCARD, "on");
            long free = pool.stats().classes().get(MediaClass.CAPACITY).freeBytes();
            MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
            w.write(Mpool.allocateBuffer(arena, 4096));
            w.commit();
            faulty.inject(new Fault(Op.DISCARD, ErrorCode.IO, 0, 1));
            pool.delete(w.id());
            assertThat(pool.stats().classes().get(MediaClass.CAPACITY).freeBytes())
                    .as("the zone is free all the same")
                    .isEqualTo(free);
            assertThat(pool.stats().counters().get("discardFailures"))
                    .as("counted, not lost")
                    .isEqualTo(1);
        }
    }

    /** What the file system allocated for {@code file} (st_blocks × 512). */
    static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(p.waitFor()).as("stat %s", file).isZero();
        return Long.parseLong(out) * 512;
    }
}
