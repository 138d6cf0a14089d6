package org.mpool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/**
 * What the lanes of a concurrent phase share: committed mblocks frozen for the phase (every
 * lane reads and maps them, nobody deletes them), and one open log — an mlog, or an MDC a third
 * of the time — every lane appends to and reads, and lane 0 now and then erases (an mlog). The
 * shared log's outcome cannot be predicted call by call, so each call is journaled with when it started and ended (one clock for all lanes),
 * and {@link #finish} judges the log against the journal: every acknowledged record there
 * exactly once (unless an erase may have taken it), none that failed, each lane's in its
 * order, and a record acknowledged before another began ahead of it.
 */
final class ApiModelShared {
    /** One append to the shared log: by whom, what, when; {@code ok} false if it failed (LOG_FULL). */
    private record Append(int lane, long serial, byte[] record, long start, long end, boolean ok) {}

    private record Span(long start, long end) {}

    /** A read of the shared log through its handle. */
    private record Read(List<byte[]> records, long start, long end, String lane) {}

    final List<ApiModel.Obj> frozen;
    /** The shared mlog or MDC, or null if the pool had no room for one. */
    private final ApiModel.Obj log;

    /** The shared log's handle: an {@link Mlog}, or an {@link Mdc} (which has no erase). */
    private final AutoCloseable handle;

    private final AtomicLong clock = new AtomicLong();
    private final ConcurrentLinkedQueue<Append> appends = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Span> erases = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();

    private ApiModelShared(List<ApiModel.Obj> frozen, ApiModel.Obj log) {
        this.frozen = frozen;
        this.log = log;
        this.handle = log == null ? null : log.handle;
    }

    /** Freezes a few mblocks and opens (or makes) the shared log. Runs with no lane running. */
    static ApiModelShared start(ApiModelExpect e, Mpool pool, ApiModel model, SplittableRandom random) {
        List<ApiModel.Obj> mblocks = new ArrayList<>(model.select(o -> o.committed && o.type == ObjectId.Type.MBLOCK));
        List<ApiModel.Obj> frozen = new ArrayList<>();
        while (frozen.size() < 6 && !mblocks.isEmpty()) {
            ApiModel.Obj o = mblocks.remove(random.nextInt(mblocks.size()));
            o.frozen = true;
            frozen.add(o);
        }
        List<ApiModel.Obj> mlogs = model.select(o -> o.committed
                && o.type == ObjectId.Type.MLOG
                && o.mediaClass == MediaClass.CAPACITY
                && o.logBytes >= (2L << 20));
        // An MDC a third of the time (appends only: its compactions are its owner's to order).
        List<ApiModel.Obj> mdcs = model.select(o -> o.committed && o.type == ObjectId.Type.MDC && o.compaction == null);
        ApiModel.Obj log = !mdcs.isEmpty() && random.nextInt(3) == 0
                ? mdcs.get(random.nextInt(mdcs.size()))
                : mlogs.isEmpty() ? newLog(e, pool, model, random) : mlogs.get(random.nextInt(mlogs.size()));
        if (log != null) {
            log.frozen = true;
            if (log.handle == null) {
                e.begin("open the shared " + log);
                log.handle = e.ok(
                        "open", () -> log.type == ObjectId.Type.MLOG ? pool.openMlog(log.id) : pool.openMdc(log.id));
            }
        }
        return new ApiModelShared(List.copyOf(frozen), log);
    }

    private static ApiModel.Obj newLog(ApiModelExpect e, Mpool pool, ApiModel model, SplittableRandom random) {
        long zoneBytes = model.classModel(MediaClass.CAPACITY).zoneBytes;
        long zones = (2L << 20) / zoneBytes;
        ApiModel.Reservation r = model.reserve(MediaClass.CAPACITY, zones);
        if (!r.fits) {
            r.settle(false);
            return null;
        }
        e.begin("make a shared mlog of " + zones + " zones");
        ObjectId[] id = new ObjectId[1];
        ErrorCode code = e.either(
                "allocateMlog", () -> id[0] = pool.allocateMlog(MediaClass.CAPACITY, 2L << 20), ErrorCode.NO_SPACE);
        r.settle(code == null);
        if (code != null) {
            return null;
        }
        ApiModel.Obj o = new ApiModel.Obj(
                id[0],
                ObjectId.Type.MLOG,
                MediaClass.CAPACITY,
                zones,
                zones * zoneBytes,
                random.nextInt(ApiModel.HOMES));
        model.add(o);
        e.succeeds("commit", () -> pool.commit(id[0], 0));
        o.committed = true;
        o.durable = true;
        return o;
    }

    boolean append(ApiModelLane l) {
        if (log == null) {
            return false;
        }
        byte[] record = l.bytes(8 + l.random.nextInt(200));
        boolean sync = l.random.nextBoolean();
        long serial = serial(record);
        l.expect.begin("append " + record.length + " bytes" + (sync ? " sync" : "") + " to the shared " + log);
        long start = clock.incrementAndGet();
        ErrorCode code = l.expect.either("append", () -> ApiModelLogs.append(handle, record, sync), ErrorCode.LOG_FULL);
        appends.add(new Append(l.lane, serial, record, start, clock.incrementAndGet(), code == null));
        return true;
    }

    boolean read(ApiModelLane l) {
        if (log == null) {
            return false;
        }
        l.expect.begin("read the shared " + log);
        long start = clock.incrementAndGet();
        List<byte[]> records =
                l.expect.ok("reader", () -> ApiModelLogs.reader(handle).readAll());
        reads.add(new Read(records, start, clock.incrementAndGet(), l.expect.lane()));
        return true;
    }

    /** Lane 0 erases the shared log now and then, while the others append (sync appenders wait on flushes). */
    boolean erase(ApiModelLane l) {
        if (!(handle instanceof Mlog m) || l.lane != 0 || l.random.nextBoolean()) {
            return false;
        }
        l.expect.begin("erase the shared " + log + " while other lanes append");
        long start = clock.incrementAndGet();
        l.expect.succeeds("erase", m::erase);
        erases.add(new Span(start, clock.incrementAndGet()));
        return true;
    }

    /**
     * Judges the shared log against the journal, then hands it back to the model (every record
     * durable after a flush) and unfreezes everything. Runs with no lane running.
     */
    void finish(ApiModelExpect e) {
        frozen.forEach(o -> o.frozen = false);
        if (log == null) {
            return;
        }
        log.frozen = false;
        e.begin("judge the shared " + log + ": " + appends.size() + " appends, " + erases.size() + " erases");
        e.succeeds("flush", () -> ApiModelLogs.flush(handle));
        List<byte[]> got = e.ok("reader", () -> ApiModelLogs.reader(handle).readAll());
        Span lastErase = erases.stream()
                .max((a, b) -> Long.compare(a.start(), b.start()))
                .orElse(null);
        int before = lastErase == null ? log.records.size() : 0; // records from before the phase
        ApiModelCheck.prefix(e, log, got.subList(0, Math.min(before, got.size())), before);
        Map<Long, Append> bySerial = new HashMap<>();
        appends.forEach(a -> bySerial.put(a.serial(), a));
        Map<Long, Integer> position = new HashMap<>();
        for (int i = before; i < got.size(); i++) {
            byte[] r = got.get(i);
            Append a = bySerial.get(serial(r));
            int at = i;
            e.check(
                    a != null && a.ok() && Arrays.equals(a.record(), r),
                    () -> "record " + at + " of the shared log, " + ApiModelCheck.describe(r)
                            + ", was never acknowledged: " + a);
            e.check(position.put(a.serial(), i) == null, () -> "record " + at + " is in the shared log twice: " + a);
        }
        for (Append a : appends) {
            boolean there = position.containsKey(a.serial());
            boolean mustBe = a.ok() && (lastErase == null || a.start() > lastErase.end());
            boolean mayBe = a.ok() && (lastErase == null || a.end() > lastErase.start());
            e.check(
                    there ? mayBe : !mustBe,
                    () -> a + (there ? " is in the shared log" : " is missing from the shared log") + "; last erase "
                            + lastErase);
        }
        List<Append> present =
                appends.stream().filter(a -> position.containsKey(a.serial())).toList();
        for (Append a : present) {
            for (Append b : present) {
                boolean ordered = a.end() < b.start() || (a.lane() == b.lane() && a.start() < b.start());
                e.check(
                        !ordered || position.get(a.serial()) < position.get(b.serial()),
                        () -> a + " was acknowledged before " + b + " began, yet it is after it in the shared log");
            }
        }
        for (Read r : reads) {
            boolean stable = erases.stream().allMatch(s -> s.end() < r.start());
            if (stable && erases.stream().noneMatch(s -> s.start() > r.end())) {
                e.check(r.records().size() <= got.size(), () -> r.lane() + " read more records than the log holds");
                for (int i = 0; i < r.records().size(); i++) {
                    int at = i;
                    e.check(
                            Arrays.equals(r.records().get(i), got.get(i)),
                            () -> r.lane() + " read record " + at + " of the shared log as "
                                    + ApiModelCheck.describe(r.records().get(at)) + "; it is "
                                    + ApiModelCheck.describe(got.get(at)));
                }
            }
        }
        log.records = new ArrayList<>(got);
        log.durableCount = got.size();
        if (handle instanceof Mlog m) {
            log.generation += erases.size();
            e.check(
                    m.generation() == log.generation,
                    () -> "the shared log's generation is " + m.generation() + ", expected " + log.generation);
        }
    }

    private static long serial(byte[] record) {
        long serial = 0;
        for (int i = 0; i < Math.min(8, record.length); i++) {
            serial |= (record[i] & 0xFFL) << (8 * i);
        }
        return serial;
    }
}
