package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * A sync append that an erase overtakes returns: its record was appended, then erased. Found
 * by ApiModelTest (and listed in issue 20): the appender waited for the log's durable end to
 * pass its record's position in the erased generation, which the new generation starts below,
 * so it wrote and flushed round after round and never returned (or stayed parked, if no round
 * came).
 */
class SyncAppendOverlappingEraseTest {
    @Test
    void syncAppendersReturnWhileAnotherThreadErases() throws InterruptedException {
        MemoryDevices devices = new MemoryDevices();
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("erase", MemoryDevices.DEFAULT_PATH, options, devices)) {
            ObjectId id = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(id, 0);
            Mlog log = pool.openMlog(id);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong appended = new AtomicLong();
            List<Thread> appenders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        log.append(new byte[100], true);
                        appended.incrementAndGet();
                    }
                });
                t.setDaemon(true); // a stuck appender must not keep the JVM alive
                appenders.add(t);
                t.start();
            }
            // Erase only once the appenders are appending (on a busy machine they may not have
            // run yet), and go on until they appended alongside at least 100 erases.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (appended.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long before = appended.get();
            for (int i = 0; i < 500 || (appended.get() - before < 100 && System.nanoTime() < deadline); i++) {
                log.erase();
            }
            stop.set(true);
            for (Thread t : appenders) {
                t.join(10_000);
                assertThat(t.isAlive())
                        .as("a sync appender that an erase overtook returns")
                        .isFalse();
            }
            assertThat(appended.get() - before)
                    .as("appends that ran alongside the erases")
                    .isGreaterThanOrEqualTo(100);
            log.append(new byte[] {1}, true);
            assertThat(log.reader().readAll()).isNotEmpty();
        }
    }
}
