package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.ForwardingDevice;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.MemoryDevice;

/** A log's extent and buffer are checked where they are named: each limit holds, one step past it is refused. */
class LogSpecTest {
    private static final int BLOCK = TestLogs.BLOCK;
    private static final long DEVICE_BLOCKS = 16;

    @Test
    void anExtentOfTwoWholeBlocksUpToTheDevicesEndIsALog() {
        try (MemoryDevice dev = device()) {
            assertThatCode(() -> spec(dev, 0, 2L * BLOCK, 2 * BLOCK)).doesNotThrowAnyException();
            assertThatCode(() -> spec(dev, BLOCK, (DEVICE_BLOCKS - 1) * BLOCK, 2 * BLOCK))
                    .as("an extent that ends where the device ends")
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void anExtentOffBlockBoundariesTooSmallOrPastTheDeviceIsRefused() {
        try (MemoryDevice dev = device()) {
            assertRefused(() -> spec(dev, -BLOCK, 2L * BLOCK, 2 * BLOCK), "whole");
            assertRefused(() -> spec(dev, 512, 2L * BLOCK, 2 * BLOCK), "whole");
            assertRefused(() -> spec(dev, 0, BLOCK, 2 * BLOCK), "at least 2");
            assertRefused(() -> spec(dev, 0, 2L * BLOCK + 512, 2 * BLOCK), "whole");
            assertRefused(() -> spec(dev, BLOCK, DEVICE_BLOCKS * BLOCK, 2 * BLOCK), "past the end");
        }
    }

    @Test
    void aLogOf2To32BlocksIsRefused() {
        long limit = 0xFFFF_FFFFL * BLOCK;
        try (BlockDevice huge = sizedAs(limit + BLOCK)) {
            assertThatCode(() -> spec(huge, 0, limit, 2 * BLOCK))
                    .as("2^32 - 1 blocks")
                    .doesNotThrowAnyException();
            assertRefused(() -> spec(huge, 0, limit + BLOCK, 2 * BLOCK), "fewer than 2^32 blocks");
        }
    }

    @Test
    void aBufferOfLessThanTwoWholeBlocksIsRefused() {
        try (MemoryDevice dev = device()) {
            assertRefused(() -> spec(dev, 0, 4L * BLOCK, BLOCK), "at least 2");
            assertRefused(() -> spec(dev, 0, 4L * BLOCK, 2 * BLOCK + 512), "whole blocks");
            assertRefused(() -> spec(dev, 0, 4L * BLOCK, 2 * BLOCK - BLOCK / 2), "whole blocks");
        }
    }

    @Test
    void describeNamesTheLogItsOffsetAndDevice() {
        try (MemoryDevice dev = device()) {
            assertThat(spec(dev, BLOCK, 2L * BLOCK, 2 * BLOCK).describe())
                    .isEqualTo("log 2a at offset " + BLOCK + " of " + dev.name());
        }
    }

    private static MemoryDevice device() {
        return new MemoryDevice("spec", DEVICE_BLOCKS * BLOCK);
    }

    private static LogSpec spec(BlockDevice dev, long offset, long capacity, int buffer) {
        return new LogSpec(dev, offset, capacity, TestLogs.POOL, 0x2a, buffer);
    }

    private static void assertRefused(Runnable make, String why) {
        MpoolException e = catchThrowableOfType(MpoolException.class, make::run);
        assertThat(e).as("refused: %s", why).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains(why);
    }

    /** A small device that says it is {@code sizeBytes} long: a log extent is checked against its size, nothing is read. */
    private static BlockDevice sizedAs(long sizeBytes) {
        return new ForwardingDevice(device()) {
            @Override
            public long sizeBytes() {
                return sizeBytes;
            }
        };
    }
}
