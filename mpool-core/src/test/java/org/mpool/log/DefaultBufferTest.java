package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;

/**
 * The default write buffer holds a MiB of 100-byte records with their framing, so an appender
 * that flushes once per MiB never has to write out itself to make room before its flush (with
 * a 1 MiB buffer it did, every other MiB: the framing makes a MiB of records a little more).
 * Write-behind never runs here, so any write before the flush is one the appender had to make.
 */
class DefaultBufferTest {
    private static final int RECORD = 100;
    private static final int RECORDS_PER_MIB = (1 << 20) / RECORD + 1;

    @Test
    void aMiBOfSmallRecordsWaitsInTheBufferUntilItsFlush() {
        try (MemoryDevice mem = new MemoryDevice("mem", 64L << 20)) {
            FaultInjectingDevice counting = FaultInjectingDevice.forErrors(mem); // counts writes
            LogSpec spec = new LogSpec(counting, 0, 32L << 20, UUID.randomUUID(), 1);
            assertThat(spec.bufferBytes()).isEqualTo(LogSpec.DEFAULT_BUFFER_BYTES);
            try (RecordLog log = RecordLog.format(spec, 1, false, task -> {})) {
                byte[] record = new byte[RECORD];
                for (int mib = 0; mib < 4; mib++) {
                    long before = counting.writeCount();
                    for (int i = 0; i < RECORDS_PER_MIB; i++) {
                        log.append(record, false);
                    }
                    assertThat(counting.writeCount())
                            .as("device writes while appending MiB %d", mib)
                            .isEqualTo(before);
                    log.flush();
                    assertThat(counting.writeCount())
                            .as("device writes of the flush after MiB %d", mib)
                            .isGreaterThan(before);
                }
                assertThat(log.reader().readAll()).hasSize(4 * RECORDS_PER_MIB);
            }
        }
    }
}
