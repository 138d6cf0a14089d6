package org.mpool.log;

import java.util.UUID;
import org.mpool.format.LogFormat;
import org.mpool.spi.BlockDevice;

/** Log extents for tests: one pool identity, logs placed by block index. */
final class TestLogs {
    static final UUID POOL = new UUID(0x6d706f6f6cL, 0x74657374L);
    static final int BLOCK = LogFormat.BLOCK_SIZE;

    private TestLogs() {}

    static LogSpec spec(BlockDevice device, long firstBlock, long blocks, long logId, int bufferBlocks) {
        return new LogSpec(device, firstBlock * BLOCK, blocks * BLOCK, POOL, logId, bufferBlocks * BLOCK);
    }

    /** What seeds the checksums of {@code spec}'s log: its pool and log id. */
    static LogFormat.Seed seed(LogSpec spec) {
        return new LogFormat.Seed(spec.poolUuid(), spec.logId());
    }

    /** The same extent and identity on another device (a crash image or a copy). */
    static LogSpec on(BlockDevice device, LogSpec spec) {
        return new LogSpec(
                device, spec.offset(), spec.capacityBytes(), spec.poolUuid(), spec.logId(), spec.bufferBytes());
    }
}
