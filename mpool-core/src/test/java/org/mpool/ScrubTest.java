package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mpool.common.CheckReport;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.MediaDamage;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/** A scrub verifies like check, names damaged pages once, keeps to its rate, and stops when interrupted. */
class ScrubTest {
    private static final long LENGTH = 500_000;

    private static MemoryDevices poolWith(int mblocks, List<ObjectId> ids) {
        MemoryDevices devices = new MemoryDevices();
        try (Mpool pool = Mpool.create(
                "scrub",
                MemoryDevices.DEFAULT_PATH,
                new CreateOptions().size(32L << 20).mblockSize(1 << 20),
                devices)) {
            for (int i = 0; i < mblocks; i++) {
                ids.add(MblockFixtures.write(pool, MediaClass.CAPACITY, LENGTH, i));
            }
        }
        return devices;
    }

    @Test
    void aDamagedPageIsReportedOnceNamingTheMblockAndOffset() {
        List<ObjectId> ids = new ArrayList<>();
        MemoryDevices devices = poolWith(3, ids);
        long at;
        try (Mpool pool = Mpool.openReadOnly(MemoryDevices.DEFAULT_PATH, devices)) {
            at = pool.info(ids.get(1)).offsetBytes();
        }
        new MediaDamage(((MemoryDevice) devices.get(MemoryDevices.DEFAULT_PATH)).media()).flipBit(at + 8192 + 3, 6);
        try (Mpool pool = Mpool.openReadOnly(MemoryDevices.DEFAULT_PATH, devices)) {
            CheckReport report = pool.scrub(0, (done, total) -> 0);
            assertThat(report.problems()).hasSize(1);
            String problem = report.problems().getFirst();
            assertThat(problem).startsWith("mblock " + ids.get(1) + ": the page at offset 8192");
            assertThat(problem.indexOf(ids.get(1).toString()))
                    .as("the id named once")
                    .isEqualTo(problem.lastIndexOf(ids.get(1).toString()));
        }
    }

    @Test
    void aScrubKeepsToItsRate() {
        List<ObjectId> ids = new ArrayList<>();
        MemoryDevices devices = poolWith(4, ids);
        try (Mpool pool = Mpool.openReadOnly(MemoryDevices.DEFAULT_PATH, devices)) {
            long rate = 4_000_000; // 2 MB of data: at least 3/4 s, since the last object's bytes count too
            long started = System.nanoTime();
            CheckReport report = pool.scrub(rate, (done, total) -> 0);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(report.healthy()).isTrue();
            assertThat(report.bytesChecked()).isEqualTo(4 * LENGTH);
            assertThat(elapsedMillis).as("at most %d bytes/s", rate).isGreaterThanOrEqualTo(4 * LENGTH * 1000 / rate);
        }
    }

    @Test
    void anInterruptedScrubStopsWithInvalidState() throws InterruptedException {
        List<ObjectId> ids = new ArrayList<>();
        MemoryDevices devices = poolWith(4, ids);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Mpool pool = Mpool.openReadOnly(MemoryDevices.DEFAULT_PATH, devices)) {
            Thread scrubber = new Thread(() -> failure.set(catchThrowableOfType(
                    MpoolException.class, () -> pool.scrub(1_000, (done, total) -> 0)))); // would take 2000 s
            scrubber.start();
            scrubber.interrupt();
            scrubber.join(10_000);
            assertThat(scrubber.isAlive())
                    .as("still scrubbing 10 s after the interrupt")
                    .isFalse();
        }
        assertThat(failure.get()).isInstanceOf(MpoolException.class);
        assertThat(((MpoolException) failure.get()).code()).isEqualTo(ErrorCode.INVALID_STATE);
    }

    @Test
    void aNegativeRateIsRefused() {
        List<ObjectId> ids = new ArrayList<>();
        try (Mpool pool = Mpool.openReadOnly(MemoryDevices.DEFAULT_PATH, poolWith(1, ids))) {
            MpoolException e = catchThrowableOfType(MpoolException.class, () -> pool.scrub(-1, (d, t) -> 0));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }
}
