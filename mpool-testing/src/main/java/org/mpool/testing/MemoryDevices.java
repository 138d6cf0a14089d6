package org.mpool.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;

/**
 * Devices for pools in tests, served under paths: {@code Mpool.create(name, path, options,
 * devices)} and {@code Mpool.open(path, devices)} use them as they would files. Creating a
 * path makes a {@link MemoryDevice}; {@link #put} serves any device (a
 * {@link FaultInjectingDevice}, say). A pool closes the handles it opens; the devices stay, with
 * their contents, for the next open or for the test to inspect. Thread-safe.
 */
public final class MemoryDevices implements BlockDevice.Provider {
    /** The path {@link #serving} serves its device under. */
    public static final Path DEFAULT_PATH = Path.of("/memory/capacity");

    private final Map<Path, BlockDevice> devices = new ConcurrentHashMap<>();

    /** A provider of no devices yet: {@code create} makes memory devices. */
    public MemoryDevices() {}

    /** A provider serving {@code device} under {@link #DEFAULT_PATH}. */
    public static MemoryDevices serving(BlockDevice device) {
        return new MemoryDevices().put(DEFAULT_PATH, device);
    }

    /** Serves {@code device} under {@code path} (replacing what was served there). */
    public MemoryDevices put(Path path, BlockDevice device) {
        devices.put(path, device);
        return this;
    }

    /** The device served under {@code path}, or null. */
    public BlockDevice get(Path path) {
        return devices.get(path);
    }

    @Override
    public boolean exists(Path path) {
        return devices.containsKey(path);
    }

    @Override
    public BlockDevice open(Path path, boolean exclusive) {
        BlockDevice d = devices.get(path);
        if (d == null) {
            throw new MpoolException(ErrorCode.NOT_FOUND, path + ": no such test device");
        }
        return new KeptOpen(d);
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

    /** A handle whose close leaves the device open, with its contents, for the next open. */
    private static final class KeptOpen extends DeviceWrapper {
        KeptOpen(BlockDevice d) {
            super(d);
        }

        @Override
        public void close() {
            // the device stays: the test owns it
        }
    }
}
