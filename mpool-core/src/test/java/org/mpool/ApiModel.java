package org.mpool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper;

/**
 * What the API tester believes a pool holds: every object allocated and not yet aborted or
 * deleted, with its type, media class, owner tag, bytes (mblocks) or records (mlogs and MDCs),
 * whether it is committed and whether that commit is durable; the pool's properties; and the
 * zones each media class has in use. {@link ApiModelCheck} compares a pool with it.
 *
 * <p>Threads share it: each object belongs to one lane (its {@link Obj#home} modulo the number
 * of threads of the phase), and only that lane's thread changes it, so an object's fields need
 * no lock; the object table is concurrent; the zone counts, which every lane changes, are
 * under this object's monitor. Between phases the main thread reads everything (the threads
 * were joined: their writes are visible).
 */
final class ApiModel {
    /**
     * Objects get a home from 0 to {@code HOMES - 1}; a phase of {@code n} threads gives lane
     * {@code t} the homes {@code h % n == t}. A map holds mblocks of one home only, so a map and
     * what it pins always move between lanes together.
     */
    static final int HOMES = 12;

    /** An object of the pool, allocated (pending) or committed. The root MDC is one too, with no id. */
    static final class Obj {
        final ObjectId id;
        final ObjectId.Type type;
        final MediaClass mediaClass;
        /** Zones it occupies: an mblock one, an mlog its zones, an MDC both its logs'. */
        final long zones;
        /** Bytes of one log (an mlog's capacity, each of an MDC's two); 0 for mblocks. */
        final long logBytes;

        final int home;
        boolean committed;
        /** Its commit is durable: a deferred commit is not until the next pool flush or close. */
        boolean durable;

        long owner;
        /** Nobody deletes it during this phase: every lane may read it. */
        volatile boolean frozen;

        // mblocks
        MblockWriter writer;
        byte[] bytes = new byte[0];
        /** A partial page was written: only commit or abort may follow. */
        boolean ended;

        // mlogs, MDCs, the root MDC
        /** The open handle (an {@link Mlog} or an {@link Mdc}), or null. */
        AutoCloseable handle;
        /** The records since the last erase; during a compaction, the state before it. */
        List<byte[]> records = new ArrayList<>();
        /** How many of {@link #records} a crash now must keep. */
        int durableCount;
        /** An MDC's records appended since its compaction started, or null: no compaction. */
        List<byte[]> compaction;
        /** An mlog's generation: 1 when made, one more per erase. */
        long generation = 1;

        Obj(ObjectId id, ObjectId.Type type, MediaClass mediaClass, long zones, long logBytes, int home) {
            this.id = id;
            this.type = type;
            this.mediaClass = mediaClass;
            this.zones = zones;
            this.logBytes = logBytes;
            this.home = home;
        }

        boolean isRoot() {
            return id == null;
        }

        boolean isLog() {
            return type != ObjectId.Type.MBLOCK;
        }

        /** Records appended go here: the compaction's while one is under way. */
        List<byte[]> appendTarget() {
            return compaction != null ? compaction : records;
        }

        @Override
        public String toString() {
            return (isRoot() ? "root MDC" : type.label() + " " + id) + (committed ? "" : " (pending)");
        }
    }

    /** An open map: what it holds, in slot order. */
    record MapModel(Mcache map, List<ObjectId> ids, int home) {}

    /** Zones of one media class: those of metadata (fixed at create), and those objects hold. */
    static final class ClassModel {
        final long zoneCount;
        final long zoneBytes;
        /**
         * Data an mblock holds: its zone less the page checksum table at the zone's end (a
         * 32-byte header and 4 bytes per page, in whole pages; docs/FORMAT.md).
         */
        final long mblockCapacity;

        final long metadataZones;
        long objectZones;
        /** Reservations made that did not fit, ever and now in flight (see {@link Reservation}). */
        long overbookings;

        int overbookedInFlight;

        ClassModel(long zoneCount, long zoneBytes, long metadataZones) {
            this.zoneCount = zoneCount;
            this.zoneBytes = zoneBytes;
            this.mblockCapacity = zoneBytes - (32 + 4 * (zoneBytes / 4096) + 4095) / 4096 * 4096;
            this.metadataZones = metadataZones;
        }
    }

    /** Pending and committed objects by id value. */
    final Map<Long, Obj> objects = new ConcurrentHashMap<>();
    /** Ids that existed and were aborted or deleted: never valid again. */
    final Set<ObjectId> gone = ConcurrentHashMap.newKeySet();
    /**
     * Handles of objects closed, deleted or of an earlier pool handle, and writers committed or
     * aborted: the misuse operations try them. The newest {@value #STALE_KEPT} are kept.
     */
    final ConcurrentLinkedQueue<Object> stale = new ConcurrentLinkedQueue<>();

    private static final int STALE_KEPT = 200;
    private final AtomicLong staleCount = new AtomicLong();

    final Set<MapModel> maps = ConcurrentHashMap.newKeySet();
    final Obj root;
    private final Map<MediaClass, ClassModel> classes = new EnumMap<>(MediaClass.class);

    /** Settable properties as the pool must list them, and its name. */
    final Map<String, String> properties = new TreeMap<>();

    volatile String name;
    final int shards;
    /** Makes every record and every mblock's bytes distinct: a record found out of place is named. */
    private final AtomicLong serial = new AtomicLong();

    ApiModel(String name, int shards, long rootLogBytes, int rootHome) {
        this.name = name;
        this.shards = shards;
        this.root = new Obj(null, ObjectId.Type.MDC, MediaClass.CAPACITY, 0, rootLogBytes, rootHome);
        root.committed = true;
        root.durable = true;
    }

    /** Keeps {@code handle} for the misuse operations, forgetting the oldest past {@value #STALE_KEPT}. */
    void retire(Object handle) {
        stale.add(handle);
        if (staleCount.incrementAndGet() > STALE_KEPT && stale.poll() != null) {
            staleCount.decrementAndGet();
        }
    }

    long nextSerial() {
        return serial.incrementAndGet();
    }

    // ------------------------------------------------------------------ media classes and zones

    synchronized void addClass(MediaClass mc, long zoneCount, long zoneBytes, long metadataZones) {
        classes.put(mc, new ClassModel(zoneCount, zoneBytes, metadataZones));
    }

    synchronized boolean hasClass(MediaClass mc) {
        return classes.containsKey(mc);
    }

    synchronized ClassModel classModel(MediaClass mc) {
        return classes.get(mc);
    }

    synchronized List<MediaClass> classes() {
        return List.copyOf(classes.keySet());
    }

    /** Zones kept spare for metadata in {@code mc}: data may not take them. */
    synchronized long spareZones(MediaClass mc) {
        ClassModel c = classes.get(mc);
        return c.zoneCount * Integer.parseInt(properties.get("spare." + mc.label())) / 100;
    }

    /**
     * Sets a property as the pool stores it: {@code spare} gives both classes its value (their
     * own spares cleared); a reaper property changes the config every open starts from.
     */
    synchronized void setProperty(String key, String stored) {
        properties.put(key, stored);
        if (key.equals(Mpool.PROP_SPARE)) {
            properties.put(Mpool.PROP_SPARE_CAPACITY, stored);
            properties.put(Mpool.PROP_SPARE_STAGING, stored);
        }
    }

    /** The reaper's config an open starts from: the defaults with the stored reaper properties. */
    synchronized Reaper.Config persistedReaper() {
        Reaper.Config c = Reaper.Config.defaults();
        String budget = properties.get(Mpool.PROP_REAPER_BUDGET);
        c = budget.endsWith("%")
                ? c.withBudgetPercent(Integer.parseInt(budget.substring(0, budget.length() - 1)))
                : c.withBudgetBytes(Long.parseLong(budget));
        return c.withTtl(duration(properties.get(Mpool.PROP_REAPER_TTL)))
                .withPeriod(duration(properties.get(Mpool.PROP_REAPER_PERIOD)));
    }

    /** A duration as the pool lists one: {@code 0} or a count and the largest exact unit. */
    static Duration duration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        for (String unit : List.of("ms", "s", "m", "h", "d")) {
            if (text.endsWith(unit) && !(unit.equals("s") && text.endsWith("ms"))) {
                long n = Long.parseLong(text.substring(0, text.length() - unit.length()));
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        }
        throw new IllegalArgumentException("not a duration the pool lists: " + text);
    }

    /**
     * Zones of {@code mc} taken for an allocation about to be made. The pool frees zones before
     * the model hears of it and takes them only after the model reserved them, so the model
     * never counts fewer in use than the pool. That makes a reservation that fits a promise —
     * unless a reservation that did not fit overlapped it: the pool may give that one the zone
     * this one counted on (while the model said no, the pool still had it).
     */
    final class Reservation {
        final MediaClass mc;
        final long zones;
        final boolean fits;
        private final boolean overbooked;
        private final long overbookingsBefore;
        private boolean promised;

        private Reservation(MediaClass mc, long zones, boolean fits, long overbookingsBefore, boolean othersInFlight) {
            this.mc = mc;
            this.zones = zones;
            this.fits = fits;
            this.overbooked = !fits;
            this.overbookingsBefore = overbookingsBefore;
            this.promised = fits && !othersInFlight;
        }

        /**
         * The allocation returned: keep the zones if it took them, else give them back. Returns
         * whether the pool owed it the zones: it fit, and no overbooked reservation overlapped it.
         */
        boolean settle(boolean allocated) {
            synchronized (ApiModel.this) {
                ClassModel c = classes.get(mc);
                if (overbooked) {
                    c.overbookedInFlight--;
                }
                promised &= c.overbookings == overbookingsBefore;
                if (!allocated) {
                    release(mc, zones);
                }
                return promised;
            }
        }
    }

    /** Takes {@code zones} of {@code mc} for an allocation about to be made; settle it when the call returns. */
    synchronized Reservation reserve(MediaClass mc, long zones) {
        ClassModel c = classes.get(mc);
        long free = c.zoneCount - c.metadataZones - c.objectZones - spareZones(mc);
        boolean fits = zones <= free;
        Reservation r = new Reservation(mc, zones, fits, c.overbookings, c.overbookedInFlight > 0);
        c.objectZones += zones;
        if (!fits) {
            c.overbookings++;
            c.overbookedInFlight++;
        }
        return r;
    }

    synchronized void release(MediaClass mc, long zones) {
        ClassModel c = classes.get(mc);
        c.objectZones -= zones;
        assert c.objectZones >= 0 : mc + " zones below zero";
    }

    // ------------------------------------------------------------------ objects

    void add(Obj o) {
        Obj before = objects.putIfAbsent(o.id.value(), o);
        if (before != null) {
            throw new AssertionError("the pool issued id " + o.id + " twice: " + before + " and now " + o);
        }
        if (gone.contains(o.id)) {
            throw new AssertionError("the pool issued id " + o.id + " again after it was aborted or deleted");
        }
    }

    /** An object aborted or deleted: its zones are free and its id is never valid again. */
    void remove(Obj o) {
        objects.remove(o.id.value());
        gone.add(o.id);
        release(o.mediaClass, o.zones);
    }

    /** Objects matching {@code filter}, in id order (so a seed picks the same one each run). */
    List<Obj> select(Predicate<Obj> filter) {
        List<Obj> out = new ArrayList<>();
        for (Obj o : objects.values()) {
            if (filter.test(o)) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparing(o -> o.id));
        return out;
    }

    List<Obj> committed() {
        return select(o -> o.committed);
    }

    boolean mapped(ObjectId id) {
        for (MapModel m : maps) {
            if (m.ids().contains(id)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ durability and reopening

    /** A pool flush returned with no call running: every deferred commit and every appended record is durable. */
    void flushed() {
        for (Obj o : objects.values()) {
            if (o.committed) {
                o.durable = true;
            }
            if (o.isLog() && o.handle != null) {
                o.durableCount = o.records.size();
            }
        }
        if (root.handle != null) {
            root.durableCount = root.records.size();
        }
    }

    /**
     * The pool was closed (or closed and opened again): open handles flushed and closed,
     * compactions abandoned, deferred commits durable, uncommitted allocations gone (recovery
     * frees them), writers, handles and maps stale.
     */
    void closed() {
        List<Obj> all = new ArrayList<>(objects.values());
        all.add(root);
        for (Obj o : all) {
            if (o.handle != null) {
                retire(o.handle);
                o.handle = null;
            }
            o.compaction = null;
            o.durableCount = o.records.size();
            if (o.committed) {
                o.durable = true;
            } else if (!o.isRoot()) {
                if (o.writer != null) {
                    retire(o.writer);
                }
                remove(o);
            }
        }
        for (MapModel m : maps) {
            retire(m.map());
        }
        maps.clear();
    }

    private Object countersOf;
    private Map<String, Long> lastCounters;

    /**
     * Keeps {@code counters}, the stats counters of {@code pool} (an open), and returns the
     * ones kept before for that same open, or null.
     */
    synchronized Map<String, Long> lastCounters(Object pool, Map<String, Long> counters) {
        Map<String, Long> before = pool == countersOf ? lastCounters : null;
        countersOf = pool;
        lastCounters = Map.copyOf(counters);
        return before;
    }

    /** Properties as {@code Mpool.properties()} must list them, with the facts a pool adds. */
    synchronized Map<String, String> expectedProperties() {
        Map<String, String> p = new TreeMap<>(properties);
        p.put("name", name);
        for (Map.Entry<MediaClass, ClassModel> e : classes.entrySet()) {
            p.put("mblocksize." + e.getKey().label(), String.valueOf(e.getValue().zoneBytes));
        }
        return p;
    }
}
