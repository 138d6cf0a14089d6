package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;

/**
 * A compaction whose start fails after the other log was formatted — the OTHER_FORMATTED record
 * cannot be written to the active log — is not under way. Found by PoolIoErrorTest: the new
 * log stayed the target of appends, a sync append there returned, and open, which never picks a
 * log without an end marker, lost it. Now the append goes to the active log, which refuses it
 * (its write failed), and nothing acknowledged is ever lost.
 */
class MdcCompactStartFailureTest {

    @Test
    void afterAFailedCompactStartNoAppendIsAcknowledgedIntoTheAbandonedLog() {
        try (MemoryDevice mem = new MemoryDevice("mem", 32L * TestLogs.BLOCK)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forErrors(mem);
            LogSpec a = TestLogs.spec(dev, 0, 16, 1, 4);
            LogSpec b = TestLogs.spec(dev, 16, 16, 2, 4);
            LogPair mdc = LogPair.create(a, b, false);
            mdc.append(new byte[] {1}, true);
            // compactStart: the active log's flush (nothing to write), the new log's header (one
            // write), then the OTHER_FORMATTED record appended to the active log: that write fails.
            dev.inject(new Fault(Op.WRITE, ErrorCode.IO, 1, 1));
            assertThatThrownBy(mdc::compactStart)
                    .isInstanceOfSatisfying(
                            MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO));
            assertThat(mdc.compacting())
                    .as("a compaction under way after a failed start")
                    .isFalse();
            List<byte[]> acknowledged = new ArrayList<>(List.of(new byte[] {1}));
            try {
                mdc.append(new byte[] {2}, true);
                acknowledged.add(new byte[] {2});
            } catch (MpoolException refused) {
                assertThat(refused.code()).isEqualTo(ErrorCode.IO);
            }
            try {
                mdc.close();
            } catch (MpoolException refused) {
                // the active log failed: its close says so
            }
            try (LogPair reopened = LogPair.open(a, b)) {
                assertThat(reopened.readAll()).as("after reopen").containsAll(acknowledged);
            }
        }
    }
}
