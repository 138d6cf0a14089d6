package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.mpool.common.MpoolException;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * Threads that sync-append numbered records to one log until an append fails, remembering what
 * each attempted and how many of its appends returned. Thread t's record j carries the number
 * t * 1,000,000 + j, so a recovered log tells whose record each one is.
 */
final class SyncAppenders {
    final List<List<byte[]>> attempted = new ArrayList<>();
    final AtomicInteger[] acked;
    /** Sync appends returned, all threads together. */
    final AtomicInteger total = new AtomicInteger();
    /** The first failure that {@code expected} did not accept, if any. */
    final AtomicReference<Throwable> unexpected = new AtomicReference<>();

    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts {@code count} threads appending records of 8 to 8 + {@code extraBytes} - 1 bytes;
     * a thread ends quietly at a failure {@code expected} accepts.
     */
    SyncAppenders(RecordLog log, long seed, int count, int extraBytes, Predicate<MpoolException> expected) {
        acked = new AtomicInteger[count];
        for (int t = 0; t < count; t++) {
            List<byte[]> mine = new ArrayList<>();
            attempted.add(mine);
            AtomicInteger myAcked = acked[t] = new AtomicInteger();
            SplittableRandom r = new SplittableRandom(Seeds.derive(seed, t));
            long thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int j = 0; ; j++) {
                        byte[] rec = Records.make(seed, thread * 1_000_000 + j, 8 + r.nextInt(extraBytes));
                        mine.add(rec);
                        log.append(rec, true);
                        myAcked.set(j + 1);
                        total.incrementAndGet();
                    }
                } catch (MpoolException e) {
                    if (!expected.test(e)) {
                        unexpected.set(e);
                    }
                } catch (Throwable e) {
                    unexpected.set(e);
                }
            }));
        }
    }

    /** Waits for every thread, at most {@code millis} each; false if one is still running. */
    boolean join(long millis) throws InterruptedException {
        for (Thread t : threads) {
            t.join(millis);
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    long acknowledged() {
        long sum = 0;
        for (AtomicInteger a : acked) {
            sum += a.get();
        }
        return sum;
    }

    /** The log on {@code image} holds every acknowledged record, each thread's as a prefix of its appends. */
    void checkAcknowledgedOn(MemoryDevice image, LogSpec spec, String what) {
        try (image;
                RecordLog log = RecordLog.open(TestLogs.on(image, spec))) {
            int[] seen = new int[acked.length];
            for (byte[] rec : log.reader().readAll()) {
                long sequence = Records.sequenceOf(rec);
                int t = (int) (sequence / 1_000_000);
                int j = (int) (sequence % 1_000_000);
                assertThat(t).as("thread of a recovered record, %s", what).isBetween(0, acked.length - 1);
                assertThat(j).as("thread %d's next record, %s", t, what).isEqualTo(seen[t]);
                assertThat(rec)
                        .as("thread %d's record %d, %s", t, j, what)
                        .isEqualTo(attempted.get(t).get(j));
                seen[t]++;
            }
            for (int t = 0; t < acked.length; t++) {
                assertThat(seen[t])
                        .as("records of thread %d recovered, of %d acknowledged, %s", t, acked[t].get(), what)
                        .isGreaterThanOrEqualTo(acked[t].get());
            }
        }
    }
}
