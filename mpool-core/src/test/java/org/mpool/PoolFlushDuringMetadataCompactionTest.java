package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.testing.MemoryDevices;

/**
 * {@code pool.flush()} while a metadata shard compacts (its own compactMetadata, or the
 * automatic one a commit triggers) must succeed. Found by ApiModelTest: it failed now and then
 * with INVALID_STATE "flush on log 22 ... the log is closed". {@code Shard.flush()} flushes the
 * shard's MDC without the compaction lock that its appends take, so it can pick the log being
 * compacted away just before {@code compactEnd} closes it.
 * Fixed: the flush takes the compaction lock's read side, as appends do.
 */
class PoolFlushDuringMetadataCompactionTest {
    @Test
    void aPoolFlushAlongsideMetadataCompactionsSucceeds() throws InterruptedException {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("flush", MemoryDevices.DEFAULT_PATH, options, new MemoryDevices())) {
            for (int i = 0; i < 8; i++) {
                pool.allocateMblock(MediaClass.CAPACITY).commit(); // live records for the compactions to copy
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            Thread compactor = new Thread(() -> {
                while (!stop.get()) {
                    pool.compactMetadata();
                }
            });
            compactor.setDaemon(true);
            compactor.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end && failures.isEmpty()) {
                try {
                    pool.flush();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            stop.set(true);
            compactor.join();
            assertThat(failures)
                    .as("pool.flush() alongside metadata compactions")
                    .isEmpty();
        }
    }
}
