package org.mpool.device;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a pool turns device paths into devices. The default opens files and block devices
 * natively; tests supply in-memory or fault-injecting devices under the same paths.
 */
public interface DeviceProvider {
    boolean exists(Path path);

    /** Opens an existing device read-write, with an exclusive lock if asked. */
    BlockDevice open(Path path, boolean exclusive);

    /** Opens an existing device read-only, without a lock (inspection). */
    default BlockDevice openReadOnly(Path path) {
        return open(path, false);
    }

    /** Creates a new sparse file device of {@code sizeBytes}; fails with EXISTS if present. */
    BlockDevice create(Path path, long sizeBytes);

    /** Whether the device is a regular file (synced appends there want zero-filled logs). */
    boolean isFile(BlockDevice device);

    /** Whether ownership and mode apply to the device's path. */
    default boolean hasOwnership() {
        return true;
    }

    /** Files and block devices, opened with O_DIRECT. */
    DeviceProvider NATIVE = new DeviceProvider() {
        @Override
        public boolean exists(Path path) {
            return Files.exists(path);
        }

        @Override
        public BlockDevice open(Path path, boolean exclusive) {
            return NativeDevice.open(path, exclusive ? NativeDevice.OpenOptions.EXCLUSIVE : NativeDevice.OpenOptions.SHARED);
        }

        @Override
        public BlockDevice openReadOnly(Path path) {
            return NativeDevice.open(path, NativeDevice.OpenOptions.READ_ONLY);
        }

        @Override
        public BlockDevice create(Path path, long sizeBytes) {
            return NativeDevice.createFile(path, sizeBytes, NativeDevice.OpenOptions.EXCLUSIVE);
        }

        @Override
        public boolean isFile(BlockDevice device) {
            return device instanceof NativeDevice n && n.kind() == NativeDevice.Kind.FILE;
        }
    };
}
