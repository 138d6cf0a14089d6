package org.mpool.device;

import org.mpool.spi.BlockDevice;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;

/** {@link FaultInjectingDevice#forCrashes} over memory meets the contract while no fault fires. */
class CrashSimulatingDeviceContractTest extends BlockDeviceContractTest {
    @Override
    protected BlockDevice newDevice() {
        return FaultInjectingDevice.forCrashes(new MemoryDevice("memory", MIN_SIZE_BYTES));
    }
}
