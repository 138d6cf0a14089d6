package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;

class FlushCombiningDeviceTest {
    /** A memory device whose flushes can be held open and are counted. */
    private static final class GatedDevice extends ForwardingDevice {
        final AtomicInteger flushes = new AtomicInteger();
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);

        GatedDevice() {
            super(new MemoryDevice("gated", 1 << 20));
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            entered.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            super.flush();
        }
    }

    @Test
    void aFlushAlreadyRunningDoesNotSatisfyALaterCaller() throws Exception {
        GatedDevice inner = new GatedDevice();
        inner.release = new CountDownLatch(1);
        FlushCombiningDevice dev = new FlushCombiningDevice(inner);
        Thread first = Thread.ofPlatform().start(dev::flush);
        assertThat(inner.entered.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger secondDone = new AtomicInteger();
        Thread second = Thread.ofPlatform().start(() -> {
            dev.flush();
            secondDone.incrementAndGet();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until the second caller waits for the running flush
        }
        assertThat(second.getState()).isEqualTo(Thread.State.WAITING);
        assertThat(secondDone.get()).isZero();
        inner.entered = new CountDownLatch(1);
        inner.release.countDown(); // the first flush completes; the second caller needs a new one
        first.join(10_000);
        second.join(10_000);
        assertThat(secondDone.get()).isEqualTo(1);
        assertThat(inner.flushes.get())
                .as("the later caller got a flush of its own")
                .isEqualTo(2);
    }

    @Test
    void concurrentCallersShareFlushes() throws Exception {
        GatedDevice inner = new GatedDevice();
        FlushCombiningDevice dev = new FlushCombiningDevice(inner);
        int threads = 8;
        int each = 200;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    dev.flush();
                }
            }));
        }
        for (Thread w : workers) {
            w.join(30_000);
        }
        assertThat(inner.flushes.get()).isBetween(1, threads * each);
    }

    @Test
    void aFailedFlushFailsEveryLaterFlushToo() {
        FaultInjectingDevice faulty = FaultInjectingDevice.forErrors(new MemoryDevice("m", 1 << 20));
        FlushCombiningDevice dev = new FlushCombiningDevice(faulty);
        faulty.inject(new FaultInjectingDevice.Fault(FaultInjectingDevice.Op.FLUSH, ErrorCode.IO, 0, 1));
        assertThatThrownBy(dev::flush)
                .isInstanceOf(MpoolException.class)
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.IO);
        // The device may have dropped writes it had accepted before the failed flush: a later
        // flush that succeeds would vouch for them, so later flushes fail until reopened.
        long flushesSoFar = faulty.flushCount();
        assertThatThrownBy(dev::flush)
                .isInstanceOf(MpoolException.class)
                .hasMessageContaining("an earlier flush failed")
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.IO);
        assertThat(faulty.flushCount()).as("flushes issued after the failure").isEqualTo(flushesSoFar);
    }
}
