package org.mpool.pool;

import java.nio.file.Path;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.MpoolException;
import org.mpool.device.ForwardingDevice;
import org.mpool.spi.BlockDevice;

/**
 * Serves one in-memory (or fault-injecting) device under one path, so a pool can live on it.
 * The pool may close what it opened: the device itself stays open for the test to inspect.
 */
final class SingleDeviceProvider implements BlockDevice.Provider {
    static final Path PATH = Path.of("/memory/capacity");

    private final BlockDevice device;

    SingleDeviceProvider(BlockDevice device) {
        this.device = device;
    }

    @Override
    public boolean exists(Path path) {
        return path.equals(PATH);
    }

    @Override
    public BlockDevice open(Path path, boolean exclusive) {
        if (!exists(path)) {
            throw new MpoolException(ErrorCode.NOT_FOUND, path + ": no such device");
        }
        return new ForwardingDevice(device) {
            @Override
            public void close() {
                // the test owns the device
            }
        };
    }

    @Override
    public BlockDevice create(Path path, long sizeBytes) {
        throw new MpoolException(ErrorCode.EXISTS, path + " exists");
    }

    @Override
    public boolean isFile(BlockDevice d) {
        return false;
    }

    @Override
    public boolean hasOwnership() {
        return false;
    }
}
