package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.ValueLayout;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * A log of an MDC whose header is damaged has an unknown generation. If it is the older log
 * (no compaction formatted it after the other's end marker), the MDC opens from the other, and
 * compaction never reuses a generation the damaged one may have had. If a compaction formatted
 * it after the other log's end marker, it may hold the newest state: open fails CORRUPT rather
 * than go back to the older state (found by PoolCorruptionTest).
 */
class MdcUnknownGenerationTest {
    private static final UUID POOL = new UUID(3, 4);

    @Test
    void aDamagedOlderLogIsSkippedAndItsGenerationNeverReused() {
        try (MemoryDevice mem = new MemoryDevice("mem", 1 << 20)) {
            LogSpec a = new LogSpec(mem, 0, 64 * 1024, POOL, 0x51, 8192);
            LogSpec b = new LogSpec(mem, 64 * 1024, 64 * 1024, POOL, 0x52, 8192);
            long generationOfA;
            try (LogPair mdc = LogPair.create(a, b, false)) {
                mdc.append(new byte[] {1}, true);
                mdc.compactStart(); // b gets a generation above a's ...
                mdc.append(new byte[] {9}, true);
                mdc.compactEnd(); // ... and is the content: a is the older log now
                generationOfA = generation(a);
            }
            mem.media().set(ValueLayout.JAVA_BYTE, a.offset() + LogFormat.BH_GENERATION, (byte) 0x7f);
            try (LogPair mdc = LogPair.open(a, b)) {
                assertThat(mdc.readAll()).containsExactly(new byte[] {9});
                mdc.compactStart(); // formats a again: never with the generation it may still hold
                mdc.append(new byte[] {2}, false);
                mdc.compactEnd();
            }
            assertThat(generation(a))
                    .as("a's new generation, its old one was %d", generationOfA)
                    .isGreaterThan(generationOfA + LogPair.UNKNOWN_GENERATION_STEP - 1);
            try (LogPair mdc = LogPair.open(a, b)) {
                assertThat(mdc.readAll()).containsExactly(new byte[] {2});
            }
        }
    }

    @Test
    void aDamagedLogFormattedAfterTheOthersCompactionIsCorruptNotSkipped() {
        try (MemoryDevice mem = new MemoryDevice("mem", 1 << 20)) {
            LogSpec a = new LogSpec(mem, 0, 64 * 1024, POOL, 0x51, 8192);
            LogSpec b = new LogSpec(mem, 64 * 1024, 64 * 1024, POOL, 0x52, 8192);
            try (LogPair mdc = LogPair.create(a, b, false)) {
                mdc.append(new byte[] {1}, true);
                mdc.compactStart();
                mdc.append(new byte[] {9}, true);
                mdc.compactEnd(); // b holds the newest state {9}; a the older {1}
                mdc.compactStart(); // a is formatted afresh: b records that
                mdc.compactAbort();
            }
            // a's header damaged: a was formatted after b's end marker, so it may hide a newer
            // state a compaction completed; b alone cannot be trusted to be the newest.
            mem.media().set(ValueLayout.JAVA_BYTE, a.offset() + LogFormat.BH_GENERATION, (byte) 0x7f);
            MpoolException open = catchThrowableOfType(MpoolException.class, () -> LogPair.open(a, b));
            assertThat(open).as("open").isNotNull();
            assertThat(open.code()).isEqualTo(ErrorCode.CORRUPT);
            assertThat(open.getMessage()).contains("header of " + a.describe()).contains("damaged");
            MpoolException read = catchThrowableOfType(MpoolException.class, () -> LogPair.readOnly(a, b));
            assertThat(read).as("a read-only read").isNotNull();
            assertThat(read.code()).isEqualTo(ErrorCode.CORRUPT);
        }
    }

    private static long generation(LogSpec spec) {
        try (LogReader r = RecordLog.read(spec)) {
            return r.generation();
        }
    }
}
