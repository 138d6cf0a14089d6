package org.mpool.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mpool.ErrorCode;
import org.mpool.MediaClass;
import org.mpool.Mpool;
import org.mpool.MpoolException;
import org.mpool.format.Superblock;

/** Finds pools: registry entries for files, superblock probes for block devices. */
final class PoolLocator {
    /** A device that holds an mpool superblock. */
    record Found(Path device, Superblock superblock) {}

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
            Optional<Superblock> sb = probeQuietly(registered);
            if (sb.isPresent() && sb.get().poolName().equals(name) && sb.get().mediaClass() == MediaClass.CAPACITY) {
                return registered;
            }
            warnings.println("mpool: warning: the registry entry " + name + " -> " + registered
                    + " is stale (" + (sb.isEmpty() ? "no pool there" : "it holds pool '" + sb.get().poolName() + "'") + ")");
        }
        for (Found f : scan(List.of())) {
            if (f.superblock().poolName().equals(name) && f.superblock().mediaClass() == MediaClass.CAPACITY) {
                return f.device();
            }
        }
        throw new MpoolException(ErrorCode.NOT_FOUND, "no pool named '" + name + "' (see 'mpool scan' and 'mpool list')");
    }

    /** Every device holding a pool superblock among {@code paths}, the registry and the block devices. */
    List<Found> scan(List<Path> paths) {
        Map<Path, Found> found = new LinkedHashMap<>();
        List<Path> candidates = new ArrayList<>(paths);
        candidates.addAll(registry.entries().values());
        candidates.addAll(blockDevices());
        for (Path p : candidates) {
            Path key = p.toAbsolutePath().normalize();
            if (found.containsKey(key)) {
                continue;
            }
            probeQuietly(p).ifPresent(sb -> found.put(key, new Found(key, sb)));
        }
        return new ArrayList<>(found.values());
    }

    /** Registered pools by name, with their capacity device when the entry is valid. */
    Map<String, Path> registered() {
        return registry.entries();
    }

    private Optional<Superblock> probeQuietly(Path p) {
        try {
            return Files.exists(p) ? Mpool.probe(p) : Optional.empty();
        } catch (MpoolException e) {
            return Optional.empty();
        }
    }

    /** Whole block devices and partitions the kernel lists, except empty loop devices and ramdisks. */
    static List<Path> blockDevices() {
        Path sys = Path.of("/sys/class/block");
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(sys)) {
            return out;
        }
        try (Stream<Path> s = Files.list(sys)) {
            for (Path entry : s.sorted().toList()) {
                String name = entry.getFileName().toString();
                try {
                    long sectors = Long.parseLong(Files.readString(entry.resolve("size")).trim());
                    Path dev = Path.of("/dev", name);
                    if (sectors > 0 && Files.exists(dev)) {
                        out.add(dev);
                    }
                } catch (IOException | NumberFormatException e) {
                    // not a device we can size: skip it
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
