package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * Mpool.grow: onto a device grown under the pool (memory devices stand for volumes grown with
 * lvextend) and onto a file it extends; what it refuses and why; the new zones in use and kept
 * across a reopen. Crashes during a grow: {@link GrowCrashExplorerTest}.
 */
class GrowTest {
    private static final long MIB = 1L << 20;
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final Path STAGING = Path.of("/memory/staging");

    @TempDir
    Path dir;

    /** A 16 MiB pool (1 MiB mblocks) on a device of {@code deviceBytes}, as after an lvextend. */
    private static MemoryDevices grownUnder(long deviceBytes) {
        MemoryDevices made = new MemoryDevices();
        Mpool.create("grow", CAPACITY, options().size(16 * MIB), made).close();
        MemoryDevice bigger = new MemoryDevice("grown", deviceBytes);
        MemorySegment.copy(((MemoryDevice) made.get(CAPACITY)).media(), 0, bigger.media(), 0, 16 * MIB);
        return new MemoryDevices().put(CAPACITY, bigger);
    }

    private static CreateOptions options() {
        return new CreateOptions().mblockSize(MIB).shards(1).sparePercent(0);
    }

    private static long total(Mpool pool, MediaClass mc) {
        return pool.stats().classes().get(mc).totalBytes();
    }

    @Test
    void growsOntoTheWholeDeviceAndTheNewZonesTakeObjects() {
        MemoryDevices devices = grownUnder(32 * MIB);
        ObjectId before;
        try (Mpool pool = Mpool.open(CAPACITY, devices);
                Arena arena = Arena.ofConfined()) {
            before = commit(pool, arena, 1);
            long freeBefore = pool.stats().classes().get(MediaClass.CAPACITY).freeBytes();
            List<Long> steps = new ArrayList<>();
            assertThat(pool.grow(MediaClass.CAPACITY, 0, (done, all) -> {
                        steps.add(done);
                        assertThat(all).isEqualTo(Growth.STEPS);
                        return 0;
                    }))
                    .isEqualTo(32 * MIB);
            assertThat(steps).as("each step once, in order").containsExactly(1L, 2L, 3L, 4L);
            assertThat(total(pool, MediaClass.CAPACITY)).isEqualTo(32 * MIB);
            assertThat(pool.stats().classes().get(MediaClass.CAPACITY).freeBytes())
                    .as("the 16 new zones are free")
                    .isEqualTo(freeBefore + 16 * MIB);
            List<ObjectId> filled = fill(pool, arena);
            assertThat(filled.stream().filter(id -> pool.info(id).offsetBytes() >= 16 * MIB))
                    .as("every new zone took an mblock")
                    .hasSize(16);
        }
        try (Mpool pool = Mpool.open(CAPACITY, devices);
                Arena arena = Arena.ofConfined()) {
            assertThat(total(pool, MediaClass.CAPACITY)).as("after a reopen").isEqualTo(32 * MIB);
            assertThat(pool.readMblock(before, arena).get(ValueLayout.JAVA_BYTE, 0))
                    .as("an object from before the grow")
                    .isEqualTo((byte) 1);
            assertThat(pool.check((d, t) -> 0).problems()).isEmpty();
        }
        try (Pool pool = PoolOpener.open(CAPACITY, devices, true)) {
            assertThat(pool.config().mediaClasses().get(MediaClass.CAPACITY).zoneCount())
                    .as("MDC-0 records the new size")
                    .isEqualTo(32);
            assertThat(pool.recovery()).as("nothing to recover").isEmpty();
        }
    }

    @Test
    void growsToASizeThenToTheRest() {
        MemoryDevices devices = grownUnder(32 * MIB);
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(pool.grow(MediaClass.CAPACITY, 24 * MIB + 5000))
                    .as("whole zones")
                    .isEqualTo(24 * MIB);
            assertThat(total(pool, MediaClass.CAPACITY)).isEqualTo(24 * MIB);
            assertThat(pool.grow(MediaClass.CAPACITY, 0)).isEqualTo(32 * MIB);
        }
    }

    @Test
    void nothingToAddWritesNothing() {
        MemoryDevices made = new MemoryDevices();
        Mpool.create("grow", CAPACITY, options().size(16 * MIB), made).close();
        FaultInjectingDevice counting = FaultInjectingDevice.forErrors(made.get(CAPACITY));
        try (Mpool pool = Mpool.open(CAPACITY, MemoryDevices.serving(counting))) {
            long writes = counting.writeCount();
            assertThat(pool.grow(MediaClass.CAPACITY, 0)).isEqualTo(16 * MIB);
            assertThat(pool.grow(MediaClass.CAPACITY, 16 * MIB)).isEqualTo(16 * MIB);
            assertThat(counting.writeCount()).as("no superblock, no record").isEqualTo(writes);
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        MemoryDevices devices = grownUnder(32 * MIB);
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            expect(() -> pool.grow(MediaClass.CAPACITY, 8 * MIB), ErrorCode.INVALID_ARGUMENT, "never shrinks");
            expect(() -> pool.grow(MediaClass.CAPACITY, 64 * MIB), ErrorCode.INVALID_ARGUMENT, "lvextend");
            expect(() -> pool.grow(MediaClass.CAPACITY, -1), ErrorCode.INVALID_ARGUMENT, "positive");
            expect(() -> pool.grow(MediaClass.STAGING, 0), ErrorCode.NOT_FOUND, "no staging media class");
            assertThat(total(pool, MediaClass.CAPACITY)).as("unchanged").isEqualTo(16 * MIB);
        }
        try (Mpool pool = Mpool.openReadOnly(CAPACITY, devices)) {
            expect(() -> pool.grow(MediaClass.CAPACITY, 0), ErrorCode.PERMISSION, "read-only");
        }
    }

    @Test
    void growsTheStagingClass() {
        MemoryDevices devices = new MemoryDevices();
        Mpool.create("grow", CAPACITY, options().size(16 * MIB).staging(STAGING, 8 * MIB, MIB), devices)
                .close();
        MemoryDevice bigger = new MemoryDevice("staging", 12 * MIB);
        MemorySegment.copy(((MemoryDevice) devices.get(STAGING)).media(), 0, bigger.media(), 0, 8 * MIB);
        devices.put(STAGING, bigger);
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(pool.grow(MediaClass.STAGING, 0)).isEqualTo(12 * MIB);
            assertThat(total(pool, MediaClass.CAPACITY)).as("the other class").isEqualTo(16 * MIB);
        }
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(total(pool, MediaClass.STAGING)).isEqualTo(12 * MIB);
        }
    }

    @Test
    void extendsAFileThenGrowsOntoIt() throws IOException {
        Path file = dir.resolve("pool.img");
        try (Mpool pool = Mpool.create("grow", file, options().size(16 * MIB));
                Arena arena = Arena.ofConfined()) {
            ObjectId id = commit(pool, arena, 7);
            assertThat(pool.grow(MediaClass.CAPACITY, 40 * MIB + 100))
                    .as("the file is extended to the size asked, the pool to its whole zones")
                    .isEqualTo(40 * MIB);
            assertThat(Files.size(file)).isEqualTo(40 * MIB + 4096);
            assertThat(pool.readMblock(id, arena).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 7);
            assertThat(fill(pool, arena)).as("the new zones hold mblocks").hasSizeGreaterThanOrEqualTo(24);
        }
        try (Mpool pool = Mpool.open(file)) {
            assertThat(total(pool, MediaClass.CAPACITY)).isEqualTo(40 * MIB);
            assertThat(pool.check((d, t) -> 0).problems()).isEmpty();
        }
    }

    @Test
    void aFileExtendedByHandIsTakenWhole() throws IOException {
        Path file = dir.resolve("pool.img");
        Mpool.create("grow", file, options().size(16 * MIB)).close();
        try (Mpool pool = Mpool.open(file)) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(20 * MIB); // another program (truncate -s) grows it while the pool is open
            }
            assertThat(pool.grow(MediaClass.CAPACITY, 0)).isEqualTo(20 * MIB);
        }
    }

    @Test
    void aDeviceShrunkUnderTheOpenPoolIsRefused() throws IOException {
        Path file = dir.resolve("pool.img");
        Mpool.create("grow", file, options().size(16 * MIB)).close();
        try (Mpool pool = Mpool.open(file)) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(12 * MIB);
            }
            expect(() -> pool.grow(MediaClass.CAPACITY, 0), ErrorCode.CORRUPT, "smaller than the pool");
        }
    }

    private static void expect(Runnable call, ErrorCode code, String says) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(MpoolException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.getMessage()).contains(says);
        });
    }

    private static ObjectId commit(Mpool pool, Arena arena, int fill) {
        MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
        MemorySegment page = Mpool.allocateBuffer(arena, 4096);
        page.fill((byte) fill);
        w.write(page);
        w.commit();
        return w.id();
    }

    /** Commits mblocks until NO_SPACE; returns them. */
    private static List<ObjectId> fill(Mpool pool, Arena arena) {
        List<ObjectId> ids = new ArrayList<>();
        while (true) {
            try {
                ids.add(commit(pool, arena, ids.size()));
            } catch (MpoolException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE);
                return ids;
            }
        }
    }
}
