package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * A flush during an MDC compaction makes the records appended before it started durable too:
 * a crash before {@code compactEnd} recovers that state, so those records are what the flush
 * must keep. Found by ApiModelTest: {@code Mdc.flush()} and {@code pool.flush()} flushed only
 * the log the compaction writes, an async append made before {@code compactStart} stayed in
 * the old log's buffer, and a power loss then lost it although the flush had returned.
 */
class MdcFlushDuringCompactionTest {
    @Test
    void recordsAppendedBeforeTheCompactionSurviveAPowerLossAfterAFlush() {
        FaultInjectingDevice device = FaultInjectingDevice.forCrashes(new MemoryDevice("capacity", 32L << 20));
        MemoryDevices devices = MemoryDevices.serving(device);
        CreateOptions options = new CreateOptions().mblockSize(1 << 20).shards(1);
        byte[] before = {1, 2, 3};
        byte[] during = {4, 5};
        ObjectId id;
        try (Mpool pool = Mpool.create("mdc", MemoryDevices.DEFAULT_PATH, options, devices)) {
            id = pool.allocateMdc(MediaClass.CAPACITY, 1);
            pool.commit(id, 0);
            Mdc mdc = pool.openMdc(id);
            mdc.append(before, false);
            mdc.compactStart();
            mdc.append(during, false);
            mdc.flush(); // every record appended so far is durable
            try (Mpool recovered =
                    Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(device.durableImage()))) {
                List<byte[]> records = recovered.read(id).readAll();
                assertThat(records).as("the state before the compaction, whole").containsExactly(before);
            }
            pool.flush();
            try (Mpool recovered =
                    Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(device.durableImage()))) {
                assertThat(recovered.read(id).readAll()).containsExactly(before);
            }
        }
    }
}
