package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/**
 * The API tester's operations on mlogs, MDCs and the root MDC: allocate, commit with an owner
 * tag, abort, open (a second open is BUSY), append sync and async (LOG_FULL, changing nothing,
 * exactly when the record is longer than {@code remaining()}), flush, erase, read through the
 * handle and through the pool, compact (start, end, abort), close and delete (BUSY while
 * open). An open log's reader shows a prefix of what was appended: at least what was made
 * durable, since async appends may still sit in the write buffer.
 */
final class ApiModelLogs {
    private ApiModelLogs() {}

    static boolean allocate(ApiModelLane l) {
        ApiModel model = l.model;
        ObjectId.Type type = l.random.nextBoolean() ? ObjectId.Type.MLOG : ObjectId.Type.MDC;
        MediaClass mc = l.mediaClass();
        if (!model.hasClass(mc)) {
            l.expect.begin("allocate an " + type.label() + " in " + mc + ", which the pool does not have");
            l.expect.fails("allocate", () -> allocate(l.pool, type, mc, 1), ErrorCode.NOT_FOUND);
            return true;
        }
        long zoneBytes = model.classModel(mc).zoneBytes;
        long bytes = 1 + l.random.nextLong(zoneBytes * (type == ObjectId.Type.MLOG ? 5 : 3) / 2);
        long zonesPerLog = (bytes + zoneBytes - 1) / zoneBytes;
        long zones = type == ObjectId.Type.MDC ? 2 * zonesPerLog : zonesPerLog;
        ApiModel.Reservation r = model.reserve(mc, zones);
        l.expect.begin("allocate an " + type.label() + " of " + bytes + " bytes in " + mc + " (" + zones + " zones"
                + (r.fits ? "" : ", more than are free") + ")");
        ObjectId[] id = new ObjectId[1];
        ErrorCode code =
                l.expect.either("allocate", () -> id[0] = allocate(l.pool, type, mc, bytes), ErrorCode.NO_SPACE);
        boolean promised = r.settle(code == null);
        if (code != null) {
            // A promised zone is free; a promised run of several may be scattered.
            l.expect.check(!promised || zones > 1, () -> "NO_SPACE although the model promised a free zone");
            return true;
        }
        l.expect.check(
                id[0].type() == type && id[0].shard() >= 1 && id[0].shard() <= model.shards,
                () -> "a new " + type.label() + "'s id is " + id[0]);
        model.add(new ApiModel.Obj(id[0], type, mc, zones, zonesPerLog * zoneBytes, l.newHome()));
        return true;
    }

    static ObjectId allocate(Mpool pool, ObjectId.Type type, MediaClass mc, long bytes) {
        return type == ObjectId.Type.MLOG ? pool.allocateMlog(mc, bytes) : pool.allocateMdc(mc, bytes);
    }

    static boolean commit(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.isLog() && !x.committed);
        if (o == null) {
            return false;
        }
        long tag = l.tag();
        l.expect.begin("commit(" + o + ", owner " + tag + ")");
        l.expect.succeeds("commit", () -> l.pool.commit(o.id, tag));
        o.committed = true;
        o.durable = true;
        o.owner = tag;
        return true;
    }

    static boolean abort(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.isLog() && !x.committed);
        if (o == null) {
            return false;
        }
        l.expect.begin("abort(" + o + ")");
        l.expect.succeeds("abort", () -> l.pool.abort(o.id));
        l.model.remove(o);
        return true;
    }

    /** Opens a committed log (or the root MDC) of this lane; a second open of one already open is BUSY. */
    static boolean open(ApiModelLane l) {
        ApiModel.Obj o = l.random.nextInt(6) == 0 ? l.root(x -> true) : l.pick(x -> x.isLog() && x.committed);
        if (o == null) {
            return false;
        }
        boolean open = o.handle != null;
        l.expect.begin((open ? "open again " : "open ") + o);
        if (open) {
            l.expect.fails("open", () -> open(l.pool, o), ErrorCode.BUSY);
            return true;
        }
        AutoCloseable h = l.expect.ok("open", () -> open(l.pool, o));
        o.handle = h;
        long capacity = capacityBytes(h);
        l.expect.check(capacity == o.logBytes, () -> o + ": capacityBytes " + capacity + ", expected " + o.logBytes);
        if (h instanceof Mlog m) {
            l.expect.check(m.id().equals(o.id), () -> "the handle's id is " + m.id());
            l.expect.check(
                    m.generation() == o.generation,
                    () -> o + ": generation " + m.generation() + ", expected " + o.generation);
        } else {
            Mdc m = (Mdc) h;
            l.expect.check(o.isRoot() ? m.id() == null : o.id.equals(m.id()), () -> "the handle's id is " + m.id());
        }
        return true;
    }

    private static AutoCloseable open(Mpool pool, ApiModel.Obj o) {
        if (o.isRoot()) {
            return pool.rootMdc();
        }
        return o.type == ObjectId.Type.MLOG ? pool.openMlog(o.id) : pool.openMdc(o.id);
    }

    /** An open log of this lane (the root MDC now and then), or null. */
    private static ApiModel.Obj openLog(ApiModelLane l) {
        ApiModel.Obj root = l.root(x -> x.handle != null);
        if (root != null && l.random.nextInt(4) == 0) {
            return root;
        }
        ApiModel.Obj o = l.pick(x -> x.handle != null);
        return o != null ? o : root;
    }

    /**
     * Appends a record: sized to fit most of the time, to fill the log now and then, one byte
     * too long (LOG_FULL, nothing written) sometimes. {@code remaining()} is the oracle of what
     * fits; an append that disagrees with it is a bug in one of the two.
     */
    static boolean append(ApiModelLane l) {
        ApiModel.Obj o = openLog(l);
        if (o == null) {
            return false;
        }
        AutoCloseable h = o.handle;
        long remaining = remaining(h);
        long used = usedBytes(h);
        int size = switch (l.random.nextInt(12)) {
            case 0 -> (int) Math.min(remaining + 1 + l.random.nextInt(100), 1 << 22);
            case 1 -> (int) Math.max(0, Math.min(remaining, 1 << 22));
            case 2, 3 -> l.random.nextInt(6000);
            default -> l.random.nextInt(300);
        };
        boolean sync = l.random.nextInt(3) == 0;
        int form = h instanceof Mlog ? l.random.nextInt(3) : 0; // byte[], a heap segment, a native one
        byte[] record = l.bytes(size);
        l.expect.begin("append " + size + " bytes" + (sync ? " sync" : "") + (form == 0 ? "" : " as a segment") + " to "
                + o + " (" + remaining + " remaining" + (o.compaction != null ? ", compacting" : "") + ")");
        try (Arena arena = Arena.ofConfined()) {
            Runnable call = () -> {
                switch (form) {
                    case 0 -> append(h, record, sync);
                    case 1 -> ((Mlog) h).append(MemorySegment.ofArray(record), sync);
                    default -> ((Mlog) h).append(ApiModelLane.buffer(arena, record, record.length), sync);
                }
            };
            // Another lane's pool.flush() may seal this log's open frame meanwhile, which moves
            // what remaining() says by a fragment header, or the rest of a block.
            long slack = l.alone() ? 0 : 4096;
            ErrorCode code;
            if (size <= remaining - slack) {
                code = null;
                l.expect.succeeds("append", call);
            } else if (size > remaining + slack) {
                code = l.expect.fails("append", call, ErrorCode.LOG_FULL);
            } else {
                code = l.expect.either("append", call, ErrorCode.LOG_FULL);
            }
            if (code != null) {
                l.expect.check(
                        usedBytes(h) == used && (!l.alone() || remaining(h) == remaining),
                        () -> "LOG_FULL changed the log: used " + used + " -> " + usedBytes(h) + ", remaining "
                                + remaining + " -> " + remaining(h));
                return true;
            }
        }
        o.appendTarget().add(record);
        if (sync) {
            // Every record before it too: during a compaction those of the state it replaces,
            // which is what a crash before compactEnd recovers.
            o.durableCount = o.records.size();
        }
        l.expect.check(usedBytes(h) > used, () -> "usedBytes did not grow: " + used);
        return true;
    }

    static boolean flush(ApiModelLane l) {
        ApiModel.Obj o = openLog(l);
        if (o == null) {
            return false;
        }
        l.expect.begin("flush " + o);
        l.expect.succeeds("flush", () -> flush(o.handle));
        o.durableCount = o.records.size();
        return true;
    }

    static boolean erase(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.handle instanceof Mlog);
        if (o == null) {
            return false;
        }
        Mlog m = (Mlog) o.handle;
        l.expect.begin("erase " + o + " holding " + o.records.size() + " records");
        l.expect.succeeds("erase", m::erase);
        o.records = new ArrayList<>();
        o.durableCount = 0;
        o.generation++;
        l.expect.check(m.generation() == o.generation, () -> "generation " + m.generation() + " after the erase");
        l.expect.check(m.reader().readAll().isEmpty(), () -> "records after the erase");
        return true;
    }

    /** Reads through the handle: a prefix of the records appended, at least the durable ones. */
    static boolean reader(ApiModelLane l) {
        ApiModel.Obj o = openLog(l);
        if (o == null) {
            return false;
        }
        l.expect.begin("reader of " + o);
        List<byte[]> read = l.expect.ok("reader", () -> reader(o.handle).readAll());
        ApiModelCheck.prefix(l.expect, o, read, o.durableCount);
        return true;
    }

    /** Reads through the pool ({@code pool.read}): exactly the records if closed, a prefix if open. */
    static boolean poolRead(ApiModelLane l) {
        ApiModel.Obj o = l.random.nextInt(5) == 0 ? l.root(x -> true) : l.pick(x -> x.isLog() && x.committed);
        if (o == null) {
            return false;
        }
        l.expect.begin("pool.read(" + o + ")" + (o.handle != null ? " while open" : ""));
        List<byte[]> read = l.expect.ok("read", () -> l.pool.read(o.id).readAll());
        if (o.handle != null) {
            ApiModelCheck.prefix(l.expect, o, read, o.durableCount);
        } else {
            ApiModelCheck.prefix(l.expect, o, read, o.records.size());
        }
        return true;
    }

    static boolean close(ApiModelLane l) {
        ApiModel.Obj o = openLog(l);
        if (o == null) {
            return false;
        }
        l.expect.begin("close " + o + (o.compaction != null ? " during a compaction" : ""));
        AutoCloseable h = o.handle;
        l.expect.succeeds("close", () -> close(h));
        o.handle = null;
        o.compaction = null; // abandoned: the state before it stays
        o.durableCount = o.records.size();
        l.model.retire(h);
        return true;
    }

    /** compactStart, compactEnd or compactAbort on an open MDC, in or out of turn (INVALID_STATE). */
    static boolean compact(ApiModelLane l) {
        ApiModel.Obj o =
                l.random.nextInt(3) == 0 ? l.root(x -> x.handle != null) : l.pick(x -> x.handle instanceof Mdc);
        if (o == null) {
            return false;
        }
        Mdc m = (Mdc) o.handle;
        boolean compacting = o.compaction != null;
        switch (l.random.nextInt(compacting ? 4 : 3)) {
            case 0 -> {
                l.expect.begin("compactStart " + o + (compacting ? " during a compaction" : ""));
                if (compacting) {
                    l.expect.fails("compactStart", m::compactStart, ErrorCode.INVALID_STATE);
                } else {
                    l.expect.succeeds("compactStart", m::compactStart);
                    o.compaction = new ArrayList<>();
                    o.durableCount = o.records.size(); // what a crash before compactEnd recovers
                }
            }
            case 1 -> {
                l.expect.begin("compactEnd " + o + (compacting ? "" : " with no compaction"));
                if (!compacting) {
                    l.expect.fails("compactEnd", m::compactEnd, ErrorCode.INVALID_STATE);
                } else {
                    l.expect.succeeds("compactEnd", m::compactEnd);
                    o.records = o.compaction;
                    o.compaction = null;
                    o.durableCount = o.records.size();
                }
            }
            case 2 -> {
                l.expect.begin("compactAbort " + o + (compacting ? "" : " with no compaction"));
                l.expect.succeeds("compactAbort", m::compactAbort);
                o.compaction = null;
            }
            default -> keepLast(l, o, m);
        }
        return true;
    }

    /**
     * A whole compaction, as a client runs one: start, append the live state (here the last
     * few records, async), end. Keeps MDCs from filling up for good.
     */
    private static void keepLast(ApiModelLane l, ApiModel.Obj o, Mdc m) {
        if (o.compaction != null) {
            return;
        }
        List<byte[]> keep = new ArrayList<>(
                o.records.subList(Math.max(0, o.records.size() - l.random.nextInt(4)), o.records.size()));
        l.expect.begin("compact " + o + " to its last " + keep.size() + " records");
        l.expect.succeeds("compactStart", m::compactStart);
        for (byte[] r : keep) {
            l.expect.succeeds("append", () -> m.append(r, false));
        }
        l.expect.succeeds("compactEnd", m::compactEnd);
        o.records = keep;
        o.durableCount = keep.size();
    }

    /** Deletes a committed mlog or MDC: BUSY while open. */
    static boolean delete(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.isLog() && x.committed);
        if (o == null) {
            return false;
        }
        l.expect.begin("delete " + o + (o.handle != null ? " (open)" : ""));
        if (o.handle != null) {
            l.expect.fails("delete", () -> l.pool.delete(o.id), ErrorCode.BUSY);
            return true;
        }
        l.expect.succeeds("delete", () -> l.pool.delete(o.id));
        l.model.remove(o);
        return true;
    }

    // ------------------------------------------------------------------ an Mlog or an Mdc, alike

    static void append(AutoCloseable h, byte[] record, boolean sync) {
        if (h instanceof Mlog m) {
            m.append(record, sync);
        } else {
            ((Mdc) h).append(record, sync);
        }
    }

    static void flush(AutoCloseable h) {
        if (h instanceof Mlog m) {
            m.flush();
        } else {
            ((Mdc) h).flush();
        }
    }

    static Mlog.Reader reader(AutoCloseable h) {
        return h instanceof Mlog m ? m.reader() : ((Mdc) h).reader();
    }

    static long remaining(AutoCloseable h) {
        return h instanceof Mlog m ? m.remaining() : ((Mdc) h).remaining();
    }

    static long usedBytes(AutoCloseable h) {
        return h instanceof Mlog m ? m.usedBytes() : ((Mdc) h).usedBytes();
    }

    static long capacityBytes(AutoCloseable h) {
        return h instanceof Mlog m ? m.capacityBytes() : ((Mdc) h).capacityBytes();
    }

    static void close(AutoCloseable h) {
        if (h instanceof Mlog m) {
            m.close();
        } else {
            ((Mdc) h).close();
        }
    }
}
