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
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * An mlog's reader (through its handle) that an erase overtakes reads the old generation or
 * the new one, never damage: Mlog is thread-safe, and nothing was damaged. Found by
 * ApiModelTest: a lane reading the shared mlog while lane 0 erased it got CORRUPT ("data
 * written at log position 32 can no longer be read"). {@code RecordLog.reader()} takes the
 * written end under the log's lock but reads block 0 after letting it go; an erase in between
 * leaves a reader of the new, empty generation that expects the old one's records.
 */
class ReaderOvertakenByEraseTest {
    @Test
    void readersAlongsideErasesSeeNoDamage() throws InterruptedException {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("overtaken", MemoryDevices.DEFAULT_PATH, options, new MemoryDevices())) {
            ObjectId id = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(id, 0);
            try (Mlog log = pool.openMlog(id)) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread eraser = new Thread(() -> {
                    while (!stop.get()) {
                        log.erase();
                        for (int i = 0; i < 10; i++) {
                            log.append(new byte[100], false);
                        }
                        log.flush();
                    }
                });
                eraser.setDaemon(true);
                eraser.start();
                List<MpoolException> damage = Collections.synchronizedList(new ArrayList<>());
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < end && damage.isEmpty()) {
                    try {
                        log.reader().readAll();
                    } catch (MpoolException e) {
                        damage.add(e);
                    }
                }
                stop.set(true);
                eraser.join();
                assertThat(damage).as("reads of an mlog another thread erases").isEmpty();
            }
        }
    }
}
