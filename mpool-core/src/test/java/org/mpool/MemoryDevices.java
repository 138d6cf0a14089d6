package org.mpool;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.MpoolException;
import org.mpool.device.ForwardingDevice;
import org.mpool.device.MemoryDevice;
import org.mpool.spi.BlockDevice;

/** Pools in memory: each path names a memory device that outlives the handles opened on it. */
final class MemoryDevices implements BlockDevice.Provider {
    private final Map<Path, MemoryDevice> devices = new ConcurrentHashMap<>();

    @Override
    public boolean exists(Path path) {
        return devices.containsKey(path);
    }

    @Override
    public BlockDevice open(Path path, boolean exclusive) {
        MemoryDevice d = devices.get(path);
        if (d == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, path + ": no such memory device");
        }
        return new Handle(d);
    }

    @Override
    public BlockDevice create(Path path, long sizeBytes) {
        if (devices.putIfAbsent(path, new MemoryDevice(path.toString(), sizeBytes)) != null) {
            throw new MpoolException(ErrorCode.EXISTS, path + " exists");
        }
        return open(path, true);
    }

    @Override
    public boolean isFile(BlockDevice device) {
        return false;
    }

    @Override
    public boolean hasOwnership() {
        return false;
    }

    /** A handle whose close leaves the device's contents for the next open. */
    private static final class Handle extends ForwardingDevice {
        Handle(MemoryDevice d) {
            super(d);
        }

        @Override
        public void close() {
            // the test keeps the device
        }
    }
}
