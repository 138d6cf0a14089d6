package org.mpool.device;

import org.mpool.spi.BlockDevice;
import org.mpool.testing.MemoryDevice;

/** {@link MemoryDevice} meets the block device contract. */
class MemoryDeviceContractTest extends BlockDeviceContractTest {
    @Override
    protected BlockDevice newDevice() {
        return new MemoryDevice("memory", MIN_SIZE_BYTES);
    }
}
