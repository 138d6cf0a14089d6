package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.AlignedBuffers;

/**
 * The mblock half of {@link PoolCrashScenario}, as several clients would drive it: each client
 * may hold a writer it has allocated and partly written while others allocate, commit and
 * delete (the interleaving is drawn from the seed, so every run issues the same writes), then
 * finishes it with a commit — durable, deferred, or in a batch with writers of its own — or an
 * abort. Both media classes are used; the model is updated as each call returns.
 */
final class MblockWorkload {
    static final int CLIENTS = 3;

    /** A writer a client holds between operations, and the bytes it has written so far. */
    private record Pending(MblockWriter writer, ByteList data) {}

    /** Bytes appended so far (a growable array). */
    private static final class ByteList {
        private byte[] bytes = new byte[0];

        void add(byte[] more) {
            byte[] grown = new byte[bytes.length + more.length];
            System.arraycopy(bytes, 0, grown, 0, bytes.length);
            System.arraycopy(more, 0, grown, bytes.length, more.length);
            bytes = grown;
        }

        byte[] bytes() {
            return bytes;
        }
    }

    private final Mpool pool;
    private final PoolModel model;
    private final SplittableRandom random;
    private final Arena arena;
    private final List<List<Pending>> pending = new ArrayList<>();

    MblockWorkload(Mpool pool, PoolModel model, SplittableRandom random, Arena arena) {
        this.pool = pool;
        this.model = model;
        this.random = random;
        this.arena = arena;
        for (int c = 0; c < CLIENTS; c++) {
            pending.add(new ArrayList<>());
        }
    }

    /** Client {@code c} allocates an mblock and writes its first whole pages, then yields. */
    void start(int c) {
        MblockWriter w = allocate();
        if (w == null) {
            return;
        }
        Pending p = new Pending(w, new ByteList());
        p.data().add(write(w, 4096 * (1 + random.nextInt(3)), true));
        pending.get(c).add(p);
    }

    /**
     * Client {@code c} finishes one of its writers: writes the rest (maybe a partial last
     * page) and commits it, durably or deferred, or aborts it; or, with two or more, commits
     * them all in one batch.
     */
    void finish(int c) {
        List<Pending> mine = pending.get(c);
        if (mine.isEmpty()) {
            commitOne();
            return;
        }
        if (mine.size() > 1 && random.nextBoolean()) {
            List<MblockWriter> writers = new ArrayList<>();
            for (Pending p : mine) {
                p.data().add(write(p.writer(), 1 + random.nextInt(9000), false));
                writers.add(p.writer());
                model.maybe.put(p.writer().id().value(), p.data().bytes());
            }
            pool.commit(writers);
            for (Pending p : mine) {
                acknowledged(p.writer(), p.data().bytes());
            }
            mine.clear();
            return;
        }
        Pending p = mine.remove(random.nextInt(mine.size()));
        int how = random.nextInt(6);
        if (how == 0) {
            p.writer().abort();
            return;
        }
        p.data().add(write(p.writer(), random.nextInt(9000), false));
        commit(p.writer(), p.data().bytes(), how == 1);
    }

    /** Mblocks of {@code mediaClass} allocated and not yet committed or aborted: each holds a zone. */
    long pendingZones(MediaClass mediaClass) {
        return pending.stream()
                .flatMap(List::stream)
                .filter(p -> p.writer().mediaClass() == mediaClass)
                .count();
    }

    /** Allocate, write and commit at once (durable or deferred). */
    void commitOne() {
        MblockWriter w = allocate();
        if (w == null) {
            return;
        }
        int length = random.nextInt(3) == 0 ? 4096 * (1 + random.nextInt(8)) : 1 + random.nextInt(20_000);
        commit(w, write(w, length, false), random.nextInt(4) == 0);
    }

    /** Allocate and abort at once. */
    void abortOne() {
        MblockWriter w = allocate();
        if (w != null) {
            w.abort();
        }
    }

    private void commit(MblockWriter w, byte[] data, boolean deferred) {
        model.maybe.put(w.id().value(), data);
        if (deferred) {
            w.commitDeferred(); // may or may not survive a crash until a pool flush returns
            model.deferred.add(w.id().value());
            return;
        }
        w.commit();
        acknowledged(w, data);
    }

    private void acknowledged(MblockWriter w, byte[] data) {
        model.maybe.remove(w.id().value());
        model.objects.put(w.id().value(), data);
    }

    /** A new writer, in the staging class a third of the time, with an owner tag; null when full. */
    private MblockWriter allocate() {
        MediaClass mc = random.nextInt(3) == 0 ? MediaClass.STAGING : MediaClass.CAPACITY;
        try {
            MblockWriter w = pool.allocateMblock(mc);
            model.everIssued.add(w.id().value());
            long owner = random.nextInt(4) == 0 ? 0 : random.nextLong(1, Long.MAX_VALUE);
            w.owner(owner);
            model.owners.put(w.id().value(), owner);
            return w;
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NO_SPACE) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Writes {@code length} random bytes (whole pages only if {@code wholePages}, scatter/gather
     * when the last page is partial), never past the writer's capacity; returns them.
     */
    private byte[] write(MblockWriter w, int length, boolean wholePages) {
        long room = w.capacityBytes() - w.writtenBytes();
        int n = (int) Math.min(length, room);
        if (wholePages) {
            n = n / 4096 * 4096;
        }
        byte[] data = new byte[n];
        random.nextBytes(data);
        if (n == 0) {
            return data;
        }
        MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(n, 4096));
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, n);
        long whole = AlignedBuffers.alignDown(n, 4096);
        if (whole > 0 && whole < n) {
            w.write(buf.asSlice(0, whole), buf.asSlice(whole, n - whole));
        } else {
            w.write(buf.asSlice(0, n));
        }
        return data;
    }
}
