package org.mpool.log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * A log formatted with zero fill (the pool does it for its shard logs on files, where synced
 * appends into holes are slow) has its whole extent written with zeros before the new header:
 * nothing of what the extent held before is left, and nothing outside it is touched.
 */
class ZeroFillTest {
    private static final int BLOCKS = 24;
    /** The log's extent: blocks [4, 20), with a buffer of 2 blocks, so the fill takes several writes. */
    private static final long FIRST = 4;

    private static final long LENGTH = 16;

    @Test
    void aZeroFilledLogKeepsOnlyItsHeaderAndTouchesNothingOutsideItsExtent() {
        try (MemoryDevice dev = new MemoryDevice("zero", (long) BLOCKS * TestLogs.BLOCK)) {
            MemorySegment media = dev.media();
            media.fill((byte) 0x5a);
            LogSpec spec = TestLogs.spec(dev, FIRST, LENGTH, 3, 2);
            RecordLog.format(spec, 1, true, Runnable::run).close();
            long from = FIRST * TestLogs.BLOCK;
            long to = (FIRST + LENGTH) * TestLogs.BLOCK;
            for (long i = 0; i < media.byteSize(); i++) {
                byte b = media.get(JAVA_BYTE, i);
                if (i < from || i >= to) {
                    assertThat(b).as("byte %d, outside the extent", i).isEqualTo((byte) 0x5a);
                } else if (i >= from + LogFormat.BLOCK_HEADER_SIZE) {
                    assertThat(b).as("byte %d of the extent", i - from).isZero();
                }
            }
            try (LogReader reader = RecordLog.read(spec)) {
                assertThat(reader.readAll()).isEmpty();
            }
        }
    }
}
