package org.mpool.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;

/**
 * Finds pools by name, UUID or device. The registry says where each pool's devices were last
 * seen; the superblocks say what they are. A pool not where the registry says is looked for by
 * its UUID on the registry's other paths, the paths given ({@code --search}) and every block
 * device, and its entry then follows it.
 */
final class PoolLocator {
    /**
     * A pool as found on devices, with its registry entry if it has one.
     *
     * @param devices the devices found carrying its UUID, the capacity device first when found
     * @param entry its registry entry, or null if it has none
     */
    record Found(UUID uuid, String name, List<BlockDevice.Label> devices, Registry.Entry entry) {
        /** The capacity device's label, or null when only other devices of the pool were found. */
        BlockDevice.Label capacityLabel() {
            return devices.stream()
                    .filter(l -> l.mediaClass() == MediaClass.CAPACITY)
                    .findFirst()
                    .orElse(null);
        }

        Path capacity() {
            BlockDevice.Label l = capacityLabel();
            return l == null ? null : l.device();
        }

        /** Where the pool's other devices may be: those found, then those the registry remembers. */
        List<Path> candidates() {
            Set<Path> out = new LinkedHashSet<>();
            devices.stream().filter(l -> l.mediaClass() != MediaClass.CAPACITY).forEach(l -> out.add(l.device()));
            if (entry != null) {
                entry.devices().forEach((mc, p) -> {
                    if (mc != MediaClass.CAPACITY) {
                        out.add(p);
                    }
                });
            }
            return List.copyOf(out);
        }

        boolean active() {
            return entry != null && entry.active();
        }
    }

    private final Registry registry;
    private final PrintStream notes;

    PoolLocator(Registry registry, PrintStream notes) {
        this.registry = registry;
        this.notes = notes;
    }

    Registry registry() {
        return registry;
    }

    /** The pool {@code target} names (a name, a UUID, or a path to one of its devices); NOT_FOUND if none. */
    Found find(String target) {
        return find(target, List.of());
    }

    /** Like {@link #find(String)}, also looking at {@code search} for devices that moved. */
    Found find(String target, List<Path> search) {
        UUID uuid = uuidOf(target);
        if (uuid == null && target.indexOf('/') >= 0) {
            uuid = deviceUuid(Path.of(target));
        }
        return find(target, uuid, search);
    }

    /** The pool UUID on the device at {@code path}: NOT_FOUND if there is none. */
    private static UUID deviceUuid(Path path) {
        return Mpool.probe(path) // NOT_FOUND if the path does not exist
                .map(BlockDevice.Label::poolUuid)
                .orElseThrow(() -> new MpoolException(ErrorCode.NOT_FOUND, path + " holds no mpool device"));
    }

    private Found find(String target, UUID uuid, List<Path> search) {
        List<Registry.Entry> entries = registry.entries();
        List<Registry.Entry> named = entries.stream()
                .filter(e -> uuid != null ? e.is(uuid) : e.name().equals(target))
                .toList();
        if (named.size() > 1) {
            throw ambiguous(
                    target,
                    named.stream()
                            .map(e -> e.uuid() + " (" + e.capacity() + ")")
                            .toList());
        }
        Registry.Entry entry = named.isEmpty() ? null : named.getFirst();
        if (entry != null && search.isEmpty()) {
            Found quick = whereRegistered(entry);
            if (quick != null) {
                return followed(quick);
            }
        }
        List<Path> paths = new ArrayList<>(search);
        entries.forEach(e -> paths.addAll(e.devices().values()));
        UUID want = uuid != null ? uuid : entry != null ? entry.uuid() : null;
        Map<UUID, List<BlockDevice.Label>> pools = group(Mpool.scan(paths));
        List<UUID> matches = pools.entrySet().stream()
                .filter(p -> want != null
                        ? p.getKey().equals(want)
                        : p.getValue().stream().anyMatch(l -> l.poolName().equals(target)))
                .map(Map.Entry::getKey)
                .toList();
        if (matches.isEmpty()) {
            throw notFound(target, entry);
        }
        if (matches.size() > 1) {
            throw ambiguous(
                    target,
                    matches.stream()
                            .map(u -> u + " (" + pools.get(u).getFirst().device() + ")")
                            .toList());
        }
        List<BlockDevice.Label> labels = pools.get(matches.getFirst());
        Found found = new Found(
                matches.getFirst(), nameOf(labels), labels, entry != null ? entry : entryOf(matches.getFirst()));
        if (found.capacityLabel() == null) {
            throw new MpoolException(
                    ErrorCode.NOT_FOUND,
                    "found pool '" + found.name() + "' (uuid " + found.uuid() + ") only on "
                            + labels.getFirst().device()
                            + ", its " + labels.getFirst().mediaClass().label()
                            + " device; its capacity device was not found (name where it is with --search or"
                            + " 'mpool scan PATH')");
        }
        return followed(found);
    }

    /** The pool {@code entry} names where the registry says it is, or null if it is not there. */
    private static Found whereRegistered(Registry.Entry entry) {
        Optional<BlockDevice.Label> cap = probeQuietly(entry.capacity());
        if (cap.isEmpty()
                || cap.get().mediaClass() != MediaClass.CAPACITY
                || !(entry.uuid() == null
                        ? cap.get().poolName().equals(entry.name())
                        : cap.get().poolUuid().equals(entry.uuid()))) {
            return null;
        }
        List<BlockDevice.Label> labels = new ArrayList<>(List.of(cap.get()));
        entry.devices().forEach((mc, p) -> {
            if (mc != MediaClass.CAPACITY) {
                probeQuietly(p)
                        .filter(l -> l.poolUuid().equals(cap.get().poolUuid()))
                        .ifPresent(labels::add);
            }
        });
        return new Found(cap.get().poolUuid(), cap.get().poolName(), labels, entry);
    }

    /** Brings the registry entry of a pool found up to date with where its devices are (and its name). */
    private Found followed(Found f) {
        Registry.Entry e = f.entry();
        if (e == null) {
            return f;
        }
        Map<MediaClass, Path> devices = new EnumMap<>(e.devices());
        f.devices()
                .forEach(l ->
                        devices.put(l.mediaClass(), l.device().toAbsolutePath().normalize()));
        Registry.Entry updated = new Registry.Entry(f.name(), f.uuid(), e.active(), devices);
        if (!updated.equals(e) && follow(e, updated) && !devices.equals(e.devices())) {
            notes.println(
                    "mpool: pool " + f.name() + " found at " + describe(devices, e.devices()) + "; registry updated");
        }
        return new Found(f.uuid(), f.name(), f.devices(), updated);
    }

    private static String describe(Map<MediaClass, Path> now, Map<MediaClass, Path> before) {
        List<String> moved = new ArrayList<>();
        now.forEach((mc, p) -> {
            if (!p.equals(before.get(mc))) {
                moved.add(p + " (its " + mc.label() + " device"
                        + (before.get(mc) == null ? "" : ", was " + before.get(mc)) + ")");
            }
        });
        return String.join(" and ", moved);
    }

    private Registry.Entry entryOf(UUID uuid) {
        return registry.entries().stream().filter(e -> e.is(uuid)).findFirst().orElse(null);
    }

    /** Opens a pool found for changes (recovery runs); a device found at a new place is recorded, here and in the registry. */
    Mpool open(Found f) {
        return remembered(f, openOrExplain(f, false));
    }

    /** Opens a pool found for inspection: no lock, nothing written to it. */
    Mpool inspect(Found f) {
        return remembered(f, openOrExplain(f, true));
    }

    private Mpool openOrExplain(Found f, boolean readOnly) {
        try {
            return readOnly
                    ? Mpool.openReadOnly(f.capacity(), f.candidates())
                    : Mpool.open(f.capacity(), f.candidates());
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            throw new MpoolException(
                    ErrorCode.NOT_FOUND,
                    e.getMessage() + " (if it moved, 'mpool activate " + f.name()
                            + " --search PATH' or 'mpool scan PATH' finds it)",
                    e);
        }
    }

    private Mpool remembered(Found f, Mpool pool) {
        if (f.entry() == null) {
            return pool;
        }
        Map<MediaClass, Path> devices = new EnumMap<>(MediaClass.class);
        for (MediaClass mc : MediaClass.values()) {
            Path p = pool.devicePath(mc);
            if (p != null) {
                devices.put(mc, p.toAbsolutePath().normalize());
            }
        }
        Registry.Entry e = f.entry();
        if (!devices.equals(e.devices())) {
            follow(e, new Registry.Entry(e.name(), e.uuid(), e.active(), devices));
        }
        return pool;
    }

    /**
     * Replaces {@code before} with {@code after} in the registry, if it is still there. Best
     * effort: a registry this user cannot write (another's, read-only) is a warning, not a
     * failure of a command that only looked. Returns whether the entry was replaced.
     */
    private boolean follow(Registry.Entry before, Registry.Entry after) {
        try {
            registry.update(list -> {
                list.replaceAll(x -> x.equals(before) ? after : x);
                return list;
            });
            return true;
        } catch (MpoolException ex) {
            notes.println("mpool: warning: " + ex.getMessage());
            return false;
        }
    }

    /** Records a pool in the registry, active or not, with where its devices are now. */
    void register(Mpool pool, boolean active) {
        registry.put(entry(pool, active));
    }

    /**
     * Records a new pool, replacing every entry of its name: a pool of that name can no longer
     * be anywhere else (create checked), so those entries are stale.
     */
    void registerNew(Mpool pool) {
        Registry.Entry entry = entry(pool, true);
        registry.update(list -> {
            list.removeIf(e -> e.name().equals(entry.name()) || e.is(entry.uuid()));
            list.add(entry);
            return list;
        });
    }

    /** The registry entry of an open pool: its name, UUID and where its devices are. */
    static Registry.Entry entry(Mpool pool, boolean active) {
        Map<MediaClass, Path> devices = new EnumMap<>(MediaClass.class);
        for (MediaClass mc : MediaClass.values()) {
            Path p = pool.devicePath(mc);
            if (p != null) {
                devices.put(mc, p.toAbsolutePath().normalize());
            }
        }
        return new Registry.Entry(pool.name(), pool.uuid(), active, devices);
    }

    /** A pool as a survey sees it: the devices found with its UUID, its registry entry, or both. */
    record Surveyed(UUID uuid, String name, List<BlockDevice.Label> devices, Registry.Entry entry) {
        Found found() {
            return new Found(uuid, name, devices, entry);
        }

        /** What the pool is doing: missing, active, inactive or in use (pid), and whether it needs recovery. */
        String state() {
            BlockDevice.Label cap = found().capacityLabel();
            if (cap == null) {
                return devices.isEmpty() ? "missing" : "incomplete (no capacity device)";
            }
            OptionalLong pid = Mpool.lockHolder(cap.device());
            String s = pid.isPresent()
                    ? "in use (pid " + pid.getAsLong() + ")"
                    : entry != null && entry.active() ? "active" : "inactive";
            if (pid.isEmpty() && !cap.cleanlyClosed()) {
                s += ", recovery pending";
            }
            return s;
        }
    }

    /**
     * Every pool found on {@code paths}, the registry's paths and the block devices, then every
     * registered pool not found anywhere ({@code devices} empty). Registry entries follow pools
     * whose devices moved.
     */
    List<Surveyed> survey(List<Path> paths) {
        List<Registry.Entry> entries = registry.entries();
        List<Path> candidates = new ArrayList<>(paths);
        entries.forEach(e -> candidates.addAll(e.devices().values()));
        Map<UUID, List<BlockDevice.Label>> pools = group(Mpool.scan(candidates));
        List<Surveyed> out = new ArrayList<>();
        List<Registry.Entry> matched = new ArrayList<>();
        pools.forEach((uuid, labels) -> {
            String name = nameOf(labels);
            Registry.Entry entry = entries.stream()
                    .filter(e -> e.is(uuid))
                    .findFirst()
                    .orElse(entries.stream()
                            .filter(e -> e.uuid() == null && e.name().equals(name) && !matched.contains(e))
                            .findFirst()
                            .orElse(null));
            if (entry != null) {
                matched.add(entry);
                Found f = new Found(uuid, name, labels, entry);
                if (f.capacityLabel() != null) {
                    entry = followed(f).entry();
                }
            }
            out.add(new Surveyed(uuid, name, labels, entry));
        });
        for (Registry.Entry e : entries) {
            if (!matched.contains(e)) {
                out.add(new Surveyed(e.uuid(), e.name(), List.of(), e));
            }
        }
        return out;
    }

    /** Labels by pool UUID, in the order found, the capacity device first in each. */
    private static Map<UUID, List<BlockDevice.Label>> group(List<BlockDevice.Label> labels) {
        Map<UUID, List<BlockDevice.Label>> pools = new LinkedHashMap<>();
        for (BlockDevice.Label l : labels) {
            List<BlockDevice.Label> list = pools.computeIfAbsent(l.poolUuid(), u -> new ArrayList<>());
            if (l.mediaClass() == MediaClass.CAPACITY) {
                list.addFirst(l);
            } else {
                list.add(l);
            }
        }
        return pools;
    }

    /** A pool's name is what its capacity device says (the others follow it). */
    private static String nameOf(List<BlockDevice.Label> labels) {
        return labels.getFirst().poolName();
    }

    static UUID uuidOf(String text) {
        if (text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Optional<BlockDevice.Label> probeQuietly(Path p) {
        try {
            return Files.exists(p) ? Mpool.probe(p) : Optional.empty();
        } catch (MpoolException e) {
            return Optional.empty();
        }
    }

    private static MpoolException ambiguous(String target, List<String> which) {
        return MpoolException.invalid(which.size() + " pools are named '" + target + "': " + String.join(", ", which)
                + "; name one by its UUID");
    }

    private static MpoolException notFound(String target, Registry.Entry entry) {
        if (entry == null) {
            return new MpoolException(
                    ErrorCode.NOT_FOUND, "no pool named '" + target + "' (see 'mpool scan' and 'mpool list')");
        }
        return new MpoolException(
                ErrorCode.NOT_FOUND,
                "pool '" + entry.name() + "' is registered on " + entry.capacity()
                        + ", but neither that device nor any other scanned holds it: if it moved, name its new place"
                        + " with 'mpool activate " + entry.name()
                        + " --search PATH' or 'mpool scan PATH'; if it is gone,"
                        + " 'mpool destroy " + entry.name() + " --force' forgets it");
    }
}
