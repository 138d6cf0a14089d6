package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/**
 * The API tester's mblock operations: allocate (with and without falling back to the other
 * media class), tag, write (whole pages, a partial last page, scatter/gather, and the
 * writes the rules forbid), commit (durable, deferred, in a batch), abort, read (a range, the
 * whole), delete and info. Each predicts its outcome from the model, checks the pool's, and
 * brings the model up to date. Each returns false when the lane has nothing to apply it to.
 */
final class ApiModelMblocks {
    static final int PAGE = 4096;

    private ApiModelMblocks() {}

    static boolean allocate(ApiModelLane l) {
        ApiModel model = l.model;
        MediaClass mc = l.mediaClass();
        MediaClass other = ApiModelLane.other(mc);
        boolean fallBack = l.random.nextBoolean();
        boolean hasMc = model.hasClass(mc);
        boolean tryOther = fallBack && model.hasClass(other);
        ApiModel.Reservation inMc = hasMc ? model.reserve(mc, 1) : null;
        ApiModel.Reservation inOther = tryOther ? model.reserve(other, 1) : null;
        l.expect.begin("allocateMblock(" + mc + ", fallBack " + fallBack + ")");
        MblockWriter[] w = new MblockWriter[1];
        ErrorCode code = l.expect.either(
                "allocateMblock",
                () -> w[0] = l.pool.allocateMblock(mc, fallBack),
                ErrorCode.NO_SPACE,
                ErrorCode.NOT_FOUND);
        MediaClass landed = w[0] == null ? null : w[0].mediaClass();
        // A zone the model promised in the class asked for must be taken there, or, failing
        // that, one promised in the other; without a promise either outcome may be right.
        boolean promisedMc = inMc != null && inMc.settle(landed == mc);
        boolean promisedOther = inOther != null && inOther.settle(landed == other);
        if (code == ErrorCode.NOT_FOUND) {
            l.expect.check(!hasMc && !tryOther, () -> "NOT_FOUND, yet the pool has a class to allocate in");
            return true;
        }
        if (code == ErrorCode.NO_SPACE) {
            l.expect.check(
                    !promisedMc && !promisedOther,
                    () -> "NO_SPACE although the model promised a free zone in " + (promisedMc ? mc : other)
                            + "; now the pool has " + l.pool.stats().classes().get(promisedMc ? mc : other)
                            + ", the model " + describe(model, promisedMc ? mc : other));
            l.expect.check(hasMc || tryOther, () -> "NO_SPACE for a class the pool does not have");
            return true;
        }
        l.expect.check(
                landed == mc ? hasMc : tryOther && !promisedMc,
                () -> "allocated in " + landed + "; asked for " + mc + " (has it: " + hasMc + ", a zone promised: "
                        + promisedMc + "), fallBack " + fallBack + "; now the pool has "
                        + l.pool.stats().classes().get(mc) + ", the model " + describe(model, mc));
        MblockWriter writer = w[0];
        ObjectId id = writer.id();
        long capacity = model.classModel(landed).mblockCapacity;
        l.expect.check(
                id.type() == ObjectId.Type.MBLOCK && id.shard() >= 1 && id.shard() <= model.shards,
                () -> "a new mblock's id " + id + " is not an mblock id of one of the " + model.shards + " shards");
        l.expect.check(
                writer.writtenBytes() == 0 && writer.capacityBytes() == capacity,
                () -> writer + ": a new writer holds no bytes and has room for " + capacity);
        ApiModel.Obj o = new ApiModel.Obj(id, ObjectId.Type.MBLOCK, landed, 1, 0, l.newHome());
        o.writer = writer;
        model.add(o);
        return true;
    }

    private static String describe(ApiModel model, MediaClass mc) {
        ApiModel.ClassModel c = model.classModel(mc);
        return c == null
                ? "no such class"
                : c.zoneCount + " zones, " + c.metadataZones + " of metadata, " + c.objectZones + " of objects, "
                        + model.spareZones(mc) + " spare";
    }

    static boolean owner(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.writer != null);
        if (o == null) {
            return false;
        }
        long tag = l.tag();
        l.expect.begin("owner(" + tag + ") of " + o);
        MblockWriter same = l.expect.ok("owner", () -> o.writer.owner(tag));
        l.expect.check(same == o.writer, () -> "owner() returns its writer");
        o.owner = tag;
        return true;
    }

    /** A write of one shape: the buffers' lengths, and what is wrong with them (if anything). */
    private record Shape(long[] lengths, boolean unaligned, boolean heap) {
        long total() {
            return Arrays.stream(lengths).sum();
        }

        boolean partialNotLast() {
            for (int i = 0; i < lengths.length - 1; i++) {
                if (lengths[i] % PAGE != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Shape shape(ApiModelLane l, long room) {
        int kind = l.random.nextInt(20);
        int pages = 1 + l.random.nextInt(l.random.nextInt(8) == 0 ? 64 : 6);
        long partial = 1 + l.random.nextInt(PAGE - 1);
        return switch (kind) {
            case 0, 1, 2, 3, 4 -> new Shape(new long[] {(long) pages * PAGE}, false, false);
            case 5, 6, 7 -> new Shape(new long[] {(long) (pages - 1) * PAGE + partial}, false, false);
            case 8, 9, 10 -> new Shape(new long[] {PAGE, (long) pages * PAGE, partial}, false, false); // gather
            case 11, 12 -> new Shape(new long[] {(long) pages * PAGE, PAGE, 0}, false, false);
            case 13 -> new Shape(new long[] {room}, false, false); // fills it
            case 14 -> new Shape(new long[] {room + (room % PAGE == 0 ? PAGE : 1)}, false, false); // NO_SPACE
            case 15 -> new Shape(new long[] {partial, PAGE}, false, false); // a partial page not last
            case 16 -> new Shape(new long[] {PAGE}, true, false); // not aligned
            case 17 -> new Shape(new long[] {PAGE}, false, true); // on the heap
            case 18 -> new Shape(new long[0], false, false); // nothing
            default -> new Shape(new long[] {0}, false, false);
        };
    }

    static boolean write(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.writer != null);
        if (o == null) {
            return false;
        }
        long capacity = o.writer.capacityBytes();
        long room = capacity - o.bytes.length;
        Shape s = shape(l, room);
        long total = s.total();
        List<ErrorCode> owed = new ArrayList<>();
        if (s.unaligned() || s.heap() || s.partialNotLast()) {
            owed.add(ErrorCode.INVALID_ARGUMENT);
        }
        if (o.ended && total > 0) {
            owed.add(ErrorCode.INVALID_STATE);
        }
        if (total > room) {
            owed.add(ErrorCode.NO_SPACE);
        }
        byte[] data = l.bytes((int) Math.min(total, capacity + PAGE));
        l.expect.begin("write " + Arrays.toString(s.lengths()) + (s.unaligned() ? " unaligned" : "")
                + (s.heap() ? " heap" : "") + " to " + o + " holding " + o.bytes.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] buffers = new MemorySegment[s.lengths().length];
            long at = 0;
            for (int i = 0; i < buffers.length; i++) {
                long n = s.lengths()[i];
                byte[] piece =
                        Arrays.copyOfRange(data, (int) Math.min(at, data.length), (int) Math.min(at + n, data.length));
                if (s.heap()) {
                    buffers[i] = MemorySegment.ofArray(piece);
                } else if (s.unaligned()) {
                    buffers[i] =
                            ApiModelLane.buffer(arena, new byte[0], n + PAGE).asSlice(512, n);
                } else {
                    buffers[i] = ApiModelLane.buffer(arena, piece, n);
                }
                at += n;
            }
            MblockWriter w = o.writer;
            if (owed.isEmpty()) {
                l.expect.succeeds("write", () -> w.write(buffers));
                o.bytes = concat(o.bytes, data);
                long last = s.lengths().length == 0 ? 0 : s.lengths()[s.lengths().length - 1];
                o.ended |= last % PAGE != 0;
            } else {
                l.expect.fails("write", () -> w.write(buffers), owed.toArray(ErrorCode[]::new));
            }
            l.expect.check(
                    w.writtenBytes() == o.bytes.length,
                    () -> "writtenBytes " + w.writtenBytes() + ", the model wrote " + o.bytes.length);
        }
        return true;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static boolean commit(ApiModelLane l, boolean deferred) {
        ApiModel.Obj o = l.pick(x -> x.writer != null);
        if (o == null) {
            return false;
        }
        MblockWriter w = o.writer;
        l.expect.begin((deferred ? "commitDeferred " : "commit ") + o);
        l.expect.succeeds("commit", () -> {
            if (deferred) {
                w.commitDeferred();
            } else {
                w.commit();
            }
        });
        committed(l.model, o, !deferred);
        return true;
    }

    private static void committed(ApiModel model, ApiModel.Obj o, boolean durable) {
        model.retire(o.writer); // committed: immutable, every later write or commit is INVALID_STATE
        o.writer = null;
        o.committed = true;
        o.durable = durable;
    }

    /**
     * {@code pool.commit(writers)}: durable for all of them. A fifth of the time the batch also
     * holds a writer it must refuse (committed or aborted, of an earlier pool handle, twice the
     * same, or null), and then nothing of it may be committed.
     */
    static boolean commitBatch(ApiModelLane l) {
        List<ApiModel.Obj> pending = l.model.select(x -> l.owns(x) && !x.frozen && x.writer != null);
        List<ApiModel.Obj> batch = new ArrayList<>();
        for (ApiModel.Obj o : pending) {
            if (batch.size() < 5 && l.random.nextInt(3) > 0) {
                batch.add(o);
            }
        }
        List<MblockWriter> writers =
                new ArrayList<>(batch.stream().map(o -> o.writer).toList());
        int misuse = l.random.nextInt(5) == 0 ? 1 + l.random.nextInt(3) : 0;
        String bad = "";
        Object stale = misuse == 1
                ? l.any(l.model.stale.stream()
                        .filter(MblockWriter.class::isInstance)
                        .toList())
                : null;
        if (misuse == 1 && stale != null) {
            bad = " and " + stale + ", committed, aborted or of an earlier pool handle";
            writers.add(l.random.nextInt(writers.size() + 1), (MblockWriter) stale);
        } else if (misuse == 2 && !writers.isEmpty()) {
            bad = " and one of them twice";
            writers.add(writers.get(l.random.nextInt(writers.size())));
        } else if (misuse == 3) {
            bad = " and null";
            writers.add(l.random.nextInt(writers.size() + 1), null);
        } else {
            misuse = 0;
        }
        l.expect.begin("commit(List) of " + batch + bad);
        if (misuse == 0) {
            l.expect.succeeds("commit(List)", () -> l.pool.commit(writers));
            batch.forEach(o -> committed(l.model, o, true));
        } else if (misuse == 3) {
            l.expect.rejectsNull("commit(List)", () -> l.pool.commit(writers));
        } else {
            l.expect.fails(
                    "commit(List)", () -> l.pool.commit(writers), ErrorCode.INVALID_STATE, ErrorCode.INVALID_ARGUMENT);
        }
        return true;
    }

    /** Abort or close an uncommitted writer: its zone is free, its id never valid again. */
    static boolean abort(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.writer != null);
        if (o == null) {
            return false;
        }
        boolean close = l.random.nextBoolean();
        l.expect.begin((close ? "close " : "abort ") + o);
        MblockWriter w = o.writer;
        l.expect.succeeds("abort", () -> {
            if (close) {
                w.close();
            } else {
                w.abort();
            }
        });
        l.model.retire(w);
        l.model.remove(o);
        return true;
    }

    /** A committed mblock of this lane, or one every lane may read (frozen for the phase). */
    private static ApiModel.Obj readable(ApiModelLane l) {
        if (l.shared != null && l.random.nextBoolean()) {
            ApiModel.Obj o = l.any(l.shared.frozen);
            if (o != null) {
                return o;
            }
        }
        return l.pick(x -> x.committed && x.type == ObjectId.Type.MBLOCK);
    }

    static boolean readWhole(ApiModelLane l) {
        ApiModel.Obj o = readable(l);
        if (o == null) {
            return false;
        }
        l.expect.begin("readMblock(" + o + ", arena) of " + o.bytes.length + " bytes");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment read = l.expect.ok("readMblock", () -> l.pool.readMblock(o.id, arena));
            sameBytes(l.expect, o, o.bytes, read.toArray(ValueLayout.JAVA_BYTE), 0);
        }
        return true;
    }

    /**
     * A range read: whole pages within the padded length must succeed and read the bytes (zeros
     * past the written length); a range that is unaligned, negative, past the padding, or whose
     * end overflows a long must be INVALID_ARGUMENT, as must a buffer on the heap.
     */
    static boolean readRange(ApiModelLane l) {
        ApiModel.Obj o = readable(l);
        if (o == null) {
            return false;
        }
        long padded = (o.bytes.length + PAGE - 1) / PAGE * PAGE;
        long pages = padded / PAGE;
        long offset = PAGE * (pages == 0 ? 0 : l.random.nextLong(pages + 1));
        long length = PAGE * (padded == offset ? 0 : 1 + l.random.nextLong(Math.min(pages - offset / PAGE, 64)));
        int misuse = l.random.nextInt(4) == 0 ? l.random.nextInt(8) : -1;
        boolean heap = false;
        switch (misuse) {
            case 0 -> offset = padded + PAGE * (1 + l.random.nextInt(4)) - (length == 0 ? 0 : PAGE);
            case 1 -> offset = -PAGE;
            case 2 -> offset = Long.MAX_VALUE & -PAGE;
            case 3 -> offset = Long.MIN_VALUE;
            case 4 -> offset += 1 + l.random.nextInt(PAGE - 1);
            case 5 -> length = Math.max(PAGE, length) - 1 - l.random.nextInt(PAGE - 1);
            case 6 -> heap = true;
            case 7 -> {
                offset = (Long.MAX_VALUE & -PAGE) - PAGE * (1 + l.random.nextInt(4));
                length = PAGE * 8;
            }
            default -> {}
        }
        long off = offset;
        long len = length;
        boolean onHeap = heap && len > 0;
        l.expect.begin("readMblock(" + o + ", " + off + ", " + len + (onHeap ? " bytes on the heap)" : " bytes)")
                + " of " + o.bytes.length + " bytes");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = onHeap
                    ? MemorySegment.ofArray(new byte[(int) len])
                    : Mpool.allocateBuffer(arena, Math.max(len, 1)).asSlice(0, len);
            boolean valid = !onHeap && off >= 0 && off % PAGE == 0 && len % PAGE == 0 && off <= padded - len;
            if (valid) {
                l.expect.succeeds("readMblock", () -> l.pool.readMblock(o.id, off, buf));
                byte[] want = new byte[(int) len];
                if (off < o.bytes.length) {
                    System.arraycopy(o.bytes, (int) off, want, 0, (int) Math.min(len, o.bytes.length - off));
                }
                sameBytes(l.expect, o, want, buf.toArray(ValueLayout.JAVA_BYTE), off);
            } else {
                l.expect.fails("readMblock", () -> l.pool.readMblock(o.id, off, buf), ErrorCode.INVALID_ARGUMENT);
            }
        }
        return true;
    }

    static void sameBytes(ApiModelExpect expect, ApiModel.Obj o, byte[] want, byte[] got, long offset) {
        int at = Arrays.mismatch(want, got);
        expect.check(
                at < 0,
                () -> o + ": read " + got.length + " bytes from offset " + offset + ", expected " + want.length
                        + "; first difference at byte " + (offset + at));
    }

    /** Deletes a committed mblock: BUSY while mapped; afterwards its id is NOT_FOUND for good. */
    static boolean delete(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.committed && x.type == ObjectId.Type.MBLOCK);
        if (o == null) {
            return false;
        }
        boolean mapped = l.model.mapped(o.id);
        l.expect.begin("delete " + o + (mapped ? " (mapped)" : ""));
        if (mapped) {
            l.expect.fails("delete", () -> l.pool.delete(o.id), ErrorCode.BUSY);
            return true;
        }
        l.expect.succeeds("delete", () -> l.pool.delete(o.id));
        l.model.remove(o);
        return true;
    }

    static boolean info(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> true);
        if (o == null) {
            return false;
        }
        l.expect.begin("info " + o);
        if (!o.committed) {
            l.expect.fails("info", () -> l.pool.info(o.id), ErrorCode.INVALID_STATE);
            return true;
        }
        ObjectInfo info = l.expect.ok("info", () -> l.pool.info(o.id));
        ApiModelCheck.sameInfo(l.expect, l.model, o, info);
        return true;
    }
}
