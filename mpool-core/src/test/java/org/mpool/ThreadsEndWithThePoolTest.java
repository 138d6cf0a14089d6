package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/**
 * A client's test framework (Lucene's, OpenSearch's) fails a test whose threads outlive it:
 * every thread mpool starts — write-behind, reaper, prefetch — must end once the last pool of
 * the process closes, within a second.
 */
class ThreadsEndWithThePoolTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    @Test
    void noMpoolThreadOutlivesTheLastPool(@TempDir Path dir) throws Exception {
        try (Mpool a = Mpool.create("threads-a", dir.resolve("a.img"), options());
                Mpool b = Mpool.create("threads-b", dir.resolve("b.img"), options());
                Arena arena = Arena.ofConfined()) {
            // Write-behind: async appends fill a quarter of a log's buffer, then a flush.
            ObjectId log = a.allocateMlog(MediaClass.CAPACITY, 8 << 20);
            a.commit(log, 0);
            try (Mlog m = a.openMlog(log)) {
                byte[] record = new byte[4000];
                for (int i = 0; i < 600; i++) {
                    m.append(record, false);
                }
                m.flush();
            }
            // The reaper (a map) and the prefetch thread (willNeed).
            MblockWriter w = b.allocateMblock(MediaClass.CAPACITY);
            MemorySegment page = Mpool.allocateBuffer(arena, b.mblockCapacity(MediaClass.CAPACITY));
            w.write(page);
            w.commit();
            try (Mcache map = b.map(List.of(w.id()), Advice.WARM)) {
                map.willNeed(0, map.length(w.id()));
                map.segment(w.id()).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
            }
            assertThat(mpoolThreads())
                    .as("mpool's threads while pools are open")
                    .isNotEmpty();
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        List<String> left = mpoolThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            left = mpoolThreads();
        }
        assertThat(left)
                .as("threads named mpool-* alive 1 s after the last pool closed")
                .isEmpty();
    }

    private static CreateOptions options() {
        return new CreateOptions().size(64L << 20).mblockSize(1 << 20);
    }

    private static List<String> mpoolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("mpool-"))
                .toList();
    }
}
