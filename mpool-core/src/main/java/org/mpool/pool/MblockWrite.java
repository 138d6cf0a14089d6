package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.ChunkTable;
import org.mpool.spi.BlockDevice;

/**
 * An allocated mblock being written: its zone, the bytes written so far and the CRC32C of each
 * of their pages (its {@link ChunkTable}, written at commit), and whether it is still open for
 * writing. {@link Mblocks} commits or aborts it. Used by one thread at a time.
 */
public final class MblockWrite {
    /** The unit of direct I/O to mblocks: every write but the last is whole pages. */
    public static final int PAGE = 4096;

    private enum State {
        WRITING,
        COMMITTED,
        ABORTED
    }

    private final Pool pool;
    private final ObjectId id;
    private final MediaClass mediaClass;
    private final BlockDevice device;
    private final long zone;
    private final long zoneOffset;
    private final long capacity;
    /** The CRC32C of each page written so far (the last one zero-padded). */
    private final int[] pageCrcs;

    private long written;
    /** The tag the commit records (0: none). */
    private long owner;
    /** A partial page was written: it must be the last write. */
    private boolean ended;

    private State state = State.WRITING;

    MblockWrite(Pool pool, ObjectId id, MediaClass mediaClass, BlockDevice device, long zone, long zoneBytes) {
        assert id.type() == ObjectId.Type.MBLOCK : id;
        assert zone > 0 : "zone 0 holds the superblocks";
        this.pool = pool;
        this.id = id;
        this.mediaClass = mediaClass;
        this.device = device;
        this.zone = zone;
        this.zoneOffset = zone * zoneBytes;
        this.capacity = ChunkTable.capacity(zoneBytes);
        this.pageCrcs = new int[ChunkTable.pageCount(capacity)];
    }

    public ObjectId id() {
        return id;
    }

    public MediaClass mediaClass() {
        return mediaClass;
    }

    public long writtenBytes() {
        return written;
    }

    public long capacityBytes() {
        return capacity;
    }

    /** Appends the buffers, in order (scatter/gather). */
    public void write(MemorySegment... buffers) {
        checkPoolOpen("write");
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            MemorySegment b = buffers[i];
            if (!b.isNative() || !AlignedBuffers.isAligned(b.address(), PAGE)) {
                throw MpoolException.invalid("write to mblock " + id + ": buffers must be native and " + PAGE
                        + "-byte aligned (use Mpool.allocateBuffer)");
            }
            if (b.byteSize() % PAGE != 0 && i != buffers.length - 1) {
                throw MpoolException.invalid("write to mblock " + id + ": only the last buffer may be a partial page");
            }
            total += b.byteSize();
        }
        if (ended && total > 0) {
            throw new MpoolException(
                    ErrorCode.INVALID_STATE,
                    "write to mblock " + id + ": a partial-page write ended it; only commit or abort may follow");
        }
        if (total > capacity - written) {
            throw new MpoolException(
                    ErrorCode.NO_SPACE,
                    "write of " + total + " bytes to mblock " + id + " exceeds its size: " + written + " of " + capacity
                            + " bytes used");
        }
        for (MemorySegment b : buffers) {
            if (b.byteSize() > 0) { // an empty buffer writes nothing, even after a partial page
                writeOne(b);
            }
        }
        assert written <= capacity : written + " bytes in an mblock of " + capacity;
    }

    private void writeOne(MemorySegment b) {
        assert written % PAGE == 0 : "a write after a partial page";
        long whole = AlignedBuffers.alignDown(b.byteSize(), PAGE);
        if (whole > 0) {
            device.write(zoneOffset + written, b.asSlice(0, whole));
            int first = (int) (written / PAGE);
            for (long p = 0; p < whole; p += PAGE) {
                pageCrcs[first + (int) (p / PAGE)] = ChunkTable.pageCrc(b.asSlice(p, PAGE));
            }
        }
        long rest = b.byteSize() - whole;
        if (rest > 0) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment page = AlignedBuffers.allocate(arena, PAGE); // zeroed: the padding on media
                MemorySegment.copy(b, whole, page, 0, rest);
                device.write(zoneOffset + written + whole, page);
                pageCrcs[(int) ((written + whole) / PAGE)] = ChunkTable.pageCrc(page);
            }
            ended = true;
        }
        written += b.byteSize();
    }

    /** Tags the mblock with {@code owner}, recorded at commit and listed with it (0: none). */
    public void owner(long tag) {
        checkPoolOpen("owner");
        this.owner = tag;
    }

    long ownerTag() {
        return owner;
    }

    /**
     * Makes the mblock immutable and readable; with {@code durable}, durable on return, else at
     * the next flush of the pool (a deferred commit).
     */
    public void commit(boolean durable) {
        checkWriting("commit");
        pool.mblocks().commit(this, durable);
        state = State.COMMITTED;
    }

    /** Frees the mblock's space; it never existed. */
    public void abort() {
        checkWriting("abort");
        state = State.ABORTED;
        pool.mblocks().abort(this);
    }

    boolean isWriting() {
        return state == State.WRITING;
    }

    void markCommitted() {
        assert state == State.WRITING : state;
        state = State.COMMITTED;
    }

    Pool pool() {
        return pool;
    }

    long zone() {
        return zone;
    }

    /**
     * Writes the mblock's chunk table at the end of its zone (not flushed: the commit's flush
     * covers it with the data) and returns the table's CRC, which the commit record carries.
     */
    int writeChunkTable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = AlignedBuffers.allocate(arena, ChunkTable.pagesFor(ChunkTable.pageCount(written)));
            int crc = ChunkTable.encode(table, id.value(), written, pageCrcs);
            device.write(zoneOffset + capacity, table);
            return crc;
        }
    }

    /** The CRC of each data page written, for the pool's cache of chunk tables. */
    int[] pageCrcs() {
        return Arrays.copyOf(pageCrcs, ChunkTable.pageCount(written));
    }

    void checkWriting(String op) {
        if (state != State.WRITING) {
            throw new MpoolException(
                    ErrorCode.INVALID_STATE,
                    op + " of mblock " + id + ": it is "
                            + (state == State.COMMITTED ? "committed (immutable)" : "aborted"));
        }
    }

    /**
     * Like {@link #checkWriting}, and the pool still open: a writer outlives its pool handle,
     * whose allocation the next open frees, so its zone may be another mblock's by now.
     */
    private void checkPoolOpen(String op) {
        checkWriting(op);
        if (pool.closed()) {
            throw new MpoolException(
                    ErrorCode.INVALID_STATE, op + " of mblock " + id + ": the pool that allocated it is closed");
        }
    }

    /** Aborts the mblock unless it was committed. */
    public void close() {
        if (state == State.WRITING) {
            abort();
        }
    }
}
