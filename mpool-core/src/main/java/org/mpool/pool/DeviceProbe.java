package org.mpool.pool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.NativeDevice;
import org.mpool.format.Superblock;
import org.mpool.linux.ProcLocks;
import org.mpool.spi.BlockDevice;

/** What devices hold, without opening a pool: probe one, scan many, wipe a superblock. */
public final class DeviceProbe {
    private static final Path SYS_BLOCK = Path.of("/sys/class/block");

    private DeviceProbe() {}

    /** The label on {@code device}, if it holds an mpool; NOT_FOUND if the path does not exist. */
    public static Optional<BlockDevice.Label> probe(Path device) {
        if (!Files.exists(device)) {
            throw new MpoolException(ErrorCode.NOT_FOUND, device + ": no such file or device");
        }
        try (BlockDevice d = NativeDevice.open(device, NativeDevice.OpenOptions.READ_ONLY)) {
            if (d.sizeBytes() < Superblock.COPY_OFFSETS[Superblock.COPY_OFFSETS.length - 1] + Superblock.SIZE) {
                return Optional.empty(); // too small to hold the superblock copies: no pool device
            }
            return Optional.of(label(device, PoolDevice.readSuperblock(d, device.toString())));
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Every device holding an mpool superblock among {@code paths} (a directory stands for the
     * files and devices in it, not those in its subdirectories) and the machine's block devices,
     * each once (by absolute path). Devices that cannot be read are left out.
     */
    public static List<BlockDevice.Label> scan(List<Path> paths) {
        Map<Path, BlockDevice.Label> found = new LinkedHashMap<>();
        List<Path> candidates = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                candidates.addAll(entries(p));
            } else {
                candidates.add(p);
            }
        }
        candidates.addAll(blockDevices());
        for (Path p : candidates) {
            Path key = p.toAbsolutePath().normalize();
            if (found.containsKey(key)) {
                continue;
            }
            try {
                if (Files.exists(p)) {
                    probe(key).ifPresent(label -> found.put(key, label));
                }
            } catch (MpoolException e) {
                // unreadable, or not a device at all: not a pool device we can report
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The files and devices in {@code dir}, by name (none if it cannot be listed). */
    private static List<Path> entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> !Files.isDirectory(f)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** What a superblock says of the device it is on. */
    static BlockDevice.Label label(Path device, Superblock sb) {
        return new BlockDevice.Label(
                device,
                sb.poolName(),
                sb.poolUuid(),
                MediaClass.fromCode(sb.mediaClassCode()),
                sb.deviceUuid(),
                sb.zoneBytes(),
                sb.zoneCount(),
                sb.cleanlyClosed(),
                sb.version());
    }

    /**
     * Zeroes the superblocks of {@code device}, which must not be in use (it is opened with the
     * pool's exclusive lock): it no longer holds a pool. For a pool that cannot be opened.
     */
    public static void wipe(Path device) {
        try (BlockDevice d = NativeDevice.open(device, NativeDevice.OpenOptions.EXCLUSIVE)) {
            PoolDevice.wipe(d);
        }
    }

    /** The process holding {@code device}'s exclusive lock (a pool open for changes), if any. */
    public static OptionalLong lockHolder(Path device) {
        return ProcLocks.flockHolder(device);
    }

    /** Whole block devices and partitions the kernel lists, except empty ones (unused loop devices, ramdisks). */
    static List<Path> blockDevices() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(SYS_BLOCK)) {
            return out;
        }
        try (Stream<Path> s = Files.list(SYS_BLOCK)) {
            for (Path entry : s.sorted().toList()) {
                String name = entry.getFileName().toString();
                try {
                    long sectors = Long.parseLong(
                            Files.readString(entry.resolve("size")).trim());
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
