package org.mpool.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;

/** Finds pools: registry entries for files, superblock probes for block devices. */
final class PoolLocator {
    private final Registry registry;
    private final PrintStream warnings;

    PoolLocator(Registry registry, PrintStream warnings) {
        this.registry = registry;
        this.warnings = warnings;
    }

    Registry registry() {
        return registry;
    }

    /** The capacity device of the pool called {@code name}; NOT_FOUND if there is none. */
    Path capacityDevice(String name) {
        Path registered = registry.entries().get(name);
        if (registered != null) {
            Optional<BlockDevice.Label> found = probeQuietly(registered);
            if (found.isPresent()
                    && found.get().poolName().equals(name)
                    && found.get().mediaClass() == MediaClass.CAPACITY) {
                return registered;
            }
            warnings.println("mpool: warning: the registry entry " + name + " -> " + registered + " is stale ("
                    + (found.isEmpty()
                            ? "no pool there"
                            : "it holds pool '" + found.get().poolName() + "'") + ")");
        }
        for (BlockDevice.Label d : scan(List.of())) {
            if (d.poolName().equals(name) && d.mediaClass() == MediaClass.CAPACITY) {
                return d.device();
            }
        }
        throw new MpoolException(
                ErrorCode.NOT_FOUND, "no pool named '" + name + "' (see 'mpool scan' and 'mpool list')");
    }

    /** Every device holding a pool superblock among {@code paths}, the registry and the block devices. */
    List<BlockDevice.Label> scan(List<Path> paths) {
        List<Path> candidates = new ArrayList<>(paths);
        candidates.addAll(registry.entries().values());
        return Mpool.scan(candidates);
    }

    /** Registered pools by name, with their capacity device when the entry is valid. */
    Map<String, Path> registered() {
        return registry.entries();
    }

    private static Optional<BlockDevice.Label> probeQuietly(Path p) {
        try {
            return Files.exists(p) ? Mpool.probe(p) : Optional.empty();
        } catch (MpoolException e) {
            return Optional.empty();
        }
    }
}
