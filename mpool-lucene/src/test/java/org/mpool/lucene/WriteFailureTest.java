package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * A device write that fails under an output — in a write-behind thread — is reported by the
 * output's next write or its close, and the file is dropped whole: no name, no mblock left.
 */
class WriteFailureTest {
    static final int MiB = 1 << 20;

    @Test
    void aFailedWriteBehindIsReportedAndTheFileDropped() throws IOException {
        try (MemoryDevice media = new MemoryDevice("cap", 64L * MiB);
                FaultInjectingDevice device = FaultInjectingDevice.forErrors(media);
                Mpool pool = Mpool.create(
                        "wf",
                        MemoryDevices.DEFAULT_PATH,
                        new CreateOptions().size(64L * MiB).mblockSize(MiB).shards(1),
                        MemoryDevices.serving(device));
                MpoolDirectory d = MpoolDirectory.open(pool, "d")) {
            byte[] data = Files2.bytes(1, 3 * MiB + 100);
            IndexOutput out = d.createOutput("doomed", IOContext.DEFAULT);
            // The output's first full buffer is the next device write, made by a write-behind
            // thread: it fails, and a later full buffer, which waits for it, reports it.
            device.inject(new Fault(Op.WRITE, ErrorCode.IO, 0, 1));
            assertThatThrownBy(() -> out.writeBytes(data, 0, data.length))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("IO");
            assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("the file is dropped");
            out.close(); // again: harmless
            assertThat(d.listAll()).doesNotContain("doomed");
            assertThat(pool.objects(d.ownerTag())).as("the catalog only").hasSize(1);
            // The fault was for one write: the directory goes on.
            Files2.write(d, "fine", data);
            assertThat(Files2.read(d, "fine")).isEqualTo(data);
        }
    }
}
