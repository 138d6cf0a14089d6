package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mpool.common.CheckReport;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * {@code check()} on an mlog that its writer erases and fills again meanwhile: the scan may see
 * the old generation or the new one, but the log is not damaged, and check() must not report
 * it. Found by ApiModelTest: check() alongside a lane that erased and refilled its mlog
 * reported "block 0 says generation 2, but the block at log position 2359296 is of the newer
 * generation 3: block 0 is stale". check() reads each mlog as {@code pool.read(id)} does,
 * straight from the media in read-ahead chunks and without the writer's lock, so a scan that
 * read block 0 before an erase meets the new generation's blocks after it.
 *
 * <p>Fixed: a read of an mlog or MDC open in this process goes through its handle, whose
 * reader an erase overtakes ends rather than reporting damage.
 */
class ReadOfAnMlogErasedMeanwhileTest {
    @Test
    void checkAlongsideAnEraseAndRefillFindsNoDamage() throws InterruptedException {
        CreateOptions options =
                new CreateOptions().size(64L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("reread", MemoryDevices.DEFAULT_PATH, options, new MemoryDevices())) {
            ObjectId id = pool.allocateMlog(MediaClass.CAPACITY, 3 << 20);
            pool.commit(id, 0);
            Mlog log = pool.openMlog(id);
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    log.erase();
                    while (log.remaining() > 70_000) {
                        log.append(new byte[64_000], false);
                    }
                    log.flush();
                }
            });
            writer.setDaemon(true);
            writer.start();
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end && problems.isEmpty()) {
                CheckReport report = pool.check((done, total) -> 0);
                problems.addAll(report.problems());
            }
            stop.set(true);
            writer.join();
            log.close();
            assertThat(problems)
                    .as("check() alongside a writer that erases and refills")
                    .isEmpty();
        }
    }
}
