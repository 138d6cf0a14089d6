package org.mpool.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * Where file-backed pools are remembered (block devices are found by their superblock): one
 * line per pool, {@code NAME<TAB>CAPACITY-DEVICE}. Written on create, removed on destroy.
 * Location: {@code $MPOOL_CONFIG}, else {@code /etc/mpool/pools} for root, else
 * {@code $XDG_CONFIG_HOME/mpool/pools} (default {@code ~/.config/mpool/pools}).
 */
final class Registry {
    private final Path file;

    Registry(Path file) {
        this.file = file;
    }

    static Registry standard() {
        String override = System.getenv("MPOOL_CONFIG");
        if (override != null && !override.isBlank()) {
            return new Registry(Path.of(override));
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return new Registry(Path.of("/etc/mpool/pools"));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new Registry(base.resolve("mpool").resolve("pools"));
    }

    Path file() {
        return file;
    }

    /** Name → capacity device, in the order written. */
    synchronized Map<String, Path> entries() {
        Map<String, Path> map = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return map;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int tab = t.indexOf('\t');
                if (tab > 0) {
                    map.put(t.substring(0, tab), Path.of(t.substring(tab + 1)));
                }
            }
        } catch (IOException e) {
            throw new MpoolException(ErrorCode.IO, "cannot read the pool registry " + file + ": " + e.getMessage(), e);
        }
        return map;
    }

    synchronized void put(String name, Path device) {
        Map<String, Path> map = entries();
        map.put(name, device.toAbsolutePath().normalize());
        write(map);
    }

    synchronized void remove(String name) {
        Map<String, Path> map = entries();
        if (map.remove(name) != null) {
            write(map);
        }
    }

    synchronized void rename(String oldName, String newName) {
        Map<String, Path> map = entries();
        Path p = map.remove(oldName);
        if (p != null) {
            map.put(newName, p);
            write(map);
        }
    }

    private void write(Map<String, Path> map) {
        List<String> lines = new ArrayList<>();
        lines.add("# mpool registry of file-backed pools: NAME<TAB>CAPACITY-DEVICE (managed by mpool)");
        map.forEach((n, p) -> lines.add(n + "\t" + p));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new MpoolException(ErrorCode.IO, "cannot write the pool registry " + file + ": " + e.getMessage(), e);
        }
    }
}
