package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.spi.BlockDevice;

/**
 * {@link NativeDevice} on a loop device meets the block device contract. Needs root and a free
 * loop device; skipped with a message otherwise. The loop device is always detached.
 */
class LoopDeviceContractTest extends BlockDeviceContractTest {
    @TempDir
    Path dir;

    private Path loop;

    @Override
    protected BlockDevice newDevice() throws Exception {
        Path backing = dir.resolve("backing.img");
        NativeDevice.createFile(backing, MIN_SIZE_BYTES, NativeDevice.OpenOptions.SHARED)
                .close();
        loop = LoopDevices.attach(backing);
        return NativeDevice.open(loop, NativeDevice.OpenOptions.EXCLUSIVE);
    }

    /** The backing file is new and sparse, so never-written blocks read as its zeros. */
    @Override
    protected boolean unwrittenReadsAsZeros() {
        return true;
    }

    /** BLKDISCARD leaves a block device's contents undefined. */
    @Override
    protected boolean discardedReadsAsZeros() {
        return false;
    }

    @Override
    protected void releaseDevice() {
        if (loop != null) {
            LoopDevices.detach(loop);
        }
    }

    @Test
    void isABlockDeviceSizedLikeItsBackingFile() {
        NativeDevice nativeDevice = (NativeDevice) device;
        assertThat(nativeDevice.kind()).isEqualTo(NativeDevice.Kind.BLOCK);
        assertThat(nativeDevice.sizeBytes()).isEqualTo(MIN_SIZE_BYTES);
        assertThat(nativeDevice.path()).isEqualTo(loop);
    }
}
