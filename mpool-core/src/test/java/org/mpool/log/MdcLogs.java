package org.mpool.log;

import java.util.List;
import org.mpool.spi.BlockDevice;

/**
 * The two logs of a test MDC, each half of its device: log id 1 first, log id 2 second. An MDC
 * on them writes behind inline, so a copy of the device taken between two calls is what a
 * power loss there would leave.
 */
record MdcLogs(LogSpec first, LogSpec second) {
    static MdcLogs halves(BlockDevice device, int bufferBlocks) {
        long blocks = device.sizeBytes() / TestLogs.BLOCK / 2;
        return new MdcLogs(
                TestLogs.spec(device, 0, blocks, 1, bufferBlocks),
                TestLogs.spec(device, blocks, blocks, 2, bufferBlocks));
    }

    /** The same logs on another device (a crash image or a copy). */
    MdcLogs on(BlockDevice device) {
        return new MdcLogs(TestLogs.on(device, first), TestLogs.on(device, second));
    }

    LogPair create() {
        return LogPair.create(first, second, false, Runnable::run);
    }

    LogPair open() {
        return LogPair.open(first, second, Runnable::run);
    }

    List<LogPair.Record> readOnly() {
        return LogPair.readOnly(first, second);
    }
}
