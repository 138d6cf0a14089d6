package org.mpool.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/**
 * The mlog and MDC half of {@link PoolCrashScenario}: makes mlogs and MDCs, and appends to them
 * and to the root MDC (sync and not), flushes, closes, compacts and erases them through
 * handles it keeps open across operations, keeping the {@link PoolModel} up to date as each
 * call returns.
 */
final class LogWorkload {
    private final Mpool pool;
    private final PoolModel model;
    private final SplittableRandom random;
    private final List<AutoCloseable> cleanup;
    /** Open handles (Mlog or Mdc) by model key. */
    private final Map<Long, AutoCloseable> open = new HashMap<>();

    LogWorkload(Mpool pool, PoolModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        this.pool = pool;
        this.model = model;
        this.random = random;
        this.cleanup = cleanup;
    }

    /** Makes an mlog or an MDC of one zone per log, committed with an owner tag. */
    void create() {
        boolean mdc = random.nextBoolean();
        ObjectId id;
        try {
            id = mdc ? pool.allocateMdc(MediaClass.CAPACITY, 1) : pool.allocateMlog(MediaClass.CAPACITY, 1);
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NO_SPACE) {
                return;
            }
            throw e;
        }
        long owner = random.nextInt(4) == 0 ? 0 : random.nextLong(1, Long.MAX_VALUE);
        model.everIssued.add(id.value());
        model.owners.put(id.value(), owner);
        model.logs.put(id.value(), new LogContents());
        model.maybe.put(id.value(), new byte[0]);
        pool.commit(id, owner);
        model.maybe.remove(id.value());
        model.objects.put(id.value(), new byte[0]);
    }

    /** Appends a record of up to two log blocks to a committed log (or the root MDC). */
    void append() {
        Long key = pick();
        if (key == null) {
            return;
        }
        AutoCloseable h = handle(key);
        int size = random.nextInt(4) == 0 ? 1 + random.nextInt(9000) : random.nextInt(300);
        byte[] record = new byte[size];
        random.nextBytes(record);
        if (remaining(h) < size) {
            return; // a full log is not what this workload explores
        }
        boolean sync = random.nextBoolean();
        LogContents contents = model.logs.get(key);
        contents.appending(record);
        if (h instanceof Mlog m) {
            m.append(record, sync);
        } else {
            ((Mdc) h).append(record, sync);
        }
        if (sync && !contents.compacting()) {
            contents.flushed();
        }
    }

    /** Flushes or closes an open handle. */
    void flushOrClose() {
        if (open.isEmpty()) {
            return;
        }
        long key = open.keySet().stream().sorted().toList().get(random.nextInt(open.size()));
        if (random.nextBoolean()) {
            close(key);
            return;
        }
        LogContents contents = model.logs.get(key);
        if (open.get(key) instanceof Mlog m) {
            m.flush();
        } else {
            ((Mdc) open.get(key)).flush();
        }
        if (!contents.compacting()) {
            contents.flushed();
        }
    }

    /**
     * Steps an MDC's compaction: starts one and appends a new state (ending it at once half the
     * time), or ends or abandons one under way.
     */
    void compact() {
        List<Long> mdcs = model.logs.keySet().stream()
                .filter(k -> isCommitted(k) && (k == PoolModel.ROOT || new ObjectId(k).type() == ObjectId.Type.MDC))
                .sorted()
                .toList();
        long key = mdcs.get(random.nextInt(mdcs.size()));
        Mdc mdc = (Mdc) handle(key);
        LogContents contents = model.logs.get(key);
        if (!contents.compacting()) {
            mdc.compactStart();
            contents.compactStarted();
            for (int i = 0, n = random.nextInt(4); i < n; i++) {
                byte[] record = new byte[random.nextInt(2000)];
                random.nextBytes(record);
                contents.appending(record);
                mdc.append(record, false);
            }
            if (random.nextBoolean()) {
                return; // ends in a later step, or is abandoned by a close or the crash
            }
        }
        if (random.nextInt(4) == 0) {
            mdc.compactAbort();
            contents.compactAbandoned();
            return;
        }
        contents.compactEnding();
        mdc.compactEnd();
        contents.compactEnded();
    }

    /** Erases an mlog. */
    void erase() {
        List<Long> mlogs = model.logs.keySet().stream()
                .filter(k -> isCommitted(k) && k != PoolModel.ROOT && new ObjectId(k).type() == ObjectId.Type.MLOG)
                .sorted()
                .toList();
        if (mlogs.isEmpty()) {
            return;
        }
        long key = mlogs.get(random.nextInt(mlogs.size()));
        LogContents contents = model.logs.get(key);
        contents.erasing();
        ((Mlog) handle(key)).erase();
        contents.erased();
    }

    /** A pool flush returned: every open handle's records are durable. */
    void poolFlushed() {
        for (long key : open.keySet()) {
            LogContents contents = model.logs.get(key);
            if (!contents.compacting()) {
                contents.flushed();
            }
        }
    }

    /** Before deleting an object: its handle, if open, is closed (a delete of an open log is BUSY). */
    void closeIfOpen(long id) {
        if (open.containsKey(id)) {
            close(id);
        }
    }

    private void close(long key) {
        AutoCloseable h = open.remove(key);
        if (h instanceof Mlog m) {
            m.close();
        } else {
            ((Mdc) h).close();
        }
        LogContents contents = model.logs.get(key);
        contents.compactAbandoned();
        contents.flushed();
    }

    /** A committed log (or the root MDC), or null if there is none. */
    private Long pick() {
        List<Long> keys =
                model.logs.keySet().stream().filter(this::isCommitted).sorted().toList();
        return keys.isEmpty() ? null : keys.get(random.nextInt(keys.size()));
    }

    private boolean isCommitted(long key) {
        return key == PoolModel.ROOT || model.objects.containsKey(key);
    }

    private AutoCloseable handle(long key) {
        AutoCloseable h = open.get(key);
        if (h == null) {
            if (key == PoolModel.ROOT) {
                h = pool.rootMdc();
            } else {
                ObjectId id = new ObjectId(key);
                h = id.type() == ObjectId.Type.MLOG ? pool.openMlog(id) : pool.openMdc(id);
            }
            open.put(key, h);
            cleanup.add(h);
        }
        return h;
    }

    private static long remaining(AutoCloseable h) {
        return h instanceof Mlog m ? m.remaining() : ((Mdc) h).remaining();
    }
}
