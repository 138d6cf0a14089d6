package org.mpool.log;

import java.util.UUID;
import org.mpool.common.MpoolException;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.LogFormat;
import org.mpool.observe.Counters;
import org.mpool.spi.BlockDevice;

/**
 * Where a log lives and who it is: its extent on a device, and the pool UUID and log id that
 * seed every checksum, so that data of another log or pool is never taken for this one's.
 *
 * @param device the device holding the log
 * @param offset the extent's first byte, a multiple of the log block size
 * @param capacityBytes the extent's length, a multiple of the log block size, at least 2 blocks
 * @param poolUuid the owning pool's UUID
 * @param logId the log's id, unique and never reused within the pool
 * @param bufferBytes the write buffer size, a multiple of the block size, at least 2 blocks
 * @param counters where the log counts its flush rounds and compactions (its pool's counters)
 */
public record LogSpec(
        BlockDevice device,
        long offset,
        long capacityBytes,
        UUID poolUuid,
        long logId,
        int bufferBytes,
        Counters counters) {
    /**
     * Write buffer of a log unless chosen otherwise. It holds more than a MiB of records, so an
     * appender flushing once per MiB never waits for buffer room, and its write-behind (from a
     * quarter full) goes out in requests of 512 KiB or more: each request costs 30–60 µs beyond
     * its bytes on the virtual disk measured (docs/PERFORMANCE.md). One huge page backs it, as
     * it already backed a 1 MiB buffer.
     */
    public static final int DEFAULT_BUFFER_BYTES = 2 << 20;

    public LogSpec {
        int block = LogFormat.BLOCK_SIZE;
        if (offset < 0
                || !AlignedBuffers.isAligned(offset, block)
                || capacityBytes < 2L * block
                || !AlignedBuffers.isAligned(capacityBytes, block)) {
            throw MpoolException.invalid("log extent [" + offset + ", +" + capacityBytes
                    + ") must start on and span whole " + block + "-byte blocks, at least 2");
        }
        if (capacityBytes > device.sizeBytes() - offset) {
            throw MpoolException.invalid(
                    "log extent [" + offset + ", +" + capacityBytes + ") reaches past the end of " + device.name());
        }
        if (capacityBytes / block > 0xFFFF_FFFFL) {
            throw MpoolException.invalid("a log holds fewer than 2^32 blocks (its block index is a u32)");
        }
        if (counters == null) {
            throw MpoolException.invalid("a log needs counters (Counters.NONE: none)");
        }
        if (bufferBytes < 2 * block || bufferBytes % block != 0) {
            throw MpoolException.invalid("log buffer must be whole blocks, at least 2, got " + bufferBytes);
        }
    }

    public LogSpec(BlockDevice device, long offset, long capacityBytes, UUID poolUuid, long logId, int bufferBytes) {
        this(device, offset, capacityBytes, poolUuid, logId, bufferBytes, Counters.NONE);
    }

    public LogSpec(BlockDevice device, long offset, long capacityBytes, UUID poolUuid, long logId) {
        this(device, offset, capacityBytes, poolUuid, logId, DEFAULT_BUFFER_BYTES, Counters.NONE);
    }

    public String describe() {
        return "log " + Long.toHexString(logId) + " at offset " + offset + " of " + device.name();
    }
}
