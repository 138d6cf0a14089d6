package org.mpool;

import java.lang.foreign.MemorySegment;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.pool.MblockWrite;

/**
 * An allocated mblock being written: append-only direct writes, then {@link #commit()} (durable
 * and immutable) or {@link #abort()} (the space is freed). Closing an uncommitted writer
 * aborts it. A writer is used by one thread at a time.
 *
 * <p>Each write appends buffers that are native and 4096-byte aligned
 * ({@link Mpool#allocateBuffer}); every buffer but the very last one written must be a
 * multiple of 4096 bytes long.
 */
public final class MblockWriter implements AutoCloseable {
    private final MblockWrite write;

    MblockWriter(MblockWrite write) {
        this.write = write;
    }

    public ObjectId id() {
        return write.id();
    }

    public MediaClass mediaClass() {
        return write.mediaClass();
    }

    /** Bytes written so far. */
    public long writtenBytes() {
        return write.writtenBytes();
    }

    /** The mblock size: the most bytes it can hold. */
    public long capacityBytes() {
        return write.capacityBytes();
    }

    /** Appends the buffers, in order (scatter/gather). */
    public void write(MemorySegment... buffers) {
        write.write(buffers);
    }

    /** Tags the mblock: the tag is recorded at commit and listed with it ({@code ObjectInfo.owner}). */
    public MblockWriter owner(long tag) {
        write.owner(tag);
        return this;
    }

    /** Makes the mblock durable and immutable; afterwards it can be read. */
    public void commit() {
        write.commit(true);
    }

    /**
     * Makes the mblock immutable and readable at once, durable at the next {@link Mpool#flush()}
     * (or durable append to its metadata shard): many such commits share one device flush. A
     * crash before then takes the commit back whole, never half of it.
     */
    public void commitDeferred() {
        write.commit(false);
    }

    /** Frees the mblock's space; it never existed. */
    public void abort() {
        write.abort();
    }

    /** Aborts the mblock unless it was committed. */
    @Override
    public void close() {
        write.close();
    }

    MblockWrite write() {
        return write;
    }

    @Override
    public String toString() {
        return "MblockWriter[" + id() + ", " + writtenBytes() + " of " + capacityBytes() + " bytes]";
    }
}
