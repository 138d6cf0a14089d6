package org.mpool.device;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.FaultInjectingDevice;

/** {@link FaultInjectingDevice#forErrors} over a file meets the contract while no fault fires. */
class ErrorInjectingDeviceContractTest extends BlockDeviceContractTest {
    @TempDir
    Path dir;

    @Override
    protected BlockDevice newDevice() {
        return FaultInjectingDevice.forErrors(
                NativeDevice.createFile(dir.resolve("device.img"), MIN_SIZE_BYTES, NativeDevice.OpenOptions.EXCLUSIVE));
    }
}
