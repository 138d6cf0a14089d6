package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/**
 * Calls a client should not make, and the code each must fail with: ids the pool never issued,
 * ids of deleted or aborted objects, ids in a shard the pool lacks, ids of the wrong type,
 * objects not committed yet, capacities that overflow, null arguments, handles used after
 * their close (or their pool's), properties and names the pool refuses. None of them may
 * change anything: the next comparison with the model checks that too.
 */
final class ApiModelMisuse {
    private ApiModelMisuse() {}

    private static final ObjectId.Type[] TYPES = ObjectId.Type.values();

    static boolean run(ApiModelLane l) {
        return switch (l.random.nextInt(11)) {
            case 0 -> unknownId(l);
            case 1 -> goneId(l);
            case 2 -> wrongType(l);
            case 3 -> uncommitted(l);
            case 4 -> commitOrAbortOutOfTurn(l);
            case 5 -> hugeCapacity(l);
            case 6 -> nulls(l);
            case 7, 8 -> staleHandle(l);
            case 9 -> badProperty(l);
            default -> readerOutOfTurn(l);
        };
    }

    /** An id never issued, or in a shard the pool does not have: NOT_FOUND for every call that names one. */
    private static boolean unknownId(ApiModelLane l) {
        ObjectId.Type type = TYPES[l.random.nextInt(TYPES.length)];
        ObjectId id = l.random.nextBoolean() ? l.unknownId(type) : l.idBeyondShards(type);
        notFound(l, id, "an unknown id " + id);
        return true;
    }

    /** The id of an object aborted or deleted: NOT_FOUND, for good. */
    private static boolean goneId(ApiModelLane l) {
        ObjectId id = l.any(l.model.gone.stream().sorted().toList());
        if (id == null) {
            return false;
        }
        notFound(l, id, "the gone " + id.type().label() + " " + id);
        return true;
    }

    private static void notFound(ApiModelLane l, ObjectId id, String what) {
        l.expect.begin("calls with " + what);
        ErrorCode nf = ErrorCode.NOT_FOUND;
        l.expect.fails("info", () -> l.pool.info(id), nf);
        l.expect.fails("delete", () -> l.pool.delete(id), nf);
        l.expect.fails("commit(id, owner)", () -> l.pool.commit(id, 7), nf);
        l.expect.fails("abort(id)", () -> l.pool.abort(id), nf);
        switch (id.type()) {
            case MBLOCK -> {
                l.expect.fails("readMblock", () -> readPage(l.pool, id), nf);
                try (Arena arena = Arena.ofConfined()) {
                    l.expect.fails("readMblock(id, arena)", () -> l.pool.readMblock(id, arena), nf);
                }
                if (l.mappable) {
                    l.expect.fails("map", () -> l.pool.map(List.of(id), Advice.WARM), nf);
                }
            }
            case MLOG -> {
                l.expect.fails("openMlog", () -> l.pool.openMlog(id), nf);
                l.expect.fails("read", () -> l.pool.read(id), nf);
            }
            case MDC -> {
                l.expect.fails("openMdc", () -> l.pool.openMdc(id), nf);
                l.expect.fails("read", () -> l.pool.read(id), nf);
            }
        }
    }

    private static void readPage(Mpool pool, ObjectId id) {
        try (Arena arena = Arena.ofConfined()) {
            pool.readMblock(id, 0, Mpool.allocateBuffer(arena, 4096));
        }
    }

    /** A committed object's id given to a call for another type: INVALID_ARGUMENT. */
    private static boolean wrongType(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.committed);
        if (o == null) {
            return false;
        }
        l.expect.begin("calls for another type with " + o);
        ErrorCode bad = ErrorCode.INVALID_ARGUMENT;
        if (o.type != ObjectId.Type.MBLOCK) {
            l.expect.fails("readMblock", () -> readPage(l.pool, o.id), bad);
            if (l.mappable) {
                l.expect.fails("map", () -> l.pool.map(List.of(o.id), Advice.WARM), bad);
            }
        } else {
            l.expect.fails("read", () -> l.pool.read(o.id), bad);
        }
        if (o.type != ObjectId.Type.MLOG) {
            l.expect.fails("openMlog", () -> l.pool.openMlog(o.id), bad);
        }
        if (o.type != ObjectId.Type.MDC) {
            l.expect.fails("openMdc", () -> l.pool.openMdc(o.id), bad);
        }
        // The same bits with another type are another id, which the pool does not know.
        ObjectId.Type otherType = TYPES[(o.type.ordinal() + 1 + l.random.nextInt(2)) % TYPES.length];
        ObjectId mangled = ObjectId.of(o.id.uniquifier(), otherType, o.id.shard());
        if (!l.model.objects.containsKey(mangled.value())) {
            l.expect.fails("info of " + mangled, () -> l.pool.info(mangled), ErrorCode.NOT_FOUND);
        }
        return true;
    }

    /** An allocated, uncommitted object: not readable or openable yet (INVALID_STATE), not deletable (NOT_FOUND). */
    private static boolean uncommitted(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> !x.committed);
        if (o == null) {
            return false;
        }
        l.expect.begin("calls with the uncommitted " + o);
        ErrorCode early = ErrorCode.INVALID_STATE;
        l.expect.fails("info", () -> l.pool.info(o.id), early);
        l.expect.fails("delete", () -> l.pool.delete(o.id), ErrorCode.NOT_FOUND);
        switch (o.type) {
            case MBLOCK -> {
                l.expect.fails("readMblock", () -> readPage(l.pool, o.id), early);
                if (l.mappable) {
                    l.expect.fails("map", () -> l.pool.map(List.of(o.id), Advice.WARM), early);
                }
            }
            case MLOG -> {
                l.expect.fails("openMlog", () -> l.pool.openMlog(o.id), early);
                l.expect.fails("read", () -> l.pool.read(o.id), early);
            }
            case MDC -> {
                l.expect.fails("openMdc", () -> l.pool.openMdc(o.id), early);
                l.expect.fails("read", () -> l.pool.read(o.id), early);
            }
        }
        return true;
    }

    /**
     * {@code commit(id, owner)} and {@code abort(id)} take only allocated, uncommitted mlogs and
     * MDCs: a committed one, or an mblock's id (its writer commits it), is NOT_FOUND — and the
     * mblock's allocation must survive the attempt.
     */
    private static boolean commitOrAbortOutOfTurn(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.committed ? x.isLog() : x.type == ObjectId.Type.MBLOCK);
        if (o == null) {
            return false;
        }
        l.expect.begin("commit(id, owner) and abort(id) of " + o);
        l.expect.fails("commit", () -> l.pool.commit(o.id, 1), ErrorCode.NOT_FOUND);
        l.expect.fails("abort", () -> l.pool.abort(o.id), ErrorCode.NOT_FOUND);
        return true;
    }

    /** Capacities that are not positive, or whose zone count overflows, or that no device holds. */
    private static boolean hugeCapacity(ApiModelLane l) {
        long zoneBytes = l.model.classModel(MediaClass.CAPACITY).zoneBytes;
        long[] sizes = {
            0,
            -1,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            Long.MAX_VALUE - zoneBytes + 1,
            Long.MAX_VALUE / 2 + 1,
            Long.MAX_VALUE - zoneBytes,
            1L << 50,
            -zoneBytes
        };
        long bytes = sizes[l.random.nextInt(sizes.length)];
        ObjectId.Type type = l.random.nextBoolean() ? ObjectId.Type.MLOG : ObjectId.Type.MDC;
        l.expect.begin("allocate an " + type.label() + " of " + bytes + " bytes");
        if (bytes <= 0) {
            l.expect.fails(
                    "allocate",
                    () -> ApiModelLogs.allocate(l.pool, type, MediaClass.CAPACITY, bytes),
                    ErrorCode.INVALID_ARGUMENT);
        } else {
            l.expect.fails(
                    "allocate",
                    () -> ApiModelLogs.allocate(l.pool, type, MediaClass.CAPACITY, bytes),
                    ErrorCode.INVALID_ARGUMENT,
                    ErrorCode.NO_SPACE);
        }
        return true;
    }

    /** Null arguments: the documented NullPointerException, nothing changed. */
    private static boolean nulls(ApiModelLane l) {
        // The other arguments are valid, so that nothing but the null can be refused.
        ApiModel.Obj mblock = l.pick(x -> x.committed && x.type == ObjectId.Type.MBLOCK);
        ObjectId id = mblock != null ? mblock.id : null;
        int which = l.random.nextInt(22);
        l.expect.begin("a null argument, case " + which);
        try (Arena arena = Arena.ofConfined()) {
            Runnable call = switch (which) {
                case 0 -> () -> l.pool.allocateMblock(null);
                case 1 -> () -> l.pool.allocateMblock(null, true);
                case 2 -> () -> l.pool.allocateMlog(null, 1);
                case 3 -> () -> l.pool.allocateMdc(null, 1);
                case 4 -> () -> l.pool.info(null);
                case 5 -> () -> l.pool.delete((ObjectId) null);
                case 6 -> () -> l.pool.readMblock(null, 0, Mpool.allocateBuffer(arena, 4096));
                case 7 -> id == null ? null : () -> l.pool.readMblock(id, 0, null);
                case 8 -> () -> l.pool.readMblock(null, arena);
                case 9 -> () -> l.pool.commit((List<MblockWriter>) null);
                case 10 -> () -> l.pool.commit((ObjectId) null, 0);
                case 11 -> () -> l.pool.abort(null);
                case 12 -> () -> l.pool.openMlog(null);
                case 13 -> () -> l.pool.openMdc(null);
                case 14 -> () -> l.pool.map(null, Advice.WARM);
                case 15 -> id == null ? null : () -> l.pool.map(List.of(id), null);
                case 16 -> () -> l.pool.setProperty(null, "x");
                case 17 -> () -> l.pool.setProperty(Mpool.PROP_LABEL, null);
                case 18 -> () -> l.pool.rename(null);
                case 19 ->
                    l.model.hasClass(MediaClass.STAGING)
                            ? null
                            : () -> l.pool.addStaging(null, 1 << 20, 1 << 20, false);
                case 20 -> id == null ? null : () -> l.pool.map(Arrays.asList(id, null), Advice.WARM);
                default -> nullIntoHandle(l);
            };
            if (call != null) {
                l.expect.rejectsNull("case " + which, call);
            }
        }
        return true;
    }

    /** A null into an open handle or writer of this lane: an append, a write. */
    private static Runnable nullIntoHandle(ApiModelLane l) {
        ApiModel.Obj w = l.pick(x -> x.writer != null);
        ApiModel.Obj h = l.pick(x -> x.handle != null);
        if (w != null && (h == null || l.random.nextBoolean())) {
            return l.random.nextBoolean()
                    ? () -> w.writer.write((MemorySegment[]) null)
                    : () -> w.writer.write((MemorySegment) null);
        }
        if (h == null) {
            return null;
        }
        if (h.handle instanceof Mlog m) {
            return l.random.nextBoolean()
                    ? () -> m.append((byte[]) null, true)
                    : () -> m.append((MemorySegment) null, false);
        }
        Mdc m = (Mdc) h.handle;
        return () -> m.append(null, l.random.nextBoolean());
    }

    /** A handle closed, of a deleted object, or of an earlier pool handle: INVALID_STATE for every use. */
    private static boolean staleHandle(ApiModelLane l) {
        Object h = l.any(List.copyOf(l.model.stale));
        if (h == null) {
            return false;
        }
        ErrorCode closed = ErrorCode.INVALID_STATE;
        l.expect.begin("use the stale " + h);
        switch (h) {
            case Mlog m -> {
                l.expect.fails("append", () -> m.append(new byte[1], l.random.nextBoolean()), closed);
                l.expect.fails("flush", m::flush, closed);
                l.expect.fails("erase", m::erase, closed);
                l.expect.fails("reader", m::reader, closed);
                l.expect.succeeds("close again", m::close);
            }
            case Mdc m -> {
                l.expect.fails("append", () -> m.append(new byte[1], l.random.nextBoolean()), closed);
                l.expect.fails("flush", m::flush, closed);
                l.expect.fails("compactStart", m::compactStart, closed);
                l.expect.fails("compactEnd", m::compactEnd, closed);
                l.expect.fails("compactAbort", m::compactAbort, closed);
                l.expect.fails("reader", m::reader, closed);
                l.expect.succeeds("close again", m::close);
            }
            case MblockWriter w -> {
                // Committed, aborted, or allocated by a pool handle closed since.
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment page = Mpool.allocateBuffer(arena, 4096);
                    l.expect.fails("write", () -> w.write(page), closed);
                }
                l.expect.fails("commit", w::commit, closed);
                l.expect.fails("commitDeferred", w::commitDeferred, closed);
                l.expect.fails("owner", () -> w.owner(3), closed);
            }
            case Mcache m -> {
                l.expect.fails("advise", () -> m.advise(Advice.COLD), closed);
                l.expect.fails("willNeed", () -> m.willNeed(0, 4096), closed);
                l.expect.fails("residency", m::residency, closed);
                l.expect.fails("purge", m::purge, closed);
                l.expect.check(m.isClosed(), () -> "a stale map is not closed");
                l.expect.succeeds("close again", m::close);
            }
            case Mpool p -> {
                l.expect.fails("stats", p::stats, closed);
                l.expect.fails("objects", p::objects, closed);
                l.expect.fails("allocateMblock", () -> p.allocateMblock(MediaClass.CAPACITY), closed);
                l.expect.fails("allocateMlog", () -> p.allocateMlog(MediaClass.CAPACITY, 1), closed);
                l.expect.fails("flush", p::flush, closed);
                l.expect.fails("rootMdc", p::rootMdc, closed);
                l.expect.fails("setProperty", () -> p.setProperty(Mpool.PROP_LABEL, "stale"), closed);
                l.expect.fails("compactMetadata", p::compactMetadata, closed);
                l.expect.succeeds("close again", p::close);
            }
            default -> throw new AssertionError("a stale " + h);
        }
        return true;
    }

    /** Properties and names the pool refuses. */
    private static boolean badProperty(ApiModelLane l) {
        ErrorCode bad = ErrorCode.INVALID_ARGUMENT;
        switch (l.random.nextInt(8)) {
            case 0 -> {
                l.expect.begin("setProperty of an unknown key");
                l.expect.fails("setProperty", () -> l.pool.setProperty("colour", "blue"), ErrorCode.NOT_FOUND);
            }
            case 1 -> {
                String key = l.any(List.of("name", "uuid", "mblocksize.capacity"));
                l.expect.begin("setProperty of the read-only " + key);
                l.expect.fails("setProperty", () -> l.pool.setProperty(key, "x"), bad);
            }
            case 2 -> {
                String[] kv = l.any(List.of(
                        new String[] {Mpool.PROP_SPARE, l.any(List.of("51", "-1", "ten", "", "1e3"))},
                        new String[] {
                            l.any(List.of(Mpool.PROP_SPARE_CAPACITY, Mpool.PROP_SPARE_STAGING)),
                            l.any(List.of("101", "-1", "half", "", "50%%"))
                        },
                        new String[] {Mpool.PROP_DISCARD, l.any(List.of("maybe", "", "2"))},
                        new String[] {Mpool.PROP_REAPER_BUDGET, l.any(List.of("0%", "101%", "0", "lots", "-4g", ""))},
                        new String[] {Mpool.PROP_REAPER_TTL, l.any(List.of("5x", "-1s", "soon", "", "1.5s"))},
                        new String[] {Mpool.PROP_REAPER_PERIOD, l.any(List.of("0", "0ms", "2h", "fast"))}));
                l.expect.begin("setProperty " + kv[0] + " '" + kv[1] + "'");
                l.expect.fails("setProperty", () -> l.pool.setProperty(kv[0], kv[1]), bad);
            }
            case 3 -> {
                String label = l.any(List.of("x".repeat(65), "tab\there", "nul\0inside"));
                l.expect.begin("setProperty label '" + label.replace('\0', '?') + "'");
                l.expect.fails("setProperty", () -> l.pool.setProperty(Mpool.PROP_LABEL, label), bad);
            }
            case 4 -> {
                String mode = l.any(List.of("999", "rw", "-1"));
                l.expect.begin("setProperty mode '" + mode + "'");
                l.expect.fails("setProperty", () -> l.pool.setProperty(Mpool.PROP_MODE, mode), bad);
            }
            case 5 -> {
                String uid = l.any(List.of("-5", "root", "4294967296"));
                l.expect.begin("setProperty uid '" + uid + "'");
                l.expect.fails("setProperty", () -> l.pool.setProperty(Mpool.PROP_UID, uid), bad);
            }
            case 6 -> {
                String name = l.any(List.of("", ".hidden", "-dash", "a b", "x".repeat(32), "slash/y"));
                l.expect.begin("rename to '" + name + "'");
                l.expect.fails("rename", () -> l.pool.rename(name), bad);
            }
            default -> {
                boolean has = l.model.hasClass(MediaClass.STAGING);
                long mblockBytes = l.any(List.of(0L, 3L << 20, 1L << 30, -1L));
                l.expect.begin("addStaging with mblocks of " + mblockBytes + " bytes"
                        + (has ? ", staging there already" : ""));
                Path nowhere = Path.of("/nonexistent/staging-" + l.random.nextInt(1000));
                l.expect.fails(
                        "addStaging",
                        () -> l.pool.addStaging(nowhere, 16 << 20, mblockBytes, false),
                        has ? ErrorCode.EXISTS : bad);
            }
        }
        return true;
    }

    /** A reader's {@code record()} before {@code next()}, and after the last: INVALID_STATE. */
    private static boolean readerOutOfTurn(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.isLog() && x.committed);
        if (o == null) {
            return false;
        }
        l.expect.begin("record() of a reader of " + o + " out of turn");
        try (Mlog.Reader r = l.expect.ok("read", () -> l.pool.read(o.id))) {
            l.expect.fails("record() before next()", r::record, ErrorCode.INVALID_STATE);
            while (l.expect.ok("next", r::next)) {
                // to the end
            }
            l.expect.fails("record() after the end", r::record, ErrorCode.INVALID_STATE);
        }
        return true;
    }
}
