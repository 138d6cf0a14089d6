package org.mpool.lucene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.ThreadInterruptedException;
import org.mpool.MblockWriter;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;

/**
 * An output that fills an aligned native buffer and writes it, whole, to the file's current
 * mblock with direct I/O (split in two where it meets the end of an mblock; only the very last
 * write of the file is not a whole number of pages). A full buffer is written by the directory's
 * {@link WriteBehind} threads while the caller fills a second one; the next full buffer (or the
 * close) waits for that write first, so an output has one write in flight at most, and a failed
 * write is reported by the call that waits for it. A full mblock is committed
 * deferred at once (immutable and readable; durable at the next pool flush) and the next one is
 * allocated, tagged with the directory's owner tag.
 *
 * <p>A file that ends within {@link MpoolDirectoryOptions#inlineMaxBytes()} before its first
 * buffer was written goes into the catalog instead: no mblock at all.
 *
 * <p>At close the file is published: its catalog record appended (not flushed) and its name made
 * readable. If the file was deleted while being written, or writing failed, its mblocks are freed
 * instead.
 */
final class MpoolIndexOutput extends IndexOutput {
    private final Store store;
    private final Store.Writing node;
    private final CRC32 crc = new CRC32();
    private final List<MblockWriter> writers = new ArrayList<>();
    private MemorySegment buffer;
    /** The other buffer: being written while {@link #buffer} fills, or null until a second is needed. */
    private MemorySegment spare;
    /** The write in flight, or null. */
    private Future<?> pending;

    private final int bufferBytes;
    /** Bytes in the buffer. */
    private int used;
    /** Bytes of the buffer already in {@link #crc}. */
    private int summed;
    /** Bytes handed to writes (the one in flight among them). */
    private long written;

    private boolean closed;
    private boolean failed;

    MpoolIndexOutput(Store store, Store.Writing node, String name) {
        super("MpoolIndexOutput(" + name + " in " + store + ")", name);
        this.store = store;
        this.node = node;
        this.buffer = store.buffers.take();
        this.bufferBytes = (int) buffer.byteSize();
    }

    @Override
    public void writeByte(byte b) throws IOException {
        if (used == bufferBytes) {
            flushBuffer();
        }
        try {
            buffer.set(JAVA_BYTE, used++, b);
        } catch (IllegalStateException | NullPointerException e) {
            throw closedError(e);
        }
    }

    @Override
    public void writeBytes(byte[] b, int offset, int length) throws IOException {
        while (length > 0) {
            if (used == bufferBytes) {
                flushBuffer();
            }
            int n = Math.min(length, bufferBytes - used);
            try {
                MemorySegment.copy(b, offset, buffer, JAVA_BYTE, used, n);
            } catch (IllegalStateException | NullPointerException e) {
                throw closedError(e);
            }
            used += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void writeShort(short v) throws IOException {
        if (bufferBytes - used < Short.BYTES) {
            super.writeShort(v);
            return;
        }
        try {
            buffer.set(MpoolIndexInput.LE_SHORT, used, v);
        } catch (IllegalStateException | NullPointerException e) {
            throw closedError(e);
        }
        used += Short.BYTES;
    }

    @Override
    public void writeInt(int v) throws IOException {
        if (bufferBytes - used < Integer.BYTES) {
            super.writeInt(v);
            return;
        }
        try {
            buffer.set(MpoolIndexInput.LE_INT, used, v);
        } catch (IllegalStateException | NullPointerException e) {
            throw closedError(e);
        }
        used += Integer.BYTES;
    }

    @Override
    public void writeLong(long v) throws IOException {
        if (bufferBytes - used < Long.BYTES) {
            super.writeLong(v);
            return;
        }
        try {
            buffer.set(MpoolIndexInput.LE_LONG, used, v);
        } catch (IllegalStateException | NullPointerException e) {
            throw closedError(e);
        }
        used += Long.BYTES;
    }

    @Override
    public long getFilePointer() {
        return written + used;
    }

    @Override
    public long getChecksum() throws IOException {
        sumBuffer();
        return crc.getValue();
    }

    private void sumBuffer() throws IOException {
        if (summed < used) {
            try {
                crc.update(buffer.asSlice(summed, used - summed).asByteBuffer());
            } catch (IllegalStateException | NullPointerException e) {
                throw closedError(e);
            }
            summed = used;
        }
    }

    /** Writes the full buffer to the current mblock (a new one if there is none or it is full). */
    private void flushBuffer() throws IOException {
        assert used == bufferBytes;
        if (closed) {
            throw new AlreadyClosedException("write after close: " + this);
        }
        sumBuffer();
        awaitPending();
        MemorySegment full = buffer;
        buffer = spare != null ? spare : store.buffers.take();
        spare = full;
        pending = store.writeBehind.submit(() -> {
            try {
                write(full, bufferBytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        written += bufferBytes;
        node.setWrittenBytes(written);
        used = 0;
        summed = 0;
    }

    /** Waits for the write in flight; its failure is this call's. */
    private void awaitPending() throws IOException {
        Future<?> p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        try {
            p.get();
        } catch (ExecutionException e) {
            failed = true;
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("writing " + getName() + " in " + store + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
            throw new ThreadInterruptedException(e);
        }
    }

    /**
     * Writes the first {@code n} bytes of {@code from} to the file's mblocks, one call at a time
     * (a write-behind thread, or the closing caller once the last one is done): a buffer that does
     * not fit in the current mblock's room is split (an mblock's capacity is its zone less the
     * page checksums at the zone's end, so buffers rarely divide it); both parts are whole pages.
     */
    private void write(MemorySegment from, int n) throws IOException {
        try {
            int done = 0;
            while (done < n) {
                MblockWriter w = writers.isEmpty() ? null : writers.getLast();
                if (w == null || w.writtenBytes() == w.capacityBytes()) {
                    if (w != null) {
                        w.commitDeferred(); // full: immutable and readable now, durable at the next pool flush
                    }
                    w = allocate();
                    writers.add(w);
                }
                int part = (int) Math.min(n - done, w.capacityBytes() - w.writtenBytes());
                w.write(from.asSlice(done, part));
                done += part;
            }
        } catch (MpoolException e) {
            failed = true;
            throw Errors.io(e, "writing " + getName() + " in " + store);
        } catch (IllegalStateException e) {
            failed = true;
            throw closedError(e);
        }
    }

    /** A new mblock for the file; when the pool is full, after freeing what deletes hold or growing the pool. */
    private MblockWriter allocate() throws IOException {
        while (true) {
            try {
                return store.pool.allocateMblock(store.options.mediaClass()).owner(store.tag);
            } catch (MpoolException e) {
                // Full: free the data of deletes waiting for a flush, else grow the pool file
                // this directory made (doubling); then try again. Neither: the pool is full.
                if (e.code() != MpoolException.ErrorCode.NO_SPACE || !(store.freeQueued() || store.growPool())) {
                    throw e;
                }
            }
        }
    }

    /** Writes what is left, commits the last mblock, and publishes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Store.Blob blob = null;
        try {
            awaitPending();
            if (failed) {
                throw new IOException("an earlier write of " + getName() + " failed: the file is dropped");
            }
            if (written == 0 && used <= store.options.inlineMaxBytes()) {
                byte[] bytes = new byte[used];
                MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, 0, used);
                blob = Store.Blob.inline(bytes);
            } else {
                if (used > 0) {
                    write(buffer, used); // the one partial write, the last of its mblock
                    written += used;
                }
                try {
                    writers.getLast().commitDeferred();
                } catch (MpoolException e) {
                    throw Errors.io(e, "committing " + getName() + " in " + store);
                }
                blob = Store.Blob.inMblocks(
                        written, writers.stream().map(MblockWriter::id).toList());
            }
            if (!store.publish(node, blob)) { // deleted while written: its data goes now
                store.free(blob);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            try {
                awaitPending(); // its mblocks must be still before they are discarded
            } catch (IOException | RuntimeException again) {
                // the first failure is the one reported
            }
            store.abandon(node);
            discard(e);
            throw e;
        } finally {
            store.buffers.give(buffer);
            buffer = null;
            if (spare != null) {
                store.buffers.give(spare);
                spare = null;
            }
        }
    }

    /** After a failure: the file's mblocks go (aborted if uncommitted, deleted if committed). */
    private void discard(Throwable cause) {
        List<ObjectId> committed = new ArrayList<>();
        for (MblockWriter w : writers) {
            try {
                w.abort();
            } catch (MpoolException e) {
                committed.add(w.id()); // committed already (abort refuses): delete it
            }
        }
        try {
            store.freeMblocks(committed, "discarding " + getName());
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private AlreadyClosedException closedError(RuntimeException e) {
        failed = true;
        return new AlreadyClosedException("the directory was closed under " + this, e);
    }
}
