package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.CheckReport;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * {@code check()} runs while the pool is in use: an object deleted after check listed it is
 * not a problem, and is not counted as checked. Found by ApiModelTest, whose check() alongside
 * another thread's deletes reported "object ... does not exist (or is not committed)" as damage.
 */
class CheckWhileDeletingTest {
    @Test
    void anObjectDeletedDuringTheCheckIsNoProblem() {
        CreateOptions options =
                new CreateOptions().size(32L << 20).mblockSize(1 << 20).shards(1);
        try (Mpool pool = Mpool.create("check", MemoryDevices.DEFAULT_PATH, options, new MemoryDevices())) {
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.commit();
                ids.add(w.id());
            }
            ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(log, 0);
            // After the first object is checked, the next ones go: check listed them already.
            CheckReport report = pool.check((done, total) -> {
                if (done == 1) {
                    pool.delete(ids.get(1));
                    pool.delete(log);
                }
                return 0;
            });
            assertThat(report.problems()).isEmpty();
            assertThat(report.objectsChecked()).isEqualTo(2);
        }
    }
}
