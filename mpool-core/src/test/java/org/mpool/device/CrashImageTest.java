package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
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
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * {@link FaultInjectingDevice#crashImage}: flushed writes survive exactly; each unflushed write is
 * kept, lost, or torn with every 512-byte sector wholly old or wholly new; same seed, same image.
 */
class CrashImageTest {
    private static final int SECTOR = FaultInjectingDevice.SECTOR;
    private static final long DEVICE_BYTES = 1 << 20;
    private static final long OLD = 71;
    private static final long FLUSHED = 72;
    private static final long NEW = 73;
    private static final long FLUSHED_BYTES = 64 << 10;
    private static final long UNFLUSHED_BASE = 128 << 10;
    private static final long UNFLUSHED_STRIDE = 16 << 10;

    private record Write(long offset, long length) {}

    private final Arena arena = Arena.ofConfined();
    private final long seed = Seeds.base(getClass().getSimpleName());
    private FaultInjectingDevice device;
    private final List<Write> unflushed = new ArrayList<>();

    /** Old data everywhere (flushed), a flushed update at the start, then disjoint unflushed writes. */
    @BeforeEach
    void runWorkload() {
        device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", DEVICE_BYTES));
        for (long off = 0; off < DEVICE_BYTES; off += FLUSHED_BYTES) {
            device.write(off, BytePatterns.pattern(arena, off, FLUSHED_BYTES, OLD));
        }
        device.flush();
        device.write(0, BytePatterns.pattern(arena, 0, FLUSHED_BYTES, FLUSHED));
        device.flush();
        Random random = new Random(seed);
        for (int i = 0; i < 12; i++) {
            Write w = new Write(UNFLUSHED_BASE + i * UNFLUSHED_STRIDE, (1 + random.nextInt(16)) * (long) SECTOR);
            device.write(w.offset, BytePatterns.pattern(arena, w.offset, w.length, NEW));
            unflushed.add(w);
        }
        assertThat(device.unflushedWriteCount()).isEqualTo(unflushed.size());
    }

    @AfterEach
    void close() {
        device.close();
        arena.close();
    }

    @Test
    void flushedWritesSurviveExactlyInEveryImage() {
        for (int i = 0; i < 50; i++) {
            try (MemoryDevice image = device.crashImage(seed + i)) {
                MemorySegment media = image.media();
                String why = "image " + i + ", " + Seeds.describe(seed);
                assertThat(BytePatterns.firstMismatch(media.asSlice(0, FLUSHED_BYTES), 0, FLUSHED))
                        .as("flushed update, " + why)
                        .isEqualTo(-1);
                assertThat(BytePatterns.firstMismatch(
                                media.asSlice(FLUSHED_BYTES, UNFLUSHED_BASE - FLUSHED_BYTES), FLUSHED_BYTES, OLD))
                        .as("flushed old data, " + why)
                        .isEqualTo(-1);
                long end = UNFLUSHED_BASE + unflushed.size() * UNFLUSHED_STRIDE;
                assertThat(BytePatterns.firstMismatch(media.asSlice(end, DEVICE_BYTES - end), end, OLD))
                        .as("flushed old data after the unflushed writes, " + why)
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void unflushedWritesAreKeptLostOrTornAtSectorGranularity() {
        Set<Fate> seen = EnumSet.noneOf(Fate.class);
        boolean sawMixedTear = false;
        for (int i = 0; i < 200; i++) {
            List<Fate> fates = new ArrayList<>();
            try (MemoryDevice image = device.crashImage(new Random(seed + i), fates)) {
                assertThat(fates).hasSameSizeAs(unflushed);
                for (int w = 0; w < unflushed.size(); w++) {
                    Write write = unflushed.get(w);
                    String why = "write " + w + " (" + fates.get(w) + ") in image " + i + ", " + Seeds.describe(seed);
                    int newSectors = countNewSectors(image.media(), write, why);
                    long sectors = write.length / SECTOR;
                    switch (fates.get(w)) {
                        case KEPT -> assertThat(newSectors).as(why).isEqualTo(sectors);
                        case LOST -> assertThat(newSectors).as(why).isZero();
                        case TORN -> sawMixedTear |= newSectors > 0 && newSectors < sectors;
                        case GARBLED -> throw new AssertionError("garbled without garbling allowed: " + why);
                    }
                    seen.add(fates.get(w));
                    assertOldAfter(image.media(), write, why);
                }
            }
        }
        assertThat(seen).as(Seeds.describe(seed)).containsExactlyInAnyOrder(Fate.KEPT, Fate.TORN, Fate.LOST);
        assertThat(sawMixedTear)
                .as("some torn write mixes old and new sectors, " + Seeds.describe(seed))
                .isTrue();
    }

    /**
     * Where garbling is allowed, a garbled write holds exactly one sector that is neither old
     * nor new; its other sectors are old or new. Where it is not, an image cannot be asked for
     * with a garbled fate.
     */
    @Test
    void aGarbledWriteHasOneSectorOfNoiseAndOnlyWhereAllowed() {
        MpoolException refused = catchThrowableOfType(
                MpoolException.class, () -> device.crashImage(Collections.nCopies(unflushed.size(), Fate.GARBLED), 1));
        assertThat(refused).as("garbling where not allowed").isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        device.garbling(offset -> true);
        boolean sawGarbled = false;
        for (int i = 0; i < 200; i++) {
            List<Fate> fates = new ArrayList<>();
            try (MemoryDevice image = device.crashImage(new Random(seed + i), fates)) {
                for (int w = 0; w < unflushed.size(); w++) {
                    Write write = unflushed.get(w);
                    int noise = 0;
                    for (long at = write.offset; at < write.offset + write.length; at += SECTOR) {
                        MemorySegment sector = image.media().asSlice(at, SECTOR);
                        boolean known = BytePatterns.firstMismatch(sector, at, NEW) == -1
                                || BytePatterns.firstMismatch(sector, at, OLD) == -1;
                        noise += known ? 0 : 1;
                    }
                    String why = "write " + w + " (" + fates.get(w) + ") in image " + i + ", " + Seeds.describe(seed);
                    assertThat(noise).as(why).isEqualTo(fates.get(w) == Fate.GARBLED ? 1 : 0);
                    sawGarbled |= fates.get(w) == Fate.GARBLED;
                }
            }
        }
        assertThat(sawGarbled).as("some write garbled, " + Seeds.describe(seed)).isTrue();
    }

    /** Counts the write's sectors holding new bytes, failing if any holds neither old nor new. */
    private static int countNewSectors(MemorySegment media, Write write, String why) {
        int newSectors = 0;
        for (long s = write.offset; s < write.offset + write.length; s += SECTOR) {
            MemorySegment sector = media.asSlice(s, SECTOR);
            boolean isNew = BytePatterns.firstMismatch(sector, s, NEW) == -1;
            boolean isOld = BytePatterns.firstMismatch(sector, s, OLD) == -1;
            assertThat(isNew || isOld)
                    .as("sector at %d is wholly old or wholly new: %s", s, why)
                    .isTrue();
            newSectors += isNew ? 1 : 0;
        }
        return newSectors;
    }

    /** The rest of the write's stride was never written after the flush: old bytes. */
    private static void assertOldAfter(MemorySegment media, Write write, String why) {
        long end = write.offset + write.length;
        long gap = UNFLUSHED_STRIDE - write.length;
        assertThat(BytePatterns.firstMismatch(media.asSlice(end, gap), end, OLD))
                .as("after " + why)
                .isEqualTo(-1);
    }

    @Test
    void theSameSeedGivesTheSameImage() {
        try (MemoryDevice a = device.crashImage(seed);
                MemoryDevice b = device.crashImage(seed)) {
            assertThat(a.media().mismatch(b.media())).as(Seeds.describe(seed)).isEqualTo(-1);
        }
    }

    @Test
    void differentSeedsGiveDifferentImages() {
        Set<ByteBuffer> distinct = new HashSet<>();
        for (long s = 1; s <= 8; s++) {
            try (MemoryDevice image = device.crashImage(s)) {
                distinct.add(ByteBuffer.wrap(image.media().toArray(ValueLayout.JAVA_BYTE)));
            }
        }
        assertThat(distinct)
                .as("distinct images over seeds 1..8, workload " + Seeds.describe(seed))
                .hasSizeGreaterThan(1);
    }

    @Test
    void aLaterKeptWriteWinsOverAnEarlierOneItOverlaps() {
        long offset = UNFLUSHED_BASE; // over unflushed write 0, which is at least one sector
        long later = 74;
        device.write(offset, BytePatterns.pattern(arena, offset, SECTOR, later));
        for (int i = 0; i < 100; i++) {
            List<Fate> fates = new ArrayList<>();
            try (MemoryDevice image = device.crashImage(new Random(seed + i), fates)) {
                MemorySegment sector = image.media().asSlice(offset, SECTOR);
                Fate laterFate = fates.getLast();
                String why = "fates " + fates + ", " + Seeds.describe(seed);
                if (laterFate == Fate.KEPT) {
                    assertThat(BytePatterns.firstMismatch(sector, offset, later))
                            .as(why)
                            .isEqualTo(-1);
                } else if (laterFate == Fate.LOST && fates.getFirst() == Fate.KEPT) {
                    assertThat(BytePatterns.firstMismatch(sector, offset, NEW))
                            .as(why)
                            .isEqualTo(-1);
                } else if (laterFate == Fate.LOST && fates.getFirst() == Fate.LOST) {
                    assertThat(BytePatterns.firstMismatch(sector, offset, OLD))
                            .as(why)
                            .isEqualTo(-1);
                }
            }
        }
    }
}
