package org.mpool.lucene;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import org.mpool.Mpool;

/**
 * The direct-I/O buffers of a directory's outputs, reused: a Lucene flush opens a dozen outputs
 * at once and closes them soon after, so native aligned memory is kept rather than allocated per
 * file. At most {@link #RETAINED} buffers are kept; past that, a buffer is allocated for one
 * output and left to the garbage collector.
 */
final class WriteBuffers implements AutoCloseable {
    /** Buffers kept for reuse: enough for a few concurrent flushes and merges. */
    static final int RETAINED = 32;

    private final int bufferBytes;
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int allocated;
    private boolean closed;

    WriteBuffers(int bufferBytes) {
        assert Integer.bitCount(bufferBytes) == 1 && bufferBytes >= 4096 : "a power of two of whole pages";
        this.bufferBytes = bufferBytes;
    }

    int bufferBytes() {
        return bufferBytes;
    }

    /** A buffer of {@link #bufferBytes()} bytes, 4096-aligned, with stale bytes in it. */
    synchronized MemorySegment take() {
        MemorySegment b = free.pollFirst();
        if (b != null) {
            return b;
        }
        if (!closed && allocated < RETAINED) {
            allocated++;
            return Mpool.allocateBuffer(arena, bufferBytes);
        }
        return Mpool.allocateBuffer(Arena.ofAuto(), bufferBytes);
    }

    /** Gives a buffer from {@link #take()} back. */
    synchronized void give(MemorySegment buffer) {
        assert buffer.byteSize() == bufferBytes;
        if (!closed && buffer.scope().equals(arena.scope())) {
            free.addFirst(buffer);
        }
    }

    /** Frees the kept buffers; an output still open then fails its next write with AlreadyClosedException. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            free.clear();
            arena.close();
        }
    }
}
