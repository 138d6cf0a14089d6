package org.mpool.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * The pools this machine knows, and whether each is active: one line per pool,
 * {@code NAME<TAB>UUID<TAB>active|inactive<TAB>CLASS=DEVICE...}. Devices are a cache: the
 * superblocks are the truth, and a pool whose devices moved is found again by its UUID (the
 * entry then follows it). Location: {@code $MPOOL_CONFIG} (or the {@code mpool.config} system
 * property), else {@code /etc/mpool/pools} for root, else {@code $XDG_CONFIG_HOME/mpool/pools}
 * (default {@code ~/.config/mpool/pools}).
 *
 * <p>Readers take no lock: a change replaces the file whole (a temporary file, synced, renamed
 * over it, then the directory synced), so a reader sees the old file or the new one. Changes
 * are read-modify-write under an exclusive lock on {@code FILE.lock}, so concurrent commands
 * lose no entry. The lock file stays (removing it would race with a waiter).
 *
 * <p>A line of the first format ({@code NAME<TAB>CAPACITY-DEVICE}) reads as an active pool of
 * unknown UUID; the next change to it writes the full form.
 */
final class Registry {
    /** Serialises this process's changes: a JVM cannot hold two locks on one file. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    /**
     * What the registry remembers of a pool.
     *
     * @param uuid null for an entry of the first format, until the pool is found
     * @param devices where its devices were last seen, by media class (the capacity device always)
     */
    record Entry(String name, UUID uuid, boolean active, Map<MediaClass, Path> devices) {
        Entry {
            Objects.requireNonNull(name, "name");
            devices = Collections.unmodifiableMap(new EnumMap<>(devices));
            assert devices.containsKey(MediaClass.CAPACITY) : "an entry without a capacity device: " + name;
        }

        Path capacity() {
            return devices.get(MediaClass.CAPACITY);
        }

        Entry withActive(boolean value) {
            return new Entry(name, uuid, value, devices);
        }

        /** Whether this entry is the pool {@code uuid} (an entry of unknown UUID is matched by name elsewhere). */
        boolean is(UUID other) {
            return uuid != null && uuid.equals(other);
        }
    }

    private final Path file;

    Registry(Path file) {
        this.file = file;
    }

    static Registry standard() {
        String override = System.getenv("MPOOL_CONFIG");
        if (override == null || override.isBlank()) {
            override = System.getProperty("mpool.config");
        }
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

    /** Every entry, in the order written. */
    List<Entry> entries() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new MpoolException(ErrorCode.IO, "cannot read the pool registry " + file + ": " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            Entry e = parse(line);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Adds {@code entry}, replacing the entry of the same pool (same UUID, or same name when either UUID is unknown). */
    void put(Entry entry) {
        update(list -> {
            list.removeIf(e -> samePool(e, entry));
            list.add(entry);
            return list;
        });
    }

    /** Removes the entries of the pool {@code uuid}, or of the name {@code name} whose UUID is unknown. */
    void remove(UUID uuid, String name) {
        update(list -> {
            list.removeIf(e -> e.is(uuid) || (e.uuid() == null && e.name().equals(name)));
            return list;
        });
    }

    private static boolean samePool(Entry a, Entry b) {
        if (a.uuid() != null && b.uuid() != null) {
            return a.uuid().equals(b.uuid());
        }
        return a.name().equals(b.name());
    }

    /**
     * Changes the registry atomically: under the lock, reads it, applies {@code change} and
     * replaces the file with the result (unchanged content is not rewritten).
     */
    void update(UnaryOperator<List<Entry>> change) {
        IN_PROCESS.lock();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path lockFile = dir.resolve(file.getFileName() + ".lock");
            try (FileChannel lockChannel =
                            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock _ = lockChannel.lock()) {
                List<Entry> before = entries();
                List<Entry> after = change.apply(new ArrayList<>(before));
                if (!after.equals(before)) {
                    write(dir, after);
                }
            }
        } catch (IOException e) {
            throw new MpoolException(
                    ErrorCode.IO, "cannot update the pool registry " + file + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private void write(Path dir, List<Entry> entries) throws IOException {
        StringBuilder b = new StringBuilder(
                "# mpool registry: NAME<TAB>UUID<TAB>active|inactive<TAB>CLASS=DEVICE... (managed by mpool)\n");
        for (Entry e : entries) {
            b.append(format(e)).append('\n');
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(b.toString()));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself is durable
        }
    }

    static String format(Entry e) {
        StringBuilder b = new StringBuilder(e.name())
                .append('\t')
                .append(e.uuid() == null ? "-" : e.uuid().toString())
                .append('\t')
                .append(e.active() ? "active" : "inactive");
        e.devices()
                .forEach(
                        (mc, p) -> b.append('\t').append(mc.label()).append('=').append(p));
        return b.toString();
    }

    /** An entry from a line of either format; null for a comment, a blank or a line not understood. */
    static Entry parse(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        String[] f = t.split("\t");
        try {
            if (f.length == 2) {
                return new Entry(f[0], null, true, Map.of(MediaClass.CAPACITY, Path.of(f[1])));
            }
            if (f.length < 4 || !(f[2].equals("active") || f[2].equals("inactive"))) {
                return null;
            }
            Map<MediaClass, Path> devices = new EnumMap<>(MediaClass.class);
            for (int i = 3; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                devices.put(MediaClass.parse(f[i].substring(0, eq)), Path.of(f[i].substring(eq + 1)));
            }
            if (!devices.containsKey(MediaClass.CAPACITY)) {
                return null;
            }
            return new Entry(f[0], f[1].equals("-") ? null : UUID.fromString(f[1]), f[2].equals("active"), devices);
        } catch (RuntimeException e) {
            return null; // a line edited by hand into nonsense names no pool
        }
    }

    /** Refuses a device path the registry could not write back (its fields are tab-separated lines). */
    static void checkPath(Path p) {
        String s = p.toString();
        if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw MpoolException.invalid("a device path may not hold a tab or a line break: '" + s + "'");
        }
    }
}
