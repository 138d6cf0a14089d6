package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * A flush fails while sync appenders wait for it: none of them returns for a record the
 * failed flush left unflushed, every one of them ends (with IO), and the media as of the last
 * good flush holds every record that was acknowledged. (Written for an experiment in which
 * waiters returned without retaking the log's lock — docs/PERFORMANCE.md, group commit; it
 * guards any change to how waiters learn a round's outcome.)
 */
class GroupCommitFailureTest {
    private static final int THREADS = 8;

    @Test
    void waitersOfAFailedFlushGetIoAndAcknowledgedRecordsAreDurable() throws Exception {
        long base = Seeds.base("GroupCommitFailureTest.waitersOfAFailedFlushGetIoAndAcknowledgedRecordsAreDurable");
        for (int i = 0; i < 10; i++) {
            check(Seeds.derive(base, i));
        }
    }

    private static void check(long seed) throws Exception {
        long blocks = 2048;
        SplittableRandom random = new SplittableRandom(seed);
        try (MemoryDevice mem = new MemoryDevice("mem", blocks * TestLogs.BLOCK)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(mem);
            LogSpec spec = TestLogs.spec(new LatencyDevice(dev, 100_000), 0, blocks, 83, 16);
            RecordLog log = RecordLog.format(spec, 1, false);
            dev.inject(new Fault(Op.FLUSH, ErrorCode.IO, 50 + random.nextInt(200), Long.MAX_VALUE));
            SyncAppenders appenders = new SyncAppenders(log, seed, THREADS, 400, e -> e.code() == ErrorCode.IO);
            assertThat(appenders.join(30_000))
                    .as("every sync appender ended after the failed flush, seed %d", seed)
                    .isTrue();
            assertThat(appenders.unexpected.get())
                    .as("appender failure, seed %d", seed)
                    .isNull();
            assertThat(dev.flushCount())
                    .as("flushes that succeeded, seed %d", seed)
                    .isGreaterThan(50);
            try {
                log.close();
            } catch (MpoolException e) {
                // Expected: records appended after the last good flush are not durable.
            }
            // Power fails now and takes every write the failed flush did not cover.
            appenders.checkAcknowledgedOn(dev.durableImage(), spec, "seed " + seed);
            dev.close();
        }
    }
}
