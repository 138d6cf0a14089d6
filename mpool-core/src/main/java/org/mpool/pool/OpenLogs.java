package org.mpool.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.log.RecordReader;

/**
 * The mlogs and MDCs of a pool open for writing: one handle per object, so a second open of
 * the same one is BUSY (two writers of one log would each overwrite the other's tail). The
 * pool flushes them all on {@code flush()} and closes them (flushing) when it closes.
 */
final class OpenLogs {
    /** An open log object, as the pool sees it. */
    interface Handle {
        void flush();

        void close();

        /** Its records from the start, read through the handle (in step with its writer). */
        RecordReader reader();
    }

    /** A key reserved while its log is being opened: the handle comes once the open succeeds. */
    private static final Handle OPENING = new Handle() {
        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public RecordReader reader() {
            return null;
        }
    };

    private final Map<Long, Handle> open = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * Reserves {@code key} for an open about to happen; BUSY if the object is open already
     * (or being opened), INVALID_STATE once the pool is closing. Follow with {@link #install}
     * or {@link #release}.
     */
    synchronized void reserve(long key, String what) {
        if (closed) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "open of " + what + ": the pool is closed");
        }
        if (open.putIfAbsent(key, OPENING) != null) {
            throw new MpoolException(
                    ErrorCode.BUSY,
                    what + " is open already in this process; one handle may write it"
                            + " at a time (close the other first)");
        }
    }

    void install(long key, Handle handle) {
        Handle before = open.replace(key, handle);
        assert before == OPENING : "installed a handle that was not reserved";
    }

    void release(long key) {
        open.remove(key);
    }

    /**
     * A reader of open log {@code key} through its handle, or null if it is not open (or is
     * closing). A read beside the writer must go through it: an erase or a compaction under
     * way makes what a reader of the media alone finds look like damage.
     */
    RecordReader reader(long key) {
        Handle h = open.get(key);
        if (h == null) {
            return null;
        }
        try {
            return h.reader();
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.INVALID_STATE) {
                throw e;
            }
            return null; // closed meanwhile: the media alone is the truth again
        }
    }

    /** Makes everything appended to every open log durable. */
    void flushAll() {
        for (Handle h : List.copyOf(open.values())) {
            try {
                h.flush();
            } catch (MpoolException e) {
                if (e.code() != ErrorCode.INVALID_STATE) {
                    throw e; // a handle closed meanwhile has nothing left to flush
                }
            }
        }
    }

    /** Closes every open log (each flushes first); returns the first failure, after trying all. */
    RuntimeException closeAll() {
        List<Handle> handles;
        synchronized (this) {
            closed = true;
            handles = new ArrayList<>(open.values());
        }
        RuntimeException first = null;
        for (Handle h : handles) {
            try {
                h.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }
}
