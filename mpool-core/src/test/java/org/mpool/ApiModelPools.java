package org.mpool;

import java.nio.file.Path;
import org.mpool.common.CreateOptions;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * Where the API tester's pool lives. On memory devices behind a {@link FaultInjectingDevice}
 * (which keeps what a power loss would leave: {@link #crashImage}); or on files in a temporary
 * directory, through the native device with direct I/O, which is what maps need.
 */
sealed interface ApiModelPools permits ApiModelPools.Memory, ApiModelPools.Files {
    Mpool create(String name, CreateOptions options);

    Mpool open();

    Mpool openReadOnly();

    /** The pool as a power loss now would leave it, opened (recovery runs on a copy); null if not simulated. */
    Mpool crashImage();

    ApiModelPoolOps.Staging staging();

    /** Whether pools here can be mapped (files and block devices only). */
    boolean mappable();

    /** Whether any uid, gid and mode may be set (no file to chown). */
    boolean anyOwner();

    /** The capacity device's path, if {@code Mpool.probe} can read it (files); else null. */
    Path probePath();

    /** Pools on memory devices, each wrapped to simulate power loss. */
    final class Memory implements ApiModelPools {
        private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
        private static final Path STAGING = Path.of("/memory/staging");

        private final FaultInjectingDevice capacity;
        private final FaultInjectingDevice staging;
        private final MemoryDevices devices = new MemoryDevices();
        private final ApiModelPoolOps.Staging stagingSpec;

        Memory(long capacityBytes, long stagingBytes, long stagingMblockBytes) {
            this.capacity = FaultInjectingDevice.forCrashes(new MemoryDevice("capacity", capacityBytes));
            this.staging = FaultInjectingDevice.forCrashes(new MemoryDevice("staging", stagingBytes));
            devices.put(CAPACITY, capacity).put(STAGING, staging);
            this.stagingSpec = new ApiModelPoolOps.Staging(STAGING, stagingBytes, stagingMblockBytes);
        }

        @Override
        public Mpool create(String name, CreateOptions options) {
            return Mpool.create(name, CAPACITY, options, devices);
        }

        @Override
        public Mpool open() {
            return Mpool.open(CAPACITY, devices);
        }

        @Override
        public Mpool openReadOnly() {
            return Mpool.openReadOnly(CAPACITY, devices);
        }

        @Override
        public Mpool crashImage() {
            MemoryDevices copy =
                    new MemoryDevices().put(CAPACITY, capacity.durableImage()).put(STAGING, staging.durableImage());
            return Mpool.open(CAPACITY, copy);
        }

        @Override
        public ApiModelPoolOps.Staging staging() {
            return stagingSpec;
        }

        @Override
        public boolean mappable() {
            return false;
        }

        @Override
        public boolean anyOwner() {
            return true;
        }

        @Override
        public Path probePath() {
            return null;
        }
    }

    /** Pools on sparse files in {@code dir}. */
    final class Files implements ApiModelPools {
        private final Path capacity;
        private final ApiModelPoolOps.Staging stagingSpec;

        Files(Path dir, long stagingBytes, long stagingMblockBytes) {
            this.capacity = dir.resolve("capacity.img");
            this.stagingSpec =
                    new ApiModelPoolOps.Staging(dir.resolve("staging.img"), stagingBytes, stagingMblockBytes);
        }

        @Override
        public Mpool create(String name, CreateOptions options) {
            return Mpool.create(name, capacity, options);
        }

        @Override
        public Mpool open() {
            return Mpool.open(capacity);
        }

        @Override
        public Mpool openReadOnly() {
            return Mpool.openReadOnly(capacity);
        }

        @Override
        public Mpool crashImage() {
            return null;
        }

        @Override
        public ApiModelPoolOps.Staging staging() {
            return stagingSpec;
        }

        @Override
        public boolean mappable() {
            return true;
        }

        @Override
        public boolean anyOwner() {
            return false;
        }

        @Override
        public Path probePath() {
            return capacity;
        }
    }
}
