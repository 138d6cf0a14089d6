package org.mpool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/**
 * One committed mlog, closed, that every lane of a concurrent phase races for: open it (one
 * handle at a time: the others get BUSY), append, close; and lane 0 now and then tries to
 * delete it (BUSY while a handle is open). Calls are journaled with one clock for all lanes,
 * and {@link #finish} judges them: never two handles at once; no successful delete while a
 * handle was open from before it began until after it ended; no open after a delete ended;
 * and, unless deleted, the log holds exactly the records the holders appended, in turn.
 */
final class ApiModelContended {
    private record Span(String lane, long start, long end) {}

    private record Append(byte[] record, long end) {}

    private final ApiModel.Obj log;
    private final AtomicLong clock = new AtomicLong();
    /** Lanes holding a handle now: more than one is a bug. */
    private final AtomicInteger holders = new AtomicInteger();
    /** From an open's return to its close's call: the handle was open throughout. */
    private final ConcurrentLinkedQueue<Span> held = new ConcurrentLinkedQueue<>();

    private final ConcurrentLinkedQueue<Span> opens = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Span> deletes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Append> appends = new ConcurrentLinkedQueue<>();

    private ApiModelContended(ApiModel.Obj log) {
        this.log = log;
    }

    /** Picks a committed, closed mlog of capacity to contend for, or returns null if there is none. */
    static ApiModelContended start(ApiModel model, SplittableRandom random) {
        List<ApiModel.Obj> closed =
                model.select(o -> o.committed && o.type == ObjectId.Type.MLOG && o.handle == null && !o.frozen);
        if (closed.isEmpty()) {
            return null;
        }
        ApiModel.Obj o = closed.get(random.nextInt(closed.size()));
        o.frozen = true;
        return new ApiModelContended(o);
    }

    /** Open, append a record or two, close — or BUSY, or NOT_FOUND once deleted. */
    boolean use(ApiModelLane l) {
        l.expect.begin("race for the contended " + log);
        Mlog[] h = new Mlog[1];
        long start = clock.incrementAndGet();
        ErrorCode code =
                l.expect.either("openMlog", () -> h[0] = l.pool.openMlog(log.id), ErrorCode.BUSY, ErrorCode.NOT_FOUND);
        long opened = clock.incrementAndGet();
        if (code == ErrorCode.NOT_FOUND) {
            opens.add(new Span(l.expect.lane() + " NOT_FOUND", start, opened));
            return true;
        }
        if (code != null) {
            return true;
        }
        opens.add(new Span(l.expect.lane(), start, opened));
        int now = holders.incrementAndGet();
        l.expect.check(now == 1, () -> now + " handles of " + log + " are open at once");
        for (int n = l.random.nextInt(3); n > 0; n--) {
            byte[] record = l.bytes(8 + l.random.nextInt(100));
            if (l.expect.either("append", () -> h[0].append(record, l.random.nextBoolean()), ErrorCode.LOG_FULL)
                    == null) {
                appends.add(new Append(record, clock.incrementAndGet()));
            }
        }
        holders.decrementAndGet();
        long closing = clock.incrementAndGet();
        held.add(new Span(l.expect.lane(), opened, closing));
        l.expect.succeeds("close", h[0]::close);
        return true;
    }

    /** Lane 0 tries to delete it now and then: BUSY while someone holds it. */
    boolean delete(ApiModelLane l) {
        if (l.lane != 0 || l.random.nextInt(8) != 0 || !deletes.isEmpty()) {
            return false;
        }
        l.expect.begin("delete the contended " + log);
        long start = clock.incrementAndGet();
        ErrorCode code = l.expect.either("delete", () -> l.pool.delete(log.id), ErrorCode.BUSY);
        if (code == null) {
            deletes.add(new Span(l.expect.lane(), start, clock.incrementAndGet()));
        }
        return true;
    }

    /** Judges the journal and brings the model up to date. Runs with no lane running. */
    void finish(ApiModelExpect e, ApiModel model, Mpool pool) {
        log.frozen = false;
        e.begin("judge the contended " + log + ": " + opens.size() + " opens, " + deletes.size() + " deletes");
        Span deleted = deletes.peek();
        for (Span o : opens) {
            e.check(
                    !o.lane().endsWith("NOT_FOUND") || deleted != null && deleted.start() < o.end(),
                    () -> o + ": NOT_FOUND for " + log + ", which no delete had taken");
        }
        if (deleted != null) {
            for (Span h : held) {
                e.check(
                        !(h.start() < deleted.start() && h.end() > deleted.end()),
                        () -> "the delete " + deleted + " succeeded while " + h + " held " + log);
            }
            for (Span o : opens) {
                e.check(
                        o.start() < deleted.end() || o.lane().endsWith("NOT_FOUND"),
                        () -> o + " opened " + log + " after the delete " + deleted + " had returned");
            }
            model.remove(log);
            return;
        }
        List<Append> inOrder = new ArrayList<>(appends);
        inOrder.sort(Comparator.comparingLong(Append::end));
        log.records.addAll(inOrder.stream().map(Append::record).toList());
        log.durableCount = log.records.size();
        List<byte[]> read = e.ok("read", () -> pool.read(log.id).readAll());
        ApiModelCheck.prefix(e, log, read, log.records.size());
    }
}
