package org.mpool.meta;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.mpool.format.LogFormat;
import org.mpool.format.LogIds;
import org.mpool.log.LogSpec;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.MemoryDevice;

/** Log extents for the catalog tests: an MDC's two logs side by side at the start of a device, as Layout names them. */
final class MetaLogs {
    static final UUID POOL = new UUID(0x6d706f6f6cL, 0x6d657461L);
    static final int BLOCK = LogFormat.BLOCK_SIZE;

    private MetaLogs() {}

    /** The two logs of shard {@code shard}, {@code blocks} blocks each, with a buffer of {@code bufferBlocks}. */
    static LogSpec[] shard(BlockDevice device, int shard, long blocks, int bufferBlocks) {
        return pair(device, LogIds.shard(shard, 0), LogIds.shard(shard, 1), blocks, bufferBlocks);
    }

    /** The two logs of MDC-0. */
    static LogSpec[] mdc0(BlockDevice device, long blocks, int bufferBlocks) {
        return pair(device, LogIds.mdc0(0), LogIds.mdc0(1), blocks, bufferBlocks);
    }

    private static LogSpec[] pair(BlockDevice device, long id0, long id1, long blocks, int bufferBlocks) {
        return new LogSpec[] {
            new LogSpec(device, 0, blocks * BLOCK, POOL, id0, bufferBlocks * BLOCK),
            new LogSpec(device, blocks * BLOCK, blocks * BLOCK, POOL, id1, bufferBlocks * BLOCK)
        };
    }

    /** The same logs on another device (a crash image or a copy). */
    static LogSpec[] on(BlockDevice device, LogSpec[] specs) {
        LogSpec[] out = new LogSpec[specs.length];
        for (int i = 0; i < specs.length; i++) {
            LogSpec s = specs[i];
            out[i] = new LogSpec(device, s.offset(), s.capacityBytes(), s.poolUuid(), s.logId(), s.bufferBytes());
        }
        return out;
    }

    /** Whether two memory devices hold the same bytes. */
    static boolean sameBytes(MemoryDevice a, MemoryDevice b) {
        MemorySegment x = a.media();
        MemorySegment y = b.media();
        return x.byteSize() == y.byteSize() && x.mismatch(y) == -1;
    }

    static Map<Long, ObjectTable.Entry> contents(ObjectTable table) {
        Map<Long, ObjectTable.Entry> seen = new HashMap<>();
        table.forEach(e -> seen.put(e.id(), e));
        return seen;
    }
}
