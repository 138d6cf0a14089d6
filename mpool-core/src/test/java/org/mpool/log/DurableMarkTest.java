package org.mpool.log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * Block 0's durable mark (docs/FORMAT.md §3): written by a close that appended records, once
 * they are durable; kept by later opens; never written by a close that appended nothing, so a
 * tail that recovery found but no flush acknowledged stays unconfirmed; cleared by an erase.
 */
class DurableMarkTest {
    private static final int BLOCKS = 16;

    @Test
    void aCloseAfterAppendsMarksTheirEndAndAnOpenKeepsIt() {
        try (MemoryDevice dev = new MemoryDevice("mark", (long) BLOCKS * TestLogs.BLOCK)) {
            LogSpec spec = spec(dev);
            long end;
            try (RecordLog log = RecordLog.format(spec, 1, false)) {
                for (int i = 0; i < 40; i++) {
                    log.append(Records.make(3, i, 150), false); // one batch: no fragment vouches for it
                }
                end = log.usedBytes();
            }
            assertThat(mark(dev, spec))
                    .as("the mark: the records' end, rounded down to its unit")
                    .isEqualTo(end / LogFormat.DURABLE_MARK_UNIT * LogFormat.DURABLE_MARK_UNIT)
                    .isGreaterThan(end - LogFormat.DURABLE_MARK_UNIT);
            RecordLog.open(spec).close();
            assertThat(mark(dev, spec))
                    .as("after a session that appended nothing")
                    .isEqualTo(mark(end));
        }
    }

    @Test
    void aCloseWithoutAppendsWritesNothingAndLeavesAnUnacknowledgedTailUnconfirmed() {
        try (MemoryDevice dev = new MemoryDevice("mark", (long) BLOCKS * TestLogs.BLOCK)) {
            LogSpec spec = spec(dev);
            RecordLog crashed = RecordLog.format(spec, 1, false);
            crashed.append(Records.make(4, 0, 100), true);
            long secondFrame = crashed.usedBytes();
            crashed.append(Records.make(4, 1, 100), true); // no later fragment says it is durable
            // Power is lost here: crashed is never closed.
            RecordLog reopened = RecordLog.open(spec);
            byte[] afterRecovery = dev.media().toArray(JAVA_BYTE);
            reopened.close();
            assertThat(dev.media().toArray(JAVA_BYTE))
                    .as("a close that appended nothing writes nothing")
                    .isEqualTo(afterRecovery);
            try (LogReader reader = RecordLog.read(spec)) {
                assertThat(reader.readAll()).hasSize(2);
                assertThat(reader.durableWatermark())
                        .as("the second record is still unconfirmed: nothing vouched for it")
                        .isLessThanOrEqualTo(secondFrame);
            }
        }
    }

    @Test
    void anEraseClearsTheMarkAndTheNextCloseSetsItAgain() {
        try (MemoryDevice dev = new MemoryDevice("mark", (long) BLOCKS * TestLogs.BLOCK)) {
            LogSpec spec = spec(dev);
            try (RecordLog log = RecordLog.format(spec, 1, false)) {
                log.append(Records.make(5, 0, 3000), true);
                log.append(Records.make(5, 1, 3000), true);
            }
            assertThat(mark(dev, spec)).as("marked by the first close").isPositive();
            try (RecordLog log = RecordLog.open(spec)) {
                log.erase();
            }
            assertThat(mark(dev, spec))
                    .as("after an erase and nothing appended")
                    .isZero();
            long end;
            try (RecordLog log = RecordLog.open(spec)) {
                log.append(Records.make(5, 2, 3000), true);
                log.append(Records.make(5, 3, 3000), true);
            }
            try (RecordLog log = RecordLog.open(spec)) {
                log.erase();
                log.append(Records.make(5, 4, 10), true); // ends far below the mark the erase cleared
                end = log.usedBytes();
            }
            assertThat(mark(dev, spec))
                    .as("after an erase and an append in one session")
                    .isEqualTo(mark(end));
        }
    }

    private static long mark(long durable) {
        return durable / LogFormat.DURABLE_MARK_UNIT * LogFormat.DURABLE_MARK_UNIT;
    }

    private static long mark(MemoryDevice dev, LogSpec spec) {
        return LogFormat.readBlockHeader(dev.media().asSlice(spec.offset(), LogFormat.BLOCK_SIZE))
                .durableMark();
    }

    private static LogSpec spec(MemoryDevice dev) {
        return TestLogs.spec(dev, 0, BLOCKS, 0x4D, 4);
    }
}
