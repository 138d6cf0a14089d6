package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fate;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * Power fails while recovery cancels torn commits. Two mblock commit records reached the shard
 * log, no flush confirmed them, and their data never reached the media: open cancels both with
 * delete records (docs/FORMAT.md §6, UNCONFIRMED_COMMIT_CANCELLED). At every write and flush of
 * that open power fails again, and no crash image may ever show either mblock: a fragment
 * written by recovery must not vouch for a commit record it has not cancelled yet, and the
 * cancellations go out together (all or none). A regression test of commit a865703, which the
 * pool crash explorer found once in some 11,000 crash points; this walks the case every time.
 * Killed mutation: the whole of a865703 reverted (each of its two halves alone is enough to
 * keep the promise, and survives).
 */
class CancellationCrashTest {
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final long DEVICE_BYTES = 8L << 20;
    private static final int PAGE = 4096;
    private static final int IMAGES_PER_POINT = 4;

    @Test
    void aCrashDuringTheCancellationOfTornCommitsNeverBringsOneBack() {
        MemoryDevice torn = twoTornCommits();
        // The open that cancels them, counted once without a crash.
        FaultInjectingDevice clean = FaultInjectingDevice.forCrashes(MemoryDevice.copyOf(torn));
        try (Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(clean), false)) {
            assertThat(pool.recovery().stream().map(RecoveryCase.Found::what))
                    .as("open cancels the torn commits")
                    .contains(RecoveryCase.UNCONFIRMED_COMMIT_CANCELLED);
            assertThat(ids(pool)).as("after the cancellations").isEmpty();
            clean.crashNow(); // counts the open's writes and flushes only
        } catch (MpoolException afterCrash) {
            // the close after the crash fails; the counts are taken
        }
        long writes = clean.writeCount();
        long flushes = clean.flushCount();
        assertThat(writes).as("the open writes").isPositive();
        List<Long> points = new ArrayList<>();
        for (long k = 0; k < writes; k++) {
            points.add(k); // power fails when write k + 1 is issued
        }
        for (long f = 0; f < flushes; f++) {
            points.add(-1 - f); // power fails during flush f + 1
        }
        for (long point : points) {
            String where = point >= 0 ? "power fails at write " + (point + 1) : "power fails in flush " + (-point);
            FaultInjectingDevice device = FaultInjectingDevice.forCrashes(MemoryDevice.copyOf(torn));
            if (point >= 0) {
                device.crashAfterWrites(point);
            } else {
                device.inject(new Fault(Op.FLUSH, ErrorCode.IO, -1 - point, 1L << 40));
            }
            assertThatThrownBy(() -> PoolOpener.open(CAPACITY, MemoryDevices.serving(device), false)
                            .close())
                    .as(where)
                    .isInstanceOfSatisfying(
                            MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO));
            device.crashNow();
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                try (MemoryDevice image = i == 0 ? device.durableImage() : device.crashImage(31L * point + i);
                        Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(image), false)) {
                    assertThat(ids(pool))
                            .as("%s, crash image %d: a cancelled commit whose data is torn came back", where, i)
                            .isEmpty();
                }
            }
            device.close();
        }
    }

    /**
     * A pool whose shard log holds two mblock commit records that no flush confirmed, while
     * their data and checksum tables are lost.
     */
    private static MemoryDevice twoTornCommits() {
        MemoryDevices devices = new MemoryDevices();
        PoolCreator.create(
                "cancel",
                CAPACITY,
                new CreateOptions()
                        .size(DEVICE_BYTES)
                        .mblockSize(1 << 20)
                        .shards(1)
                        .sparePercent(0),
                devices);
        FaultInjectingDevice faulty = FaultInjectingDevice.forCrashes(devices.get(CAPACITY));
        Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(faulty), false);
        List<long[]> zones = new ArrayList<>(); // [start, end) of each mblock's zone
        try (Arena arena = Arena.ofConfined()) {
            MblockWrite first = pool.mblocks().allocate(MediaClass.CAPACITY, false);
            first.write(pattern(arena, 1));
            first.commit(false); // its record waits in the shard log's buffer
            MblockWrite second = pool.mblocks().allocate(MediaClass.CAPACITY, false);
            second.write(pattern(arena, 2));
            for (MblockWrite w : List.of(first, second)) {
                long start = pool.capacity().zoneOffset(w.zone());
                zones.add(new long[] {start, start + pool.capacity().zoneBytes()});
            }
            faulty.inject(new Fault(Op.FLUSH, ErrorCode.IO, 0, 1L << 40));
            assertThatThrownBy(() -> second.commit(true))
                    .as("the flush of the second commit fails")
                    .isInstanceOf(MpoolException.class);
        } finally {
            faulty.crashNow();
            try {
                pool.close();
            } catch (MpoolException afterCrash) {
                // closing after power failed fails too; the crash image is what counts
            }
        }
        // The shard log's writes are kept, the mblocks' data and tables lost.
        List<FaultInjectingDevice.UnflushedWrite> unflushed = faulty.unflushedWrites();
        List<Fate> fates = new ArrayList<>();
        for (FaultInjectingDevice.UnflushedWrite w : unflushed) {
            boolean inAnMblock = zones.stream().anyMatch(z -> w.offset() >= z[0] && w.offset() < z[1]);
            fates.add(inAnMblock ? Fate.LOST : Fate.KEPT);
        }
        assertThat(fates)
                .as("data, tables and the log block among %s", unflushed)
                .contains(Fate.LOST, Fate.KEPT);
        MemoryDevice image = faulty.crashImage(fates, 1);
        try (Pool check = PoolOpener.open(CAPACITY, MemoryDevices.serving(MemoryDevice.copyOf(image)), true)) {
            assertThat(check.recovery().stream().map(RecoveryCase.Found::what))
                    .as("the image holds the case: commits no flush confirmed, their data torn")
                    .contains(RecoveryCase.UNCONFIRMED_COMMIT_CANCELLED);
        }
        return image;
    }

    private static List<ObjectId> ids(Pool pool) {
        return pool.objects().stream().map(ObjectInfo::id).toList();
    }

    private static MemorySegment pattern(Arena arena, int seed) {
        MemorySegment page = AlignedBuffers.allocate(arena, PAGE);
        for (int i = 0; i < PAGE; i++) {
            page.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + seed));
        }
        return page;
    }
}
