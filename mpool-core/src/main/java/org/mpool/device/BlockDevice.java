package org.mpool.device;

import java.lang.foreign.MemorySegment;

/**
 * A device mpool stores objects on: a block device, a regular file, or memory. All I/O is
 * positional and direct: offsets and lengths are multiples of {@link #logicalBlockSize()} and
 * buffers are native segments aligned to it ({@link AlignedBuffers} makes such buffers).
 * Misaligned requests fail with {@code INVALID_ARGUMENT} before any system call.
 *
 * <p>Implementations are safe for concurrent I/O from many threads. {@link #close()} must not
 * race with I/O in flight.
 */
public interface BlockDevice extends AutoCloseable {

    /** What to call this device in messages: its path, or a description. */
    String name();

    /** Usable size in bytes, a multiple of {@link #logicalBlockSize()}. */
    long sizeBytes();

    /** The unit of addressing and of atomic writes (512 or 4096). */
    int logicalBlockSize();

    /** The unit the media writes internally; a power of two ≥ the logical block size. */
    int physicalBlockSize();

    /** The preferred size of large I/O requests, a multiple of the physical block size. */
    int optimalIoSize();

    boolean readOnly();

    /** Reads {@code buffer.byteSize()} bytes at {@code offset} into {@code buffer}. */
    void read(long offset, MemorySegment buffer);

    /** Writes all of {@code buffer} at {@code offset}. Durable only after {@link #flush()}. */
    void write(long offset, MemorySegment buffer);

    /** Makes every write that completed before this call durable (fdatasync / cache flush). */
    void flush();

    /**
     * Tells the device the range holds no data any more (TRIM / hole punch). Its contents are
     * undefined afterwards: zeros on files and memory, anything on block devices.
     */
    void discard(long offset, long length);

    /** Releases the device and its lock. Idempotent. */
    @Override
    void close();
}
