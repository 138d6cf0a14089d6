package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fate;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/** A discard is an unflushed write of zeros; a failed flush makes nothing durable. */
class CrashImageOfDiscardsAndFailedFlushesTest {
    private static final int SECTOR = FaultInjectingDevice.SECTOR;
    private static final long OLD = 81;
    private static final long NEW = 82;
    private static final long RANGE = 64 << 10;
    private static final long LENGTH = 8 * SECTOR;

    private final Arena arena = Arena.ofConfined();
    private final long seed = Seeds.base(getClass().getSimpleName());
    private FaultInjectingDevice device;

    @BeforeEach
    void writeOldDataAndFlush() {
        device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", 1 << 20));
        device.write(0, BytePatterns.pattern(arena, 0, 4 * RANGE, OLD));
        device.flush();
    }

    @AfterEach
    void close() {
        device.close();
        arena.close();
    }

    @Test
    void aDiscardMayOrMayNotSurviveACrashSectorBySector() {
        device.discard(RANGE, LENGTH);
        assertThat(device.unflushedWriteCount()).isEqualTo(1);
        MemorySegment now = AlignedBuffers.allocate(arena, LENGTH);
        device.read(RANGE, now);
        assertThat(BytePatterns.firstNonZero(now))
                .as("the live device reads zeros")
                .isEqualTo(-1);

        Set<Fate> seen = EnumSet.noneOf(Fate.class);
        for (int i = 0; i < 100; i++) {
            List<Fate> fates = new ArrayList<>();
            try (MemoryDevice image = device.crashImage(new Random(seed + i), fates)) {
                String why = fates + " in image " + i + ", " + Seeds.describe(seed);
                int zeroSectors = 0;
                for (long s = RANGE; s < RANGE + LENGTH; s += SECTOR) {
                    MemorySegment sector = image.media().asSlice(s, SECTOR);
                    boolean zero = BytePatterns.firstNonZero(sector) == -1;
                    assertThat(zero || BytePatterns.firstMismatch(sector, s, OLD) == -1)
                            .as("sector %d wholly zero or wholly old: %s", s, why)
                            .isTrue();
                    zeroSectors += zero ? 1 : 0;
                }
                Fate fate = fates.getFirst();
                seen.add(fate);
                if (fate == Fate.KEPT) {
                    assertThat(zeroSectors).as(why).isEqualTo(LENGTH / SECTOR);
                } else if (fate == Fate.LOST) {
                    assertThat(zeroSectors).as(why).isZero();
                }
            }
        }
        assertThat(seen).as(Seeds.describe(seed)).contains(Fate.KEPT, Fate.LOST);
    }

    @Test
    void aFlushedDiscardIsZerosInEveryImage() {
        device.discard(RANGE, LENGTH);
        device.flush();
        assertThat(device.unflushedWriteCount()).isZero();
        for (int i = 0; i < 20; i++) {
            try (MemoryDevice image = device.crashImage(seed + i)) {
                assertThat(BytePatterns.firstNonZero(image.media().asSlice(RANGE, LENGTH)))
                        .as("image %d, %s", i, Seeds.describe(seed))
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void writesStayUnflushedWhenTheFlushFails() {
        device.inject(new Fault(Op.FLUSH, ErrorCode.IO, 0, 1));
        device.write(RANGE, BytePatterns.pattern(arena, RANGE, LENGTH, NEW));
        long flushesBefore = device.flushCount();
        assertThatThrownBy(device::flush)
                .isInstanceOfSatisfying(
                        MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO));
        assertThat(device.unflushedWriteCount()).isEqualTo(1);
        assertThat(device.flushCount()).isEqualTo(flushesBefore);
        assertThat(survivingImages())
                .as("images keeping the write after the failed flush, " + Seeds.describe(seed))
                .isBetween(1, 49);

        device.flush();
        assertThat(device.unflushedWriteCount()).isZero();
        assertThat(survivingImages())
                .as("images keeping the write after a good flush")
                .isEqualTo(50);
    }

    /**
     * With losingWritesOnFailedFlush (Linux after fsync's EIO), a failed flush forgets the writes
     * it was to make durable: no image ever holds them, a later good flush included, while reads
     * of the live device still see them.
     */
    @Test
    void aFailedFlushCanForgetItsWritesForGood() {
        device.losingWritesOnFailedFlush();
        device.inject(new Fault(Op.FLUSH, ErrorCode.IO, 0, 1));
        device.write(RANGE, BytePatterns.pattern(arena, RANGE, LENGTH, NEW));
        assertThatThrownBy(device::flush).isInstanceOf(MpoolException.class);
        assertThat(device.unflushedWriteCount()).isZero();
        assertThat(device.operationCount(Op.FLUSH))
                .as("flushes issued, the failed one included")
                .isEqualTo(2);
        device.flush();
        assertThat(survivingImages()).as("images keeping the forgotten write").isZero();
        MemorySegment now = AlignedBuffers.allocate(arena, LENGTH);
        device.read(RANGE, now);
        assertThat(BytePatterns.firstMismatch(now, RANGE, NEW))
                .as("the live device reads the write")
                .isEqualTo(-1);
    }

    /** Of 50 crash images, how many hold the NEW write whole. */
    private int survivingImages() {
        int kept = 0;
        for (int i = 0; i < 50; i++) {
            try (MemoryDevice image = device.crashImage(seed + i)) {
                kept += BytePatterns.firstMismatch(image.media().asSlice(RANGE, LENGTH), RANGE, NEW) == -1 ? 1 : 0;
            }
        }
        return kept;
    }
}
