package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
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
 * After a failed write or flush a log refuses every further write with IO until it is
 * reopened, never reports success for records that are not durable, and reopening recovers
 * a prefix holding every acknowledged record.
 */
class IoFailureTest {

    @Test
    void afterAFailedFlushTheLogRefusesWritesUntilReopened() {
        long base = Seeds.base("IoFailureTest.afterAFailedFlushTheLogRefusesWritesUntilReopened");
        for (int i = 0; i < 200; i++) {
            long seed = Seeds.derive(base, i);
            SplittableRandom r = new SplittableRandom(seed);
            try (MemoryDevice mem = new MemoryDevice("mem", 512L * TestLogs.BLOCK)) {
                FaultInjectingDevice dev = FaultInjectingDevice.forErrors(mem);
                LogSpec spec = TestLogs.spec(dev, 0, 512, 41, 2 + r.nextInt(6));
                List<byte[]> appended = new ArrayList<>();
                int acked = 0;
                RecordLog log = RecordLog.format(spec, 1, false);
                // Flushes are counted from the device's creation: let the next few succeed.
                dev.inject(new Fault(Op.FLUSH, ErrorCode.IO, r.nextInt(12), 1));
                MpoolException failure = null;
                while (failure == null) {
                    byte[] rec =
                            Records.make(seed, appended.size(), r.nextInt(5) == 0 ? r.nextInt(20_000) : r.nextInt(300));
                    appended.add(rec);
                    try {
                        boolean sync = r.nextInt(3) == 0;
                        log.append(rec, sync);
                        if (sync || r.nextInt(4) == 0) {
                            if (!sync) {
                                log.flush();
                            }
                            acked = appended.size();
                        }
                    } catch (MpoolException e) {
                        failure = e;
                    }
                }
                String what = "seed " + seed + ", " + appended.size() + " appended, " + acked + " acknowledged";
                assertThat(failure.code()).as("the failed flush, %s", what).isEqualTo(ErrorCode.IO);
                RecordLog failed = log;
                for (Runnable op : List.<Runnable>of(
                        () -> failed.append(new byte[1], false),
                        () -> failed.append(new byte[1], true),
                        failed::flush,
                        failed::erase)) {
                    MpoolException e = catchThrowableOfType(MpoolException.class, op::run);
                    assertThat(e).as("an operation after the failure, %s", what).isNotNull();
                    assertThat(e.code())
                            .as("an operation after the failure, %s", what)
                            .isEqualTo(ErrorCode.IO);
                }
                MpoolException onClose = catchThrowableOfType(MpoolException.class, log::close);
                assertThat(onClose)
                        .as("close with records not durable, %s", what)
                        .isNotNull();
                assertThat(onClose.code())
                        .as("close with records not durable, %s", what)
                        .isEqualTo(ErrorCode.IO);

                try (RecordLog reopened = RecordLog.open(spec)) {
                    List<byte[]> read = reopened.reader().readAll();
                    assertThat(Records.prefixMismatch(read, appended))
                            .as("after reopen, %s", what)
                            .isNull();
                    assertThat(read.size()).as("records after reopen, %s", what).isGreaterThanOrEqualTo(acked);
                    byte[] more = Records.make(seed, 1_000_000, 10);
                    reopened.append(more, true); // the reopened log takes writes again
                    read.add(more);
                    assertThat(reopened.reader().readAll())
                            .as("append after reopen, %s", what)
                            .containsExactlyElementsOf(read);
                }
            }
        }
    }

    /**
     * A failed background write-out is seen by no caller: the next one, close, must report it
     * rather than return as if the async records before it were durable. (Found by
     * LogCrashExplorerTest, sequence -6657013661934660199:20.)
     */
    @Test
    void closeReportsAFailedWriteBehind() {
        try (MemoryDevice mem = new MemoryDevice("mem", 64L * TestLogs.BLOCK)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forErrors(mem);
            LogSpec spec = TestLogs.spec(dev, 0, 64, 42, 4);
            RecordLog log = RecordLog.format(spec, 1, false, Runnable::run);
            long writes = dev.writeCount();
            dev.inject(new Fault(Op.WRITE, ErrorCode.IO, 0, 1)); // the next write fails (skip counts from injection)
            log.append(
                    new byte[3 * TestLogs.BLOCK],
                    false); // fills a quarter of the buffer and more: write-behind starts, fails
            assertThat(dev.writeCount()).as("writes that succeeded").isEqualTo(writes);
            MpoolException e = catchThrowableOfType(MpoolException.class, log::close);
            assertThat(e).as("close after a failed write-behind").isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.IO);
            try (RecordLog reopened = RecordLog.open(spec)) {
                assertThat(reopened.reader().readAll()).isEmpty();
            }
        }
    }

    /**
     * The records are durable when a close writes its durable mark: if that write fails, the
     * close says so, naming the log, and the records read back after a reopen.
     */
    @Test
    void aCloseWhoseDurableMarkFailsSaysSoAndKeepsTheRecords() {
        try (MemoryDevice mem = new MemoryDevice("mem", 64L * TestLogs.BLOCK)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forErrors(mem);
            LogSpec spec = TestLogs.spec(dev, 0, 64, 43, 4);
            RecordLog log = RecordLog.format(spec, 1, false, Runnable::run);
            List<byte[]> records = List.of(Records.make(9, 0, 200), Records.make(9, 1, 300));
            for (byte[] r : records) {
                log.append(r, true);
            }
            dev.inject(new Fault(Op.WRITE, ErrorCode.IO, 0, 1)); // the next write: block 0 with the mark
            MpoolException e = catchThrowableOfType(MpoolException.class, log::close);
            assertThat(e).as("close whose mark write failed").isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.IO);
            assertThat(e.getMessage()).contains(spec.describe()).contains("records are durable");
            try (RecordLog reopened = RecordLog.open(spec)) {
                assertThat(reopened.reader().readAll()).containsExactlyElementsOf(records);
            }
        }
    }
}
