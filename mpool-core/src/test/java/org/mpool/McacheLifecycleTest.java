package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;
import org.mpool.testing.MemoryDevices;

/** Busy-on-delete, use after close, and the errors of map. */
class McacheLifecycleTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    private Mpool newPool() {
        return Mpool.create("life", dir.resolve("cap.img"), MblockFixtures.oneMiBMblocks(64 * MiB));
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOf(MpoolException.class)
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(code);
    }

    @Test
    void deletingAMappedMblockIsBusyUntilEveryMapHoldingItCloses() {
        try (Mpool pool = newPool()) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, 8192, 1);
            ObjectId b = MblockFixtures.write(pool, MediaClass.CAPACITY, 8192, 2);
            Mcache first = pool.map(List.of(a, b), Advice.WARM);
            Mcache second = pool.map(List.of(a), Advice.HOT);
            assertCode(() -> pool.delete(a), ErrorCode.BUSY);
            first.close();
            assertCode(() -> pool.delete(a), ErrorCode.BUSY);
            pool.delete(b); // only the first map held b
            second.close();
            second.close(); // idempotent: releases nothing twice
            pool.delete(a);
            assertCode(() -> pool.map(List.of(a), Advice.WARM), ErrorCode.NOT_FOUND);
            assertThat(pool.stats().mblocks()).isZero();
        }
    }

    @Test
    void useAfterCloseThrowsIllegalStateException() {
        try (Mpool pool = newPool()) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, MblockFixtures.MIB_MBLOCK, 3);
            Mcache map = pool.map(List.of(a), Advice.WARM);
            MemorySegment whole = map.segment();
            MemorySegment ofA = map.segment(a);
            assertThat(whole.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo(ofA.get(ValueLayout.JAVA_BYTE, 0));
            map.close();
            assertThat(map.isClosed()).isTrue();
            assertThatThrownBy(() -> whole.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ofA.get(ValueLayout.JAVA_LONG_UNALIGNED, 100))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ofA.asByteBuffer().get(0)).isInstanceOf(IllegalStateException.class);
            assertCode(() -> map.willNeed(0, 4096), ErrorCode.INVALID_STATE);
            assertCode(map::purge, ErrorCode.INVALID_STATE);
            assertCode(map::residency, ErrorCode.INVALID_STATE);
            assertCode(() -> map.advise(Advice.COLD), ErrorCode.INVALID_STATE);
        }
    }

    @Test
    void closingWhileAnotherThreadReadsStopsTheReaderCleanly() throws Exception {
        try (Mpool pool = newPool()) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, MblockFixtures.MIB_MBLOCK, 4);
            Mcache map = pool.map(List.of(a), Advice.WARM);
            MemorySegment seg = map.segment(a);
            CountDownLatch reading = new CountDownLatch(1);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    long sum = 0;
                    while (true) {
                        sum += MblockFixtures.touchPages(seg);
                        reading.countDown();
                    }
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            reading.await();
            map.close();
            reader.join(10_000);
            assertThat(ended.get()).isInstanceOf(IllegalStateException.class);
            pool.delete(a);
        }
    }

    @Test
    void aConfinedMapIsReadAndClosedByItsThreadOnly() throws Exception {
        Mpool pool = newPool();
        {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, 8192, 1);
            Mcache confined = pool.map(List.of(a), Advice.COLD, true);
            MemorySegment seg = confined.segment(a);
            byte first = seg.get(ValueLayout.JAVA_BYTE, 0);
            AtomicReference<Throwable> read = new AtomicReference<>();
            AtomicReference<Throwable> close = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    seg.get(ValueLayout.JAVA_BYTE, 0);
                } catch (Throwable t) {
                    read.set(t);
                }
                try {
                    confined.close();
                } catch (Throwable t) {
                    close.set(t);
                }
            });
            other.join();
            assertThat(read.get()).isInstanceOf(WrongThreadException.class);
            assertThat(close.get())
                    .as("another thread cannot close it")
                    .isInstanceOf(MpoolException.class)
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.BUSY);
            assertThat(confined.isClosed()).isFalse();
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 0)).as("still mapped").isEqualTo(first);
            assertCode(() -> pool.delete(a), ErrorCode.BUSY);
            confined.close();
            assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
            pool.delete(a); // released by its close
            // The pool's close closes a confined map of its own thread like any other.
            ObjectId b = MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 2);
            Mcache last = pool.map(List.of(b), Advice.WARM, true);
            pool.close();
            assertThat(last.isClosed()).isTrue();
        }
    }

    @Test
    void closingThePoolClosesItsMaps() {
        Mcache map;
        try (Mpool pool = newPool()) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 5);
            map = pool.map(List.of(a), Advice.PINNED);
        }
        assertThat(map.isClosed()).isTrue();
        MemorySegment seg = map.segment();
        assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mapRejectsWhatItCannotMapWithClearErrors() {
        try (Mpool pool = newPool()) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 6);
            assertCode(() -> pool.map(List.of(), Advice.WARM), ErrorCode.INVALID_ARGUMENT);
            assertCode(() -> pool.map(List.of(a, a), Advice.WARM), ErrorCode.INVALID_ARGUMENT);
            ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, MiB);
            pool.commit(log, 0);
            assertCode(() -> pool.map(List.of(a, log), Advice.WARM), ErrorCode.INVALID_ARGUMENT);
            assertCode(
                    () -> pool.map(List.of(ObjectId.of(1L << 40, ObjectId.Type.MBLOCK, 1)), Advice.WARM),
                    ErrorCode.NOT_FOUND);
            assertCode(
                    () -> pool.map(List.of(ObjectId.of(1, ObjectId.Type.MBLOCK, 200)), Advice.WARM),
                    ErrorCode.NOT_FOUND);
            try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
                assertCode(() -> pool.map(List.of(a, w.id()), Advice.WARM), ErrorCode.INVALID_STATE);
            }
            try (Mcache map = pool.map(List.of(a), Advice.WARM)) {
                assertCode(() -> map.willNeed(0, 2 * MiB), ErrorCode.INVALID_ARGUMENT);
                assertCode(() -> map.advise(-1, 1, Advice.HOT), ErrorCode.INVALID_ARGUMENT);
            }
            assertCode(() -> pool.map(Collections.nCopies(16_385, a), Advice.WARM), ErrorCode.INVALID_ARGUMENT);
            pool.delete(a); // failed maps released what they had acquired
        }
    }

    @Test
    void poolsOnMemoryDevicesCannotBeMapped() {
        try (Mpool pool = Mpool.create(
                "mem", dir.resolve("mem.img"), MblockFixtures.oneMiBMblocks(64 * MiB), new MemoryDevices())) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 9);
            assertCode(() -> pool.map(List.of(a), Advice.WARM), ErrorCode.UNSUPPORTED);
            pool.delete(a);
        }
    }

    @Test
    void lookupsOfMblocksNotInTheMapAreNotFound() {
        try (Mpool pool = newPool()) {
            ObjectId a = MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 7);
            ObjectId b = MblockFixtures.write(pool, MediaClass.CAPACITY, 4096, 8);
            try (Mcache map = pool.map(List.of(a), Advice.WARM)) {
                assertCode(() -> map.base(b), ErrorCode.NOT_FOUND);
                assertCode(() -> map.length(b), ErrorCode.NOT_FOUND);
                assertThat(map.advice(a)).isEqualTo(Advice.WARM);
                map.advise(map.base(a), 1, Advice.HOT);
                assertThat(map.advice(a)).isEqualTo(Advice.HOT);
            }
        }
    }
}
