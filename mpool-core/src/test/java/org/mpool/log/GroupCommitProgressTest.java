package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * Every sync appender returns, also the last ones of a run when nobody comes after them to
 * lead another round. A flush round's leader may wait for committers on their way in
 * (RecordLog.gather); a leader whose own records were already durable once returned after such a
 * wait without running the round, stranding the committers that had joined it (found with 16
 * threads committing small mblocks: 10 of them parked for good). Threads here append records
 * (some longer than the write buffer) until together they have made a few hundred, then all
 * stop at once, so the last round often finds nobody behind it; a stranded waiter shows as a
 * thread that does not end. Twenty such endings per run.
 */
class GroupCommitProgressTest {
    private static final int THREADS = 16;
    private static final int APPENDS = 400;

    @Test
    void everySyncAppenderReturnsWhenTheOthersStop() throws Exception {
        long base = Seeds.base("GroupCommitProgressTest.everySyncAppenderReturnsWhenTheOthersStop");
        for (int run = 0; run < 20; run++) {
            check(Seeds.derive(base, run));
        }
    }

    private static void check(long seed) throws Exception {
        long blocks = 8192;
        try (MemoryDevice mem = new MemoryDevice("mem", blocks * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(new LatencyDevice(mem, 100_000), 0, blocks, 82, 8);
            List<List<byte[]>> appended = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger total = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            try (RecordLog log = RecordLog.format(spec, 1, false)) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    List<byte[]> mine = new ArrayList<>();
                    appended.add(mine);
                    SplittableRandom r = new SplittableRandom(Seeds.derive(seed, t));
                    long thread = t;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            for (int j = 0; !stop.get(); j++) {
                                // One in 25 records spans more than the 8-block buffer.
                                int size = r.nextInt(25) == 0
                                        ? 9 * TestLogs.BLOCK + r.nextInt(TestLogs.BLOCK)
                                        : 1 + r.nextInt(200);
                                byte[] rec = Records.make(seed, thread * 1_000_000 + j, size);
                                log.append(rec, r.nextInt(10) != 0);
                                mine.add(rec);
                                if (total.incrementAndGet() >= APPENDS) {
                                    stop.set(true);
                                }
                                if (r.nextInt(20) == 0) {
                                    log.flush();
                                }
                            }
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                    assertThat(t.isAlive())
                            .as("an appender still waiting 60 s after starting, seed %d", seed)
                            .isFalse();
                }
                assertThat(failure.get()).as("appender failure, seed %d", seed).isNull();
                log.flush();
                List<byte[]> read = log.reader().readAll();
                assertThat(read).as("records read back, seed %d", seed).hasSize(total.get());
                for (List<byte[]> mine : appended) {
                    // A thread that started after the others had made them all appends nothing;
                    // AssertJ fails any non-empty list against an empty subsequence.
                    if (!mine.isEmpty()) {
                        assertThat(read).as("seed %d", seed).containsSubsequence(mine);
                    }
                }
            }
        }
    }
}
