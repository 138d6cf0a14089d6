package org.mpool.spi;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.UUID;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;

/**
 * A device mpool stores objects on: a block device, a regular file, or memory. All I/O is
 * positional and direct: offsets and lengths are multiples of {@link #logicalBlockSize()} and
 * buffers are native segments aligned to it ({@code Mpool.allocateBuffer} makes such buffers).
 * Misaligned requests fail with {@code INVALID_ARGUMENT} before any system call: implementations
 * check every request with {@link #checkIo} and {@link #checkRange}.
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

    /**
     * Re-reads the device's size from the system and returns it: a block device grown while it
     * was open (lvextend) or a file another program extended shows its new size here, and in
     * {@link #sizeBytes()} from then on. A device whose size cannot change returns
     * {@link #sizeBytes()}.
     */
    default long refreshSize() {
        return sizeBytes();
    }

    /**
     * Makes the device {@code newSizeBytes} long (a multiple of {@link #logicalBlockSize()}),
     * durably: a regular file is extended (sparse) and its new size synced before this returns.
     * Never shrinks (INVALID_ARGUMENT). UNSUPPORTED for a device whose size the system sets: grow
     * a block device with its own tools (lvextend, a bigger partition), then {@link #refreshSize()}.
     */
    default void extend(long newSizeBytes) {
        throw new MpoolException(
                MpoolException.ErrorCode.UNSUPPORTED,
                name() + " cannot be extended by mpool: grow it with its own tools (for a logical volume,"
                        + " lvextend), then grow the pool");
    }

    /** Releases the device and its lock. Idempotent. */
    @Override
    void close();

    /** Rejects a request that is misaligned, out of range, or uses an unsuitable buffer (INVALID_ARGUMENT). */
    static void checkIo(BlockDevice device, String op, long offset, MemorySegment buffer) {
        IoChecks.checkIo(device, op, offset, buffer);
    }

    /** Rejects a range that is misaligned or reaches past the end of the device (INVALID_ARGUMENT). */
    static void checkRange(BlockDevice device, String op, long offset, long length) {
        IoChecks.checkRange(device, op, offset, length);
    }

    /** The error for an operation on a device that was closed (INVALID_STATE). */
    static MpoolException closedError(BlockDevice device, String op) {
        return IoChecks.closed(device, op);
    }

    /**
     * What mpool wrote on a device: its label, read from its superblock without opening the
     * pool (as LVM's label on a physical volume).
     *
     * @param device the device's path
     * @param poolName the pool it belongs to
     * @param poolUuid that pool's UUID
     * @param mediaClass the class the device serves in the pool
     * @param deviceUuid the device's own UUID
     * @param mblockSizeBytes the class's mblock size
     * @param zoneCount mblock-sized zones on the device
     * @param cleanlyClosed whether the pool was closed cleanly (else it is open, or crashed)
     * @param formatVersion the on-media format version
     */
    record Label(
            Path device,
            String poolName,
            UUID poolUuid,
            MediaClass mediaClass,
            UUID deviceUuid,
            long mblockSizeBytes,
            long zoneCount,
            boolean cleanlyClosed,
            int formatVersion) {}

    /**
     * How a pool turns device paths into devices. The default opens files and block devices
     * natively; tests supply in-memory or fault-injecting devices under the same paths.
     */
    interface Provider {
        boolean exists(Path path);

        /** Opens an existing device read-write, with an exclusive lock if asked. */
        BlockDevice open(Path path, boolean exclusive);

        /** Opens an existing device read-only, without a lock (inspection). */
        default BlockDevice openReadOnly(Path path) {
            return open(path, false);
        }

        /** Creates a new sparse file device of {@code sizeBytes}; fails with EXISTS if present. */
        BlockDevice create(Path path, long sizeBytes);

        /** Whether the device is a regular file (synced appends there want zero-filled logs). */
        boolean isFile(BlockDevice device);

        /** Whether ownership and mode apply to the device's path. */
        default boolean hasOwnership() {
            return true;
        }

        /**
         * Takes the lock that makes this process the only writer of pool {@code poolUuid},
         * whatever path its devices were opened by; the action returned releases it. LOCKED if
         * another open holds it. Devices in memory have one path each: the default takes none.
         */
        default Runnable lockPool(UUID poolUuid) {
            return () -> {};
        }
    }
}
