package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.device.AlignedBuffers;
import org.mpool.testing.MediaDamage;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * Every direct read of an mblock is verified against its page checksums (format version 3): a
 * damaged page fails the read with CORRUPT naming the mblock and the page, before any byte of it
 * reaches the caller; pages before it still read; a damaged table is named as such; check and
 * a map's verify() find the same damage.
 */
class MblockChecksumTest {
    private static final long LENGTH = 3 * 4096 + 100; // three whole pages and a partial one

    @TempDir
    Path dir;

    private record Damaged(MemoryDevices devices, ObjectId id, MemoryDevice media) {}

    /** A pool with one mblock of {@link #LENGTH} bytes; {@code damage} gets its device offset. */
    private static Damaged poolWithOneMblock() {
        MemoryDevices devices = new MemoryDevices();
        ObjectId id;
        try (Mpool pool = Mpool.create(
                "sums",
                MemoryDevices.DEFAULT_PATH,
                new CreateOptions().size(16L << 20).mblockSize(1 << 20),
                devices)) {
            id = MblockFixtures.write(pool, MediaClass.CAPACITY, LENGTH, 5);
        }
        return new Damaged(devices, id, (MemoryDevice) devices.get(MemoryDevices.DEFAULT_PATH));
    }

    private static long offsetOf(Damaged d) {
        try (Mpool pool = Mpool.openReadOnly(MemoryDevices.DEFAULT_PATH, d.devices())) {
            return pool.info(d.id()).offsetBytes();
        }
    }

    @Test
    void aDamagedPageFailsTheReadsThatCoverItAndOnlyThose() {
        Damaged d = poolWithOneMblock();
        long at = offsetOf(d);
        new MediaDamage(d.media().media()).flipBit(at + 4096 + 17, 3); // page 1
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, d.devices());
                Arena arena = Arena.ofConfined()) {
            MemorySegment page = AlignedBuffers.allocate(arena, 4096);
            pool.readMblock(d.id(), 0, page); // page 0 is intact
            pool.readMblock(d.id(), 2 * 4096, page);
            MemorySegment all = AlignedBuffers.allocate(arena, 4 * 4096);
            MpoolException e = catchThrowableOfType(MpoolException.class, () -> pool.readMblock(d.id(), 0, all));
            assertThat(e).as("a read over the damaged page").isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT);
            assertThat(e.getMessage())
                    .contains(d.id().toString())
                    .contains("page at offset 4096")
                    .contains("device offset " + (at + 4096));
            MpoolException whole =
                    catchThrowableOfType(MpoolException.class, () -> pool.readMblock(d.id(), Arena.ofAuto()));
            assertThat(whole).as("a whole read").isNotNull();
            assertThat(whole.code()).isEqualTo(ErrorCode.CORRUPT);
            assertThat(pool.check((done, total) -> 0).problems())
                    .as("check")
                    .anySatisfy(p -> assertThat(p).contains(d.id().toString()).contains("page at offset 4096"));
        }
    }

    @Test
    void damageInTheLastPagesZeroPaddingIsFoundToo() {
        Damaged d = poolWithOneMblock();
        new MediaDamage(d.media().media()).flipBit(offsetOf(d) + LENGTH + 5, 0); // past the data, same page
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, d.devices());
                Arena arena = Arena.ofConfined()) {
            MemorySegment last = AlignedBuffers.allocate(arena, 4096);
            MpoolException e =
                    catchThrowableOfType(MpoolException.class, () -> pool.readMblock(d.id(), 3 * 4096, last));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("page at offset 12288");
        }
    }

    @Test
    void aDamagedChecksumTableIsNamedAsSuch() {
        Damaged d = poolWithOneMblock();
        long tableAt = offsetOf(d) + MblockFixtures.MIB_MBLOCK; // the table region ends the zone
        new MediaDamage(d.media().media()).flipBit(tableAt + 40, 1); // an entry
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, d.devices());
                Arena arena = Arena.ofConfined()) {
            MpoolException e = catchThrowableOfType(
                    MpoolException.class, () -> pool.readMblock(d.id(), 0, AlignedBuffers.allocate(arena, 4096)));
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT);
            assertThat(e.getMessage())
                    .contains(d.id().toString())
                    .contains("checksum table")
                    .contains("damaged");
        }
    }

    @Test
    void aMapsVerifyFindsDamageItsReadersWouldSee() throws IOException {
        Path file = dir.resolve("cap.img");
        ObjectId a;
        ObjectId b;
        try (Mpool pool = Mpool.create("mapped", file, MblockFixtures.oneMiBMblocks(32L << 20))) {
            a = MblockFixtures.write(pool, MediaClass.CAPACITY, 70_000, 1);
            b = MblockFixtures.write(pool, MediaClass.CAPACITY, 9_000, 2);
            try (Mcache map = pool.map(List.of(a, b), Advice.WARM)) {
                map.verify(); // intact
            }
            long damageAt = pool.info(b).offsetBytes() + 4096 + 1;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {0x5a}), damageAt);
            }
            try (Mcache map = pool.map(List.of(a, b), Advice.WARM)) {
                MpoolException e = catchThrowableOfType(MpoolException.class, map::verify);
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT);
                assertThat(e.getMessage()).contains(b.toString()).contains("page at offset 4096");
            }
            Mcache closed = pool.map(List.of(a), Advice.WARM);
            closed.close();
            MpoolException e = catchThrowableOfType(MpoolException.class, closed::verify);
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
        }
    }
}
