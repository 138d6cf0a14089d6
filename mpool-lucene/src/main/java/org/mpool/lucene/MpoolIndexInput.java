package org.mpool.lucene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.RandomAccessInput;

/**
 * An input over one {@link MemorySegment}: the file's bytes in an mcache map (or in memory, for
 * an inline file). Reads are plain segment accesses: the segment's bounds check is the EOF check
 * and its closed arena the closed check, so a read past the end is an {@link EOFException} and a
 * read after the input was closed (through any clone or slice) an {@link AlreadyClosedException}
 * — never a fault.
 *
 * <p>Clones and slices share the opening input's {@link InputSource} and are never closed
 * themselves. A sequential input (merges, flushes, READONCE) asks the map for readahead a window
 * ahead of where it reads, because a map faults single pages ({@code MADV_RANDOM}); a random one
 * asks only when Lucene prefetches.
 */
final class MpoolIndexInput extends IndexInput implements RandomAccessInput {
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Readahead of a sequential input: it keeps between one and two windows asked for ahead. */
    static final long READAHEAD_WINDOW_BYTES = 8L << 20;

    private final InputSource source;
    private final MemorySegment segment;
    /** Where {@link #segment} starts in the file. */
    private final long fileOffset;

    private final long length;
    /** Clones and slices: closing them does nothing (the opening input's close ends them all). */
    private final boolean isClone;

    private long pos;
    /** At this position, see about more readahead; MAX_VALUE: never (a random input). */
    private long readaheadAt;

    MpoolIndexInput(String description, InputSource source, ReadPolicy policy) {
        this(description, source, source.file(), 0, false, policy.sequential());
    }

    private MpoolIndexInput(
            String description,
            InputSource source,
            MemorySegment segment,
            long fileOffset,
            boolean isClone,
            boolean sequential) {
        super(description);
        this.source = source;
        this.segment = segment;
        this.fileOffset = fileOffset;
        this.length = segment.byteSize();
        this.isClone = isClone;
        setSequential(sequential);
    }

    private void setSequential(boolean sequential) {
        readaheadAt = sequential && source.mapped() ? pos : Long.MAX_VALUE;
    }

    /**
     * Keeps readahead up to two windows past the position, looking again a window later. The
     * file's inputs share what was asked for ({@link InputSource#claimReadahead}), so a range is
     * asked for once however many clones read it.
     */
    private void readahead() {
        long at = fileOffset + pos;
        long end = fileOffset + length;
        long to = Math.min(end, at + 2 * READAHEAD_WINDOW_BYTES);
        long from = source.claimReadahead(at, to);
        if (from < to) {
            source.willNeed(from, to - from);
        }
        readaheadAt = to >= end ? Long.MAX_VALUE : to - READAHEAD_WINDOW_BYTES - fileOffset;
    }

    // ------------------------------------------------------------------ sequential reads

    @Override
    public byte readByte() throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            byte b = segment.get(JAVA_BYTE, pos);
            pos++;
            return b;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, 1);
        }
    }

    @Override
    public void readBytes(byte[] b, int offset, int len) throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            MemorySegment.copy(segment, JAVA_BYTE, pos, b, offset, len);
            pos += len;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, len);
        }
    }

    @Override
    public short readShort() throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            short v = segment.get(LE_SHORT, pos);
            pos += Short.BYTES;
            return v;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, Short.BYTES);
        }
    }

    @Override
    public int readInt() throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            int v = segment.get(LE_INT, pos);
            pos += Integer.BYTES;
            return v;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, Integer.BYTES);
        }
    }

    @Override
    public long readLong() throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            long v = segment.get(LE_LONG, pos);
            pos += Long.BYTES;
            return v;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, Long.BYTES);
        }
    }

    @Override
    public void readInts(int[] dst, int offset, int len) throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            MemorySegment.copy(segment, LE_INT, pos, dst, offset, len);
            pos += (long) len * Integer.BYTES;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, (long) len * Integer.BYTES);
        }
    }

    @Override
    public void readLongs(long[] dst, int offset, int len) throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            MemorySegment.copy(segment, LE_LONG, pos, dst, offset, len);
            pos += (long) len * Long.BYTES;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, (long) len * Long.BYTES);
        }
    }

    @Override
    public void readFloats(float[] dst, int offset, int len) throws IOException {
        if (pos >= readaheadAt) {
            readahead();
        }
        try {
            MemorySegment.copy(segment, LE_FLOAT, pos, dst, offset, len);
            pos += (long) len * Float.BYTES;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, pos, (long) len * Float.BYTES);
        }
    }

    @Override
    public long getFilePointer() {
        return pos;
    }

    @Override
    public void seek(long target) throws IOException {
        ensureOpen();
        if (target < 0) {
            throw new IllegalArgumentException("seek to a negative position " + target + ": " + this);
        }
        if (target > length) {
            throw new EOFException("seek past EOF: position " + target + " of " + length + ": " + this);
        }
        pos = target;
    }

    @Override
    public void skipBytes(long numBytes) throws IOException {
        if (numBytes < 0) {
            throw new IllegalArgumentException("numBytes must be >= 0, got " + numBytes);
        }
        seek(pos + numBytes);
    }

    @Override
    public long length() {
        return length;
    }

    // ------------------------------------------------------------------ random access

    @Override
    public byte readByte(long at) throws IOException {
        try {
            return segment.get(JAVA_BYTE, at);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, at, 1);
        }
    }

    @Override
    public void readBytes(long at, byte[] bytes, int offset, int len) throws IOException {
        try {
            MemorySegment.copy(segment, JAVA_BYTE, at, bytes, offset, len);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, at, len);
        }
    }

    @Override
    public short readShort(long at) throws IOException {
        try {
            return segment.get(LE_SHORT, at);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, at, Short.BYTES);
        }
    }

    @Override
    public int readInt(long at) throws IOException {
        try {
            return segment.get(LE_INT, at);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, at, Integer.BYTES);
        }
    }

    @Override
    public long readLong(long at) throws IOException {
        try {
            return segment.get(LE_LONG, at);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw failed(e, at, Long.BYTES);
        }
    }

    // ------------------------------------------------------------------ hints

    /**
     * Starts loading {@code [offset, offset + length)} into the page cache unless it is there:
     * the residency check (one mincore) is itself skipped while prefetches keep finding their
     * pages resident, except at every power of two of them.
     */
    @Override
    public void prefetch(long offset, long len) throws IOException {
        ensureOpen();
        if (offset < 0 || len < 0 || offset > length - len) {
            throw new IllegalArgumentException(
                    "prefetch of [" + offset + ", " + (offset + len) + ") outside " + length + " bytes: " + this);
        }
        if (len == 0 || !source.mapped()) {
            return;
        }
        if (source.skipResidencyCheck()) {
            return; // the file's last prefetches found their pages resident: assume they still are
        }
        if (!source.resident(fileOffset + offset, len)) {
            source.prefetchMissed();
            source.willNeed(fileOffset + offset, len);
        }
    }

    /**
     * Present and true when every page of this input is in the page cache (mincore), or it is in
     * memory; empty otherwise. Not {@code false}: Lucene's contract lets false mean nothing, and
     * its BaseDirectoryTestCase expects every directory but MMapDirectory to answer empty for a
     * file just written (ours is then not cached: it was written with direct I/O).
     */
    @Override
    public Optional<Boolean> isLoaded() {
        ensureOpen();
        return source.resident(fileOffset, length) ? Optional.of(Boolean.TRUE) : Optional.empty();
    }

    /** A new read pattern: the map's advice (for all its users) and this input's readahead. */
    @Override
    public void updateIOContext(IOContext context) throws IOException {
        ensureOpen();
        ReadPolicy p = ReadPolicy.of(context);
        source.advise(p.advice());
        setSequential(p.sequential());
    }

    // ------------------------------------------------------------------ clones, slices, close

    @Override
    public MpoolIndexInput clone() {
        ensureOpen();
        MpoolIndexInput c =
                new MpoolIndexInput(toString(), source, segment, fileOffset, true, readaheadAt != Long.MAX_VALUE);
        c.pos = pos;
        c.setSequential(readaheadAt != Long.MAX_VALUE);
        return c;
    }

    @Override
    public MpoolIndexInput slice(String sliceDescription, long offset, long len) throws IOException {
        return slice(sliceDescription, offset, len, readaheadAt != Long.MAX_VALUE);
    }

    @Override
    public MpoolIndexInput slice(String sliceDescription, long offset, long len, IOContext context) throws IOException {
        return slice(sliceDescription, offset, len, ReadPolicy.of(context).sequential());
    }

    private MpoolIndexInput slice(String sliceDescription, long offset, long len, boolean sequential) {
        ensureOpen();
        if (offset < 0 || len < 0 || offset > length - len) {
            throw new IllegalArgumentException("slice() " + sliceDescription + " out of bounds: offset=" + offset
                    + ", length=" + len + ", fileLength=" + length + ": " + this);
        }
        String description = toString() + " [slice=" + sliceDescription + "]";
        return new MpoolIndexInput(
                description, source, segment.asSlice(offset, len), fileOffset + offset, true, sequential);
    }

    /** Closes the file (the opening input) or does nothing (a clone or slice). Idempotent. */
    @Override
    public void close() throws IOException {
        if (!isClone) {
            source.close();
        }
    }

    InputSource source() {
        return source;
    }

    private void ensureOpen() {
        if (source.isClosed()) {
            throw new AlreadyClosedException("already closed: " + this);
        }
    }

    /** The exception for a failed access: past the end (EOF), before the start, or after close. */
    private IOException failed(RuntimeException e, long at, long len) {
        if (e instanceof IllegalStateException) {
            throw new AlreadyClosedException("already closed: " + this, e);
        }
        if (at < 0) {
            throw new IllegalArgumentException("read at a negative position " + at + ": " + this, e);
        }
        EOFException eof =
                new EOFException("read past EOF: " + len + " bytes at position " + at + " of " + length + ": " + this);
        eof.initCause(e);
        return eof;
    }
}
