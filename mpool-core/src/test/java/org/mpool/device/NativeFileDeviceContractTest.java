package org.mpool.device;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.spi.BlockDevice;

/** {@link NativeDevice} on a sparse regular file meets the block device contract. */
class NativeFileDeviceContractTest extends BlockDeviceContractTest {
    @TempDir
    Path dir;

    @Override
    protected BlockDevice newDevice() {
        return NativeDevice.createFile(dir.resolve("device.img"), MIN_SIZE_BYTES, NativeDevice.OpenOptions.EXCLUSIVE);
    }
}
