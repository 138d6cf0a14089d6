package org.mpool.cache;

import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.ForwardingDevice;
import org.mpool.device.NativeDevice;
import org.mpool.linux.Errno;
import org.mpool.linux.LibC;
import org.mpool.spi.BlockDevice;

/**
 * A read-only descriptor of a pool device for mmap and posix_fadvise. The pool's own descriptor
 * is opened with O_DIRECT, which is about bypassing the page cache; maps live in the page
 * cache, so they get a descriptor of their own (O_DIRECT writes and MAP_SHARED maps of the
 * same file stay coherent: PLATFORM.md).
 */
final class MapSource implements AutoCloseable {
    private final String name;
    private final int fd;
    private boolean closed;

    private MapSource(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Opens {@code device}'s file or block device; UNSUPPORTED for devices that are not (memory). */
    static MapSource open(BlockDevice device) {
        while (device instanceof ForwardingDevice f) {
            device = f.inner(); // decorators such as flush combining sit over the real device
        }
        if (!(device instanceof NativeDevice nd)) {
            throw new MpoolException(
                    ErrorCode.UNSUPPORTED,
                    "map: " + device.name() + " is not a file or block device; only those can be mapped");
        }
        int fd = LibC.open(nd.path().toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new MpoolException(
                    Errno.toErrorCode(-fd),
                    "map: cannot open " + nd.path() + " for mapping: " + Errno.name(-fd) + " (" + Errno.describe(-fd)
                            + ")");
        }
        return new MapSource(nd.path().toString(), fd);
    }

    int fd() {
        return fd;
    }

    String name() {
        return name;
    }

    /** Maps stay valid after this: a mapping holds its own reference to the file. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
