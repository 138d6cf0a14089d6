package org.mpool.pool;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.Superblock;
import org.mpool.observe.Counters;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.FaultInjectingDevice.UnflushedWrite;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * A superblock update cut by power loss. A drive that loses power in the middle of a write may
 * leave the sectors it covers holding anything — neither the old bytes nor the new — so the two
 * copies are written one at a time with a flush between (docs/FORMAT.md §2): at most one copy is
 * ever in flight. Here, at every crash point of an update, every superblock write not yet
 * flushed is garbled; a valid copy must remain, of the old generation or the new, and the pool
 * must open.
 *
 * <p>The pool crash explorer sees the same hole through its GARBLED fate, at the crash points its
 * workloads happen to reach; this walks every point of one update and garbles every unflushed
 * write, every time. Killed mutation: no flush between the two copies (PoolDevice.writeBoth).
 *
 * <p>The update starts from every state a crash or damage leaves the copies in: both current, or
 * one of them older or garbled while the other holds the current superblock. That current copy
 * may be the only record of a state a reader has already seen (a rename), so the update must
 * never leave the older copy alone. Killed mutation: no repair of the stale copy first
 * (PoolDevice.repairStaleCopies; the pool crash explorer found the hole, sequence
 * 3225548259861804339:f19,f4).
 */
class SuperblockUpdateCrashTest {
    private static final Path PATH = MemoryDevices.DEFAULT_PATH;
    private static final long DEVICE_BYTES = 8L << 20;

    /** What the two copies hold when the update starts. */
    enum Start {
        BOTH_CURRENT,
        COPY_0_OLDER,
        COPY_0_GARBLED,
        COPY_1_OLDER,
        COPY_1_GARBLED;

        /** The copy that does not hold the current superblock, or -1. */
        int staleCopy() {
            return this == BOTH_CURRENT ? -1 : this == COPY_0_OLDER || this == COPY_0_GARBLED ? 0 : 1;
        }
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void everyCrashPointOfAnUpdateLeavesTheCurrentOrTheNextSuperblockWhateverTheUnflushedWritesHold(Start start) {
        MemoryDevice media = newPool(start);
        long before = PoolDevice.readSuperblock(media, "pool").generation();
        // A clean run counts the update's writes and flushes.
        FaultInjectingDevice clean = FaultInjectingDevice.forCrashes(MemoryDevice.copyOf(media));
        update(clean);
        assertThat(clean.writeCount())
                .as("one write per copy, and one to repair a copy that does not hold the current superblock")
                .isEqualTo(Superblock.COPY_OFFSETS.length + (start.staleCopy() < 0 ? 0 : 1));
        List<Long> points = new ArrayList<>();
        for (long k = 0; k <= clean.writeCount(); k++) {
            points.add(k); // power fails when write k + 1 is issued
        }
        for (long f = 0; f < clean.flushCount(); f++) {
            points.add(-1 - f); // power fails during flush f + 1
        }
        for (long point : points) {
            String where =
                    start + ", " + (point >= 0 ? "crash at write " + (point + 1) : "crash during flush " + (-point));
            FaultInjectingDevice device = FaultInjectingDevice.forCrashes(MemoryDevice.copyOf(media));
            if (point >= 0) {
                device.crashAfterWrites(point);
            } else {
                device.inject(new Fault(Op.FLUSH, ErrorCode.IO, -1 - point, 1L << 40));
            }
            boolean returned = false;
            try {
                update(device);
                returned = true;
            } catch (MpoolException e) {
                assertThat(e.code()).as(where).isEqualTo(ErrorCode.IO);
            }
            device.crashNow();
            try (MemoryDevice image = garbledImage(device, point)) {
                Superblock sb = readOrFail(image, where, device.unflushedWriteCount());
                assertThat(sb.generation())
                        .as(
                                "%s: the generation read (%d unflushed writes garbled)",
                                where, device.unflushedWriteCount())
                        .isIn(before, before + 1);
                if (returned) {
                    assertThat(sb.generation())
                            .as("%s: the update returned", where)
                            .isEqualTo(before + 1);
                }
                assertThatCode(() ->
                                Mpool.open(PATH, MemoryDevices.serving(image)).close())
                        .as("%s: the pool opens", where)
                        .doesNotThrowAnyException();
            }
            device.close();
        }
    }

    private static Superblock readOrFail(MemoryDevice image, String where, int garbled) {
        try {
            return PoolDevice.readSuperblock(image, "image");
        } catch (MpoolException e) {
            throw new AssertionError(
                    where + ", " + garbled + " unflushed writes garbled: no valid superblock copy is left: " + e, e);
        }
    }

    /** One update of the superblock on {@code device}: the next generation, marked not cleanly closed. */
    private static void update(FaultInjectingDevice device) {
        PoolDevice d = PoolDevice.read(PATH, device, false, Counters.NONE);
        d.update(d.superblock().withCleanlyClosed(false));
    }

    /** The durable image, with every write not yet flushed holding garbage over its whole range. */
    private static MemoryDevice garbledImage(FaultInjectingDevice device, long seed) {
        MemoryDevice image = device.durableImage();
        Random random = new Random(seed);
        for (UnflushedWrite w : device.unflushedWrites()) {
            byte[] garbage = new byte[w.lengthBytes()];
            random.nextBytes(garbage);
            image.media().asSlice(w.offset(), w.lengthBytes()).copyFrom(MemorySegment.ofArray(garbage));
        }
        return image;
    }

    private static MemoryDevice newPool(Start start) {
        MemoryDevice media = new MemoryDevice("pool", DEVICE_BYTES);
        Mpool.create(
                        "sb",
                        PATH,
                        new CreateOptions().mblockSize(1 << 20).shards(1).sparePercent(0),
                        MemoryDevices.serving(media))
                .close();
        int copy = start.staleCopy();
        if (copy >= 0) {
            long offset = Superblock.COPY_OFFSETS[copy];
            byte[] older = media.media().asSlice(offset, Superblock.SIZE).toArray(JAVA_BYTE);
            PoolDevice d = PoolDevice.read(PATH, media, false, Counters.NONE);
            d.update(d.superblock().withName("renamed")); // both copies now hold the renamed pool
            if (start == Start.COPY_0_GARBLED || start == Start.COPY_1_GARBLED) {
                new Random(copy).nextBytes(older);
            }
            MemorySegment.copy(older, 0, media.media(), JAVA_BYTE, offset, older.length);
            assertThat(PoolDevice.readSuperblock(media, "pool").poolName())
                    .as("%s: the current superblock is the other copy's", start)
                    .isEqualTo("renamed");
        }
        return media;
    }
}
