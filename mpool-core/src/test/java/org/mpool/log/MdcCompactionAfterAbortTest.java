package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpool.testing.MemoryDevice;

/**
 * A compaction started after an abandoned one formats a generation of its own. Found by the
 * pool crash explorer: the second compaction reused the abandoned one's generation, its new
 * header kept the abandoned frames past the first sector, and a crash right after it left a
 * log whose stale frames claimed records durable that the header had wiped: CORRUPT.
 */
class MdcCompactionAfterAbortTest {

    @Test
    void aCrashAfterTheNextCompactionStartsRecoversTheContentBeforeIt() {
        try (MemoryDevice mem = new MemoryDevice("mem", 32L * TestLogs.BLOCK)) {
            LogSpec a = TestLogs.spec(mem, 0, 16, 1, 4);
            LogSpec b = TestLogs.spec(mem, 16, 16, 2, 4);
            LogPair mdc = LogPair.create(a, b, false);
            mdc.append(new byte[] {1}, true);
            mdc.compactStart();
            for (int i = 0; i < 8; i++) {
                mdc.append(new byte[200], false);
            }
            mdc.compactAbort(); // flushes the abandoned log's frames into log b's first block
            mdc.compactStart(); // a new header over log b's first sector
            // The crash: the handle is dropped without a close, and the media is opened again.
            try (LogPair reopened = LogPair.open(a, b)) {
                assertThat(reopened.readAll()).containsExactly(new byte[] {1});
            }
            try (RecordReader reader = LogPair.readOnlyReader(a, b)) {
                assertThat(reader.readAll()).containsExactly(new byte[] {1});
            }
        }
    }

    /**
     * During a compaction a flush reaches only the new log; the old one, which a crash before
     * {@code compactEnd} recovers, is flushed when the compaction starts. After an abort, the
     * next start appends nothing to the old log (its OTHER_FORMATTED record is there already),
     * so that flush alone makes the records appended before it durable.
     */
    @Test
    void aFlushDuringTheNextCompactionCoversWhatTheOldLogWasGivenBeforeIt() {
        try (MemoryDevice mem = new MemoryDevice("mem", 32L * TestLogs.BLOCK)) {
            MdcLogs logs = MdcLogs.halves(mem, 4);
            LogPair mdc = logs.create();
            mdc.compactStart();
            mdc.compactAbort();
            mdc.append(new byte[] {7}, false);
            mdc.compactStart();
            mdc.flush(); // every record appended so far is durable
            // The crash, before compactEnd: the old log's content is what counts.
            try (MemoryDevice crashed = MemoryDevice.copyOf(mem);
                    LogPair reopened = logs.on(crashed).open()) {
                assertThat(reopened.readAll()).containsExactly(new byte[] {7});
            }
            mdc.close();
        }
    }
}
