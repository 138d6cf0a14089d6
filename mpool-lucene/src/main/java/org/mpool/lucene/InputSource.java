package org.mpool.lucene;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.store.AlreadyClosedException;
import org.mpool.Mcache;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/**
 * The bytes of one opened file, shared by an input, its clones and its slices: an mcache map of
 * its mblocks, or, for an inline file, a copy in memory of an arena of its own. Closing it (the
 * input that opened it closes) unmaps or frees them, so that any later read of any clone or
 * slice is an {@link AlreadyClosedException}, and tells the store the file is no longer open.
 *
 * <p>The map holds a file's mblocks in order, each in a slot of the mblock capacity; all but the last
 * are full, so the file is one contiguous range from the map's start: file offset = map offset.
 *
 * <p>Pools on memory devices (tests) cannot be mapped: there a file is read whole with direct
 * I/O into memory of its own arena, and read from there.
 */
final class InputSource {
    private final Store store;
    private final Store.Blob blob;
    private final Mcache map;
    private final Arena arena;
    private final MemorySegment file;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Readahead has been asked for up to here (a file offset), by any input of this file: a
     * merge reads a file through many clones (one per term's postings, say), and each would
     * otherwise ask again for the windows the others asked for.
     */
    private final AtomicLong readaheadEnd = new AtomicLong();
    /**
     * Prefetches of this file in a row, through any of its inputs, that found their pages
     * resident; only the powers of two look again (mincore). Shared because a query clones an
     * input per term: a count per clone would look every time. Updated racily: it only decides
     * when to look.
     */
    private int prefetchHits;

    private InputSource(Store store, Store.Blob blob, Mcache map, Arena arena, MemorySegment file) {
        this.store = store;
        this.blob = blob;
        this.map = map;
        this.arena = arena;
        this.file = file;
    }

    /** Opens the bytes of {@code blob}, which the caller has acquired from {@code store}. */
    static InputSource open(Store store, Store.Blob blob, ReadPolicy policy, String what) throws IOException {
        if (blob.isInline()) {
            Arena a = policy.readOnce() ? Arena.ofConfined() : Arena.ofShared();
            MemorySegment copy = a.allocate(Math.max(1, blob.length)).asSlice(0, blob.length);
            MemorySegment.copy(MemorySegment.ofArray(blob.inline), 0, copy, 0, blob.length);
            return new InputSource(store, blob, null, a, copy.asReadOnly());
        }
        Mcache map;
        try {
            // READONCE: read and closed by the opening thread (Lucene's contract), so the map can be
            // confined, and its close then needs no handshake with every thread (docs/MCACHE.md).
            map = store.pool.map(blob.mblocks, policy.advice(), policy.readOnce());
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.UNSUPPORTED) {
                return readWhole(store, blob, what);
            }
            throw Errors.io(e, "mapping " + what);
        }
        try {
            List<ObjectId> ids = blob.mblocks;
            for (int i = 0; i < ids.size(); i++) {
                long want = i < ids.size() - 1 ? map.slotBytes() : blob.length - i * map.slotBytes();
                if (map.base(ids.get(i)) != i * map.slotBytes() || map.length(ids.get(i)) != want) {
                    throw new IOException(what + ": mblock " + ids.get(i) + " of " + map.length(ids.get(i))
                            + " bytes is not piece " + i + " of a file of " + blob.length + " bytes in slots of "
                            + map.slotBytes());
                }
            }
            InputSource s =
                    new InputSource(store, blob, map, null, map.segment().asSlice(0, blob.length));
            if (policy.preload()) {
                map.willNeed(0, blob.length);
            }
            return s;
        } catch (IOException | RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** Without maps: the file read whole with direct I/O. */
    private static InputSource readWhole(Store store, Store.Blob blob, String what) throws IOException {
        Arena a = Arena.ofShared();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment copy = a.allocate(Math.max(1, blob.length), 4096).asSlice(0, blob.length);
            long at = 0;
            for (ObjectId id : blob.mblocks) {
                MemorySegment piece = store.pool.readMblock(id, scratch);
                MemorySegment.copy(piece, 0, copy, at, piece.byteSize());
                at += piece.byteSize();
            }
            if (at != blob.length) {
                throw new IOException(what + ": its mblocks hold " + at + " bytes, not " + blob.length);
            }
            return new InputSource(store, blob, null, a, copy.asReadOnly());
        } catch (MpoolException e) {
            a.close();
            throw Errors.io(e, "reading " + what);
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /** The whole file. */
    MemorySegment file() {
        return file;
    }

    boolean mapped() {
        return map != null;
    }

    /** Starts reading {@code [offset, offset + length)} of the file into the page cache. */
    void willNeed(long offset, long length) {
        if (map == null || length <= 0) {
            return;
        }
        try {
            map.willNeed(offset, length);
        } catch (MpoolException e) {
            throw closedOr(e);
        }
    }

    /**
     * Claims the readahead of file range {@code [at, to)} for the caller: returns where the part
     * nobody asked for yet starts ({@code to} if there is none). A reader that jumped past the
     * claimed end claims from where it is.
     */
    long claimReadahead(long at, long to) {
        while (true) {
            long end = readaheadEnd.get();
            if (end >= to) {
                return to;
            }
            if (readaheadEnd.compareAndSet(end, to)) {
                return Math.max(end, at);
            }
        }
    }

    /** Whether a prefetch may skip its residency check: true but for a power of two of hits in a row. */
    boolean skipResidencyCheck() {
        int hits = prefetchHits++;
        return (hits & (hits - 1)) != 0;
    }

    /** A prefetch found pages missing: the next ones look again. */
    void prefetchMissed() {
        prefetchHits = 0;
    }

    /** Whether every page of {@code [offset, offset + length)} of the file is in the page cache (memory: yes). */
    boolean resident(long offset, long length) {
        if (map == null) {
            return true;
        }
        long page = 4096;
        long pages = (Math.ceilDiv(offset + length, page) - offset / page) * page;
        try {
            return length == 0 || map.residentBytes(offset, length) >= pages;
        } catch (MpoolException e) {
            throw closedOr(e);
        }
    }

    void advise(Advice advice) {
        if (map != null) {
            try {
                map.advise(advice);
            } catch (MpoolException e) {
                throw closedOr(e);
            }
        }
    }

    private RuntimeException closedOr(MpoolException e) {
        if (closed.get() || e.code() == ErrorCode.INVALID_STATE) {
            return new AlreadyClosedException("already closed: " + this, e);
        }
        return e;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The map's advice (of its first mblock), or null for bytes in memory: for tests. */
    Advice advice() {
        return map == null ? null : map.advice(blob.mblocks.getFirst());
    }

    /** Unmaps (or frees) the bytes and releases the file; idempotent. */
    void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (map != null) {
                map.close();
            } else {
                arena.close();
            }
        } catch (MpoolException e) {
            throw Errors.io(e, "closing " + this);
        } finally {
            store.release(blob);
        }
    }

    @Override
    public String toString() {
        return (map != null ? "map of " + blob.mblocks.size() + " mblocks" : "memory") + " of " + blob.length
                + " bytes";
    }
}
