package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mpool.MblockWriter;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.log.WriteBehind;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * I/O errors under a whole pool (issue 21, item 4). A mixed workload on a two-device pool —
 * mblocks on both media classes committed singly, in a batch and deferred; a new mlog and an
 * existing one appended sync, async, flushed and closed; an MDC; deletes single and batched;
 * properties; a rename; a catalog compaction; the pool's open and close — runs once cleanly to
 * count every write and flush of each device. Then, for each of them, it runs again with that
 * one operation failing: EIO once (the device works again afterwards, the case where a store
 * that forgets an error goes on acknowledging), or ENOSPC from then on.
 *
 * <p>A failed flush forgets the writes it was to make durable, as Linux does after fsync's EIO
 * ({@link FaultInjectingDevice#losingWritesOnFailedFlush}): a later flush that succeeds proves
 * nothing about them. The workload goes on after the error, and every call that returns is an
 * acknowledgement. Then power fails, and the pool must open from what the media hold — every
 * unflushed write lost, and again with the unflushed writes kept, torn or lost at random — with
 * every acknowledged object, record, delete and property; anything not acknowledged is either
 * there whole or absent. Only MpoolExceptions may come out of the calls: the pool refuses what
 * it can no longer guarantee, it never breaks.
 */
class PoolIoErrorTest {
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final Path STAGING = Path.of("/memory/staging");
    private static final long CAPACITY_BYTES = 16L << 20;
    private static final long STAGING_BYTES = 10L << 20;
    private static final int PAGE = 4096;
    /** With -Dmpool.trace=true, every call of the workload is printed with its outcome. */
    private static final boolean TRACE = Boolean.getBoolean("mpool.trace");

    /** The base pool: the bytes of each device, and what it holds before the workload. */
    private record Base(byte[] capacity, byte[] staging, Model model) {}

    /** One injected failure: device 0 (capacity) or 1 (staging), which operation, its kind. */
    private record Injection(int number, int device, Op op, long index, ErrorCode code) {
        Fault fault() {
            return new Fault(op, code, index, code == ErrorCode.IO ? 1 : Long.MAX_VALUE);
        }

        @Override
        public String toString() {
            return "injection " + number + ": " + (code == ErrorCode.IO ? "EIO once at " : "ENOSPC from ")
                    + op.name().toLowerCase() + " " + (index + 1) + " of the " + (device == 0 ? "capacity" : "staging")
                    + " device";
        }
    }

    @Test
    void anIoErrorAtAnyWriteOrFlushLosesNothingAcknowledged() {
        Base base = base();
        long[][] counts = new long[2][];
        run(base, null, counts);
        List<Injection> injections = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            for (Op op : List.of(Op.WRITE, Op.FLUSH)) {
                for (long i = 0; i < counts[d][op.ordinal()]; i++) {
                    for (ErrorCode code : List.of(ErrorCode.IO, ErrorCode.NO_SPACE)) {
                        injections.add(new Injection(injections.size(), d, op, i, code));
                    }
                }
            }
        }
        assertThat(counts[0][Op.WRITE.ordinal()]).as("capacity writes").isGreaterThan(50);
        assertThat(counts[1][Op.FLUSH.ordinal()]).as("staging flushes").isPositive();
        String only = System.getProperty("mpool.ioerror");
        if (only != null) { // replay one: -Dmpool.ioerror=N, N as a failure names it
            injections = List.of(injections.get(Integer.parseInt(only)));
        }
        int every = Integer.getInteger("mpool.ioerror.every", 1); // the PIT profile takes every 8th
        if (every > 1) {
            List<Injection> some = new ArrayList<>();
            for (int i = 0; i < injections.size(); i += every) {
                some.add(injections.get(i));
            }
            injections = some;
        }
        int refused = 0;
        for (Injection injection : injections) {
            Outcome outcome = run(base, injection, null);
            refused += outcome.refusedAfterError();
        }
        System.out.printf(
                "PoolIoErrorTest: %d injections (capacity %d writes, %d flushes; staging %d writes, %d flushes),"
                        + " %d calls refused after an error%n",
                injections.size(),
                counts[0][Op.WRITE.ordinal()],
                counts[0][Op.FLUSH.ordinal()],
                counts[1][Op.WRITE.ordinal()],
                counts[1][Op.FLUSH.ordinal()],
                refused);
        assertThat(refused).as("calls refused after an error").isPositive();
    }

    private record Outcome(int refusedAfterError) {}

    /**
     * Runs the workload with {@code injection} (none: a clean run, whose operation counts go to
     * {@code counts}), then checks two crash images.
     */
    private static Outcome run(Base base, Injection injection, long[][] counts) {
        MemoryDevice cap = new MemoryDevice("capacity", CAPACITY_BYTES);
        MemoryDevice stg = new MemoryDevice("staging", STAGING_BYTES);
        cap.media().copyFrom(MemorySegment.ofArray(base.capacity()));
        stg.media().copyFrom(MemorySegment.ofArray(base.staging()));
        List<FaultInjectingDevice> devices = FaultInjectingDevice.forCrashes(List.of(cap, stg));
        devices.forEach(FaultInjectingDevice::losingWritesOnFailedFlush);
        if (injection != null) {
            devices.get(injection.device()).inject(injection.fault());
        }
        Model model = base.model().copy();
        Workload w = new Workload(devices, injection, model);
        WriteBehind.inlineOnThisThread(true); // the same writes in the same order on every run
        try {
            w.run();
        } finally {
            WriteBehind.inlineOnThisThread(false);
        }
        if (injection == null) {
            assertThat(w.refused).as("the clean run").isZero();
            for (int d = 0; d < 2; d++) {
                counts[d] = new long[Op.values().length];
                for (Op op : Op.values()) {
                    counts[d][op.ordinal()] = devices.get(d).operationCount(op);
                }
            }
        } else {
            assertThat(devices.get(injection.device()).operationCount(injection.op()))
                    .as("%s: the workload reaches it", injection)
                    .isGreaterThan(injection.index());
        }
        devices.get(0).crashNow();
        String where = injection == null ? "the clean run" : injection.toString();
        try (MemoryDevice c = devices.get(0).durableImage();
                MemoryDevice s = devices.get(1).durableImage()) {
            model.check(c, s, where + ", every unflushed write lost");
        }
        long seed = injection == null ? 1 : 1000L * injection.number();
        try (MemoryDevice c = devices.get(0).crashImage(seed);
                MemoryDevice s = devices.get(1).crashImage(seed + 1)) {
            model.check(c, s, where + ", unflushed writes kept, torn or lost at random (seed " + seed + ")");
        }
        devices.forEach(FaultInjectingDevice::close);
        return new Outcome(w.refused);
    }

    /** What a pool must hold: acknowledged state, and what may or may not be there. */
    private static final class Model {
        /** Committed mblocks and their bytes: acknowledged (must be there) or attempted (may be). */
        final Map<ObjectId, byte[]> mblocks = new LinkedHashMap<>();

        final Set<ObjectId> acknowledged = new LinkedHashSet<>();
        /** Deletes that returned: the object must be gone. */
        final Set<ObjectId> deleted = new LinkedHashSet<>();
        /** Deletes attempted: the object may be gone. */
        final Set<ObjectId> deleting = new LinkedHashSet<>();

        final Map<ObjectId, LogModel> logs = new LinkedHashMap<>();
        /** Per property: the acknowledged value (null: none) and the values attempted since. */
        final Map<String, List<String>> properties = new TreeMap<>();

        final List<String> names = new ArrayList<>();
        int namesAcknowledged;

        Model copy() {
            Model m = new Model();
            m.mblocks.putAll(mblocks);
            m.acknowledged.addAll(acknowledged);
            m.deleted.addAll(deleted);
            m.deleting.addAll(deleting);
            logs.forEach((id, l) -> m.logs.put(id, l.copy()));
            properties.forEach((k, v) -> m.properties.put(k, new ArrayList<>(v)));
            m.names.addAll(names);
            m.namesAcknowledged = namesAcknowledged;
            return m;
        }

        void check(MemoryDevice cap, MemoryDevice stg, String where) {
            MemoryDevices provider = MemoryDevices.serving(cap).put(STAGING, stg);
            if (TRACE) {
                try (MemoryDevice c = MemoryDevice.copyOf(cap);
                        MemoryDevice s = MemoryDevice.copyOf(stg);
                        Pool p = PoolOpener.open(
                                CAPACITY, MemoryDevices.serving(c).put(STAGING, s), true)) {
                    System.out.println(where + ": recovery " + p.recovery());
                }
            }
            Mpool pool;
            try {
                pool = Mpool.open(CAPACITY, provider);
            } catch (MpoolException e) {
                throw new AssertionError(where + ": the pool does not open: " + e, e);
            }
            try (pool;
                    Arena arena = Arena.ofConfined()) {
                Map<ObjectId, ObjectInfo> found = new HashMap<>();
                pool.objects().forEach(i -> found.put(i.id(), i));
                if (TRACE) {
                    System.out.println(where + ": found " + new TreeMap<>(found).keySet() + ", deleted " + deleted
                            + ", deleting " + deleting);
                }
                for (ObjectId id : found.keySet()) {
                    assertThat(mblocks.containsKey(id) || logs.containsKey(id))
                            .as("%s: %s is there, but no call made it", where, id)
                            .isTrue();
                    assertThat(deleted).as("%s: a delete that returned", where).doesNotContain(id);
                }
                for (ObjectId id : acknowledged) {
                    if (!deleting.contains(id)) {
                        assertThat(found).as("%s: acknowledged %s", where, id).containsKey(id);
                    }
                }
                for (Map.Entry<ObjectId, byte[]> e : mblocks.entrySet()) {
                    if (found.containsKey(e.getKey())) {
                        byte[] read = pool.readMblock(e.getKey(), arena).toArray(ValueLayout.JAVA_BYTE);
                        assertThat(read)
                                .as("%s: the bytes of %s", where, e.getKey())
                                .isEqualTo(e.getValue());
                    }
                }
                for (Map.Entry<ObjectId, LogModel> e : logs.entrySet()) {
                    if (found.containsKey(e.getKey())) {
                        List<byte[]> records;
                        try (Mlog.Reader reader = pool.read(e.getKey())) {
                            records = reader.readAll();
                        }
                        e.getValue().check(records, where + ": " + e.getKey());
                    }
                }
                Map<String, String> props = pool.properties();
                properties.forEach((key, values) -> {
                    if (values.getFirst() == null && !props.containsKey(key)) {
                        return;
                    }
                    assertThat(values).as("%s: property %s", where, key).contains(props.get(key));
                });
                assertThat(names.subList(namesAcknowledged, names.size()))
                        .as("%s: the pool's name", where)
                        .contains(pool.name());
                assertThat(pool.check((done, total) -> 0).problems())
                        .as("%s: check", where)
                        .isEmpty();
            }
        }
    }

    /** Records of one log: all appended (in order) and how many of them were acknowledged durable. */
    private static final class LogModel {
        final List<byte[]> appended = new ArrayList<>();
        int durable;

        LogModel copy() {
            LogModel m = new LogModel();
            m.appended.addAll(appended);
            m.durable = durable;
            return m;
        }

        void check(List<byte[]> records, String where) {
            assertThat(records.size())
                    .as("%s: records read, %d acknowledged of %d appended", where, durable, appended.size())
                    .isBetween(durable, appended.size());
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i)).as("%s: record %d", where, i).isEqualTo(appended.get(i));
            }
        }
    }

    /** The workload: each step a call whose return acknowledges something. */
    private static final class Workload {
        private final List<FaultInjectingDevice> devices;
        private final Injection injection;
        private final Model model;
        private final Random random = new Random(21);
        private final Arena arena = Arena.ofShared();
        int refused;
        private boolean failed;

        Workload(List<FaultInjectingDevice> devices, Injection injection, Model model) {
            this.devices = devices;
            this.injection = injection;
            this.model = model;
        }

        /** Runs {@code call}; an MpoolException is fine once the injected failure has fired. */
        private boolean attempt(String what, Runnable call) {
            try {
                call.run();
                if (TRACE) {
                    System.out.println("returned: " + what);
                }
                return true;
            } catch (MpoolException e) {
                if (TRACE) {
                    System.out.println("refused: " + what + ": " + e.getMessage());
                }
                boolean fired = injection != null
                        && devices.get(injection.device()).operationCount(injection.op()) > injection.index();
                if (!fired) {
                    throw new AssertionError(what + " failed before any injected error (" + injection + "): " + e, e);
                }
                failed = true;
                refused++;
                return false;
            }
        }

        void run() {
            try {
                Mpool[] pool = new Mpool[1];
                MemoryDevices provider = MemoryDevices.serving(devices.get(0)).put(STAGING, devices.get(1));
                if (!attempt("open", () -> pool[0] = Mpool.open(CAPACITY, provider))) {
                    return;
                }
                steps(pool[0]);
                attempt("close", pool[0]::close);
                if (failed) {
                    // A close that failed must still have let the pool go: a second is harmless.
                    try {
                        pool[0].close();
                    } catch (MpoolException e) {
                        // already reported
                    }
                }
            } finally {
                arena.close();
            }
        }

        private byte[] bytes(int length) {
            byte[] b = new byte[length];
            random.nextBytes(b);
            return b;
        }

        /** An mblock written with {@code length} random bytes, or null if the pool refused. */
        private MblockWriter written(Mpool pool, MediaClass mc, int length, byte[][] data) {
            MblockWriter[] w = new MblockWriter[1];
            byte[] b = bytes(length);
            data[0] = b;
            boolean ok = attempt("allocate and write", () -> {
                w[0] = pool.allocateMblock(mc);
                MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(length, PAGE));
                MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
                w[0].write(buf.asSlice(0, length));
            });
            return ok ? w[0] : null;
        }

        private void commitOne(Mpool pool, MediaClass mc, int length) {
            byte[][] data = new byte[1][];
            MblockWriter w = written(pool, mc, length, data);
            if (w == null) {
                return;
            }
            model.mblocks.put(w.id(), data[0]);
            if (attempt("commit " + w.id(), w::commit)) {
                model.acknowledged.add(w.id());
            }
        }

        private void append(Object log, LogModel m, byte[] record, boolean sync) {
            m.appended.add(record);
            boolean ok = attempt("append", () -> {
                if (log instanceof Mlog l) {
                    l.append(record, sync);
                } else {
                    ((Mdc) log).append(record, sync);
                }
            });
            if (ok && sync) {
                m.durable = m.appended.size();
            }
        }

        private void durable(LogModel m, String what, Runnable call) {
            int appended = m.appended.size();
            if (attempt(what, call)) {
                m.durable = appended;
            }
        }

        private ObjectId newLog(Mpool pool, boolean mdc, MediaClass mc) {
            ObjectId[] id = new ObjectId[1];
            if (!attempt(
                    "allocate log",
                    () -> id[0] = mdc ? pool.allocateMdc(mc, 64 << 10) : pool.allocateMlog(mc, 64 << 10))) {
                return null;
            }
            model.logs.put(id[0], new LogModel());
            if (!attempt("commit log", () -> pool.commit(id[0], 7))) {
                return id[0];
            }
            model.acknowledged.add(id[0]);
            return id[0];
        }

        private void delete(Mpool pool, List<ObjectId> ids) {
            List<ObjectId> present = ids.stream()
                    .filter(model.acknowledged::contains)
                    .filter(id -> !model.deleting.contains(id))
                    .toList();
            if (present.isEmpty()) {
                return;
            }
            model.deleting.addAll(present);
            if (attempt("delete " + present, () -> {
                if (present.size() == 1) {
                    pool.delete(present.getFirst());
                } else {
                    pool.delete(present);
                }
            })) {
                model.deleted.addAll(present);
            }
        }

        private void setProperty(Mpool pool, String key, String value) {
            List<String> values = model.properties.computeIfAbsent(key, k -> {
                List<String> l = new ArrayList<>();
                l.add(null);
                return l;
            });
            values.add(value);
            if (attempt("set " + key, () -> pool.setProperty(key, value))) {
                values.subList(0, values.size() - 1).clear();
            }
        }

        private void steps(Mpool pool) {
            // Mblocks on both classes, one at a time.
            commitOne(pool, MediaClass.CAPACITY, 3 * PAGE + 100);
            commitOne(pool, MediaClass.STAGING, PAGE);
            // A batch across both classes.
            byte[][] d1 = new byte[1][];
            byte[][] d2 = new byte[1][];
            MblockWriter b1 = written(pool, MediaClass.CAPACITY, 2 * PAGE, d1);
            MblockWriter b2 = written(pool, MediaClass.STAGING, 5000, d2);
            if (b1 != null && b2 != null) {
                model.mblocks.put(b1.id(), d1[0]);
                model.mblocks.put(b2.id(), d2[0]);
                if (attempt("batch commit", () -> pool.commit(List.of(b1, b2)))) {
                    model.acknowledged.add(b1.id());
                    model.acknowledged.add(b2.id());
                }
            }
            // Deferred commits, then a pool flush.
            List<MblockWriter> deferred = new ArrayList<>();
            for (MediaClass mc : List.of(MediaClass.CAPACITY, MediaClass.STAGING)) {
                byte[][] d = new byte[1][];
                MblockWriter w = written(pool, mc, PAGE + 7, d);
                if (w != null) {
                    model.mblocks.put(w.id(), d[0]);
                    if (attempt("commitDeferred", w::commitDeferred)) {
                        deferred.add(w);
                    }
                }
            }
            if (attempt("pool flush", pool::flush)) {
                deferred.forEach(w -> model.acknowledged.add(w.id()));
            }
            // A new mlog: async, sync, flush, close.
            ObjectId mlog = newLog(pool, false, MediaClass.CAPACITY);
            if (mlog != null && model.acknowledged.contains(mlog)) {
                LogModel m = model.logs.get(mlog);
                Mlog[] log = new Mlog[1];
                if (attempt("open mlog", () -> log[0] = pool.openMlog(mlog))) {
                    append(log[0], m, bytes(100), false);
                    append(log[0], m, bytes(5000), false);
                    append(log[0], m, bytes(30), true);
                    append(log[0], m, bytes(9000), false);
                    durable(m, "mlog flush", log[0]::flush);
                    append(log[0], m, bytes(10), false);
                    durable(m, "mlog close", log[0]::close);
                }
            }
            // The base pool's mlog: one more record, sync.
            for (Map.Entry<ObjectId, LogModel> e : List.copyOf(model.logs.entrySet())) {
                if (e.getKey().type() == ObjectId.Type.MLOG && !e.getKey().equals(mlog)) {
                    Mlog[] log = new Mlog[1];
                    if (attempt("open base mlog", () -> log[0] = pool.openMlog(e.getKey()))) {
                        append(log[0], e.getValue(), bytes(200), true);
                        durable(e.getValue(), "base mlog close", log[0]::close);
                    }
                }
            }
            // An MDC on the staging class.
            ObjectId mdc = newLog(pool, true, MediaClass.STAGING);
            if (mdc != null && model.acknowledged.contains(mdc)) {
                LogModel m = model.logs.get(mdc);
                Mdc[] log = new Mdc[1];
                if (attempt("open mdc", () -> log[0] = pool.openMdc(mdc))) {
                    append(log[0], m, bytes(64), true);
                    append(log[0], m, bytes(700), false);
                    durable(m, "mdc close", log[0]::close);
                }
            }
            // Deletes, properties, a rename, a catalog compaction, and more after it.
            List<ObjectId> baseBlocks = model.mblocks.keySet().stream().limit(2).toList();
            delete(pool, List.of(baseBlocks.getFirst()));
            setProperty(pool, "label", "blue");
            setProperty(pool, "label", "green");
            model.names.add("renamed");
            if (attempt("rename", () -> pool.rename("renamed"))) {
                model.namesAcknowledged = model.names.size() - 1;
            }
            attempt("compact metadata", pool::compactMetadata);
            commitOne(pool, MediaClass.CAPACITY, PAGE);
            List<ObjectId> later =
                    model.mblocks.keySet().stream().skip(2).limit(3).toList();
            delete(pool, later);
            commitOne(pool, MediaClass.STAGING, 2 * PAGE + 1);
        }
    }

    /**
     * The base pool: two devices, two shards, an mblock on each class, an mlog with records, a
     * property. Made once per run of the test; every injection starts from a copy of its bytes.
     */
    private static Base base() {
        Model model = new Model();
        try (MemoryDevice cap = new MemoryDevice("capacity", CAPACITY_BYTES);
                MemoryDevice stg = new MemoryDevice("staging", STAGING_BYTES);
                Arena arena = Arena.ofConfined()) {
            MemoryDevices provider = MemoryDevices.serving(cap).put(STAGING, stg);
            Random random = new Random(1);
            try (Mpool pool = Mpool.create(
                    "io",
                    CAPACITY,
                    new CreateOptions()
                            .mblockSize(1 << 20)
                            .shards(2)
                            .sparePercent(0)
                            .staging(STAGING, STAGING_BYTES, 1 << 20),
                    provider)) {
                for (MediaClass mc : List.of(MediaClass.CAPACITY, MediaClass.STAGING)) {
                    byte[] data = new byte[2 * PAGE + 11];
                    random.nextBytes(data);
                    MblockWriter w = pool.allocateMblock(mc);
                    MemorySegment buf = AlignedBuffers.allocate(arena, 3 * PAGE);
                    MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
                    w.write(buf.asSlice(0, data.length));
                    w.commit();
                    model.mblocks.put(w.id(), data);
                    model.acknowledged.add(w.id());
                }
                ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, 64 << 10);
                pool.commit(log, 0);
                LogModel m = new LogModel();
                try (Mlog mlog = pool.openMlog(log)) {
                    for (int i = 0; i < 3; i++) {
                        byte[] r = new byte[50 + i];
                        random.nextBytes(r);
                        mlog.append(r, true);
                        m.appended.add(r);
                    }
                }
                m.durable = m.appended.size();
                model.logs.put(log, m);
                model.acknowledged.add(log);
                pool.setProperty("label", "base");
                model.properties.put("label", new ArrayList<>(List.of("base")));
                model.names.add("io");
            }
            return new Base(
                    cap.media().toArray(ValueLayout.JAVA_BYTE), stg.media().toArray(ValueLayout.JAVA_BYTE), model);
        }
    }
}
