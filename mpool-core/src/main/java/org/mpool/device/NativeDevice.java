package org.mpool.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.UUID;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Errno;
import org.mpool.linux.LibC;
import org.mpool.linux.ProcLocks;
import org.mpool.spi.BlockDevice;

/**
 * A block device or regular file opened with {@code O_DIRECT}: data moves between the media and
 * the caller's aligned buffers without the page cache. Regular files are the embedded default
 * and are created sparse; block devices are sized and discarded with their ioctls.
 */
public final class NativeDevice implements BlockDevice {
    /** Logical block size used for regular files: safe for O_DIRECT on every Linux file system. */
    static final int FILE_BLOCK_SIZE = 4096;

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;

    /** What kind of object backs the device. */
    public enum Kind {
        FILE,
        BLOCK
    }

    /**
     * How to open a device.
     *
     * @param readOnly open without write access and without taking the lock
     * @param exclusive take an exclusive advisory lock (flock); fail with LOCKED if held
     */
    public record OpenOptions(boolean readOnly, boolean exclusive) {
        public static final OpenOptions EXCLUSIVE = new OpenOptions(false, true);
        public static final OpenOptions SHARED = new OpenOptions(false, false);
        public static final OpenOptions READ_ONLY = new OpenOptions(true, false);
    }

    /** Files and block devices, opened with O_DIRECT: the provider of every pool not told otherwise. */
    public static final BlockDevice.Provider PROVIDER = new BlockDevice.Provider() {
        @Override
        public boolean exists(Path path) {
            return Files.exists(path);
        }

        @Override
        public BlockDevice open(Path path, boolean exclusive) {
            return NativeDevice.open(path, exclusive ? OpenOptions.EXCLUSIVE : OpenOptions.SHARED);
        }

        @Override
        public BlockDevice openReadOnly(Path path) {
            return NativeDevice.open(path, OpenOptions.READ_ONLY);
        }

        @Override
        public BlockDevice create(Path path, long sizeBytes) {
            return NativeDevice.createFile(path, sizeBytes, OpenOptions.EXCLUSIVE);
        }

        @Override
        public boolean isFile(BlockDevice device) {
            return device instanceof NativeDevice n && n.kind() == Kind.FILE;
        }

        @Override
        public Runnable lockPool(UUID poolUuid) {
            return PoolLockFiles.lock(poolUuid);
        }
    };

    private final Path path;
    private final Kind kind;
    private final int fd;
    /** The system calls, as {@link WholeTransfer} takes them: made once, not per transfer. */
    private final WholeTransfer.Call pread;

    private final WholeTransfer.Call pwrite;
    private final boolean readOnly;
    /** Re-read by {@link #refreshSize()} (a device grown while open), and set by {@link #extend}. */
    private volatile long sizeBytes;

    private final int logicalBlockSize;
    private final int physicalBlockSize;
    private final int optimalIoSize;
    /** Every call that uses {@link #fd} passes it; close waits for them (see IoGate). */
    private final IoGate gate = new IoGate();

    private NativeDevice(Path path, Kind kind, int fd, boolean readOnly) {
        this.path = path;
        this.kind = kind;
        this.fd = fd;
        this.pread = (at, count, offset) -> LibC.pread(fd, at, count, offset);
        this.pwrite = (at, count, offset) -> LibC.pwrite(fd, at, count, offset);
        this.readOnly = readOnly;
        if (kind == Kind.BLOCK) {
            this.logicalBlockSize = (int) query(LibC.ioctlInt(fd, LibC.BLKSSZGET), "BLKSSZGET");
            this.physicalBlockSize =
                    Math.max(logicalBlockSize, (int) query(LibC.ioctlInt(fd, LibC.BLKPBSZGET), "BLKPBSZGET"));
            long ioOpt = query(LibC.ioctlInt(fd, LibC.BLKIOOPT), "BLKIOOPT");
            this.optimalIoSize = (int) Math.max(physicalBlockSize, ioOpt);
        } else {
            this.logicalBlockSize = FILE_BLOCK_SIZE;
            this.physicalBlockSize = FILE_BLOCK_SIZE;
            this.optimalIoSize = FILE_BLOCK_SIZE;
        }
        this.sizeBytes = querySize();
    }

    /** The size the system reports now, rounded down to whole logical blocks. */
    private long querySize() {
        long raw = kind == Kind.BLOCK
                ? query(LibC.ioctlLong(fd, LibC.BLKGETSIZE64), "BLKGETSIZE64")
                : query(LibC.lseek(fd, 0, LibC.SEEK_END), "lseek");
        return AlignedBuffers.alignDown(raw, logicalBlockSize);
    }

    /** Opens an existing block device or regular file. */
    public static NativeDevice open(Path path, OpenOptions options) {
        Kind kind = kindOf(path);
        int flags = (options.readOnly() ? LibC.O_RDONLY : LibC.O_RDWR) | LibC.O_DIRECT | LibC.O_CLOEXEC;
        boolean claim = kind == Kind.BLOCK && options.exclusive() && !options.readOnly();
        if (claim) {
            // O_EXCL on a block device claims it in the kernel: refused while it is mounted, part
            // of a dm or md device, or claimed by another program, which a flock would not see.
            flags |= LibC.O_EXCL;
        }
        int fd = LibC.open(path.toString(), flags, 0);
        if (claim && fd == -Errno.EBUSY) {
            throw new MpoolException(
                    ErrorCode.LOCKED,
                    path + " is in use by the kernel or another program (mounted, part of a dm or md device, or"
                            + " opened exclusively)");
        }
        if (fd < 0) {
            throw openError(path, -fd, options.readOnly());
        }
        return finishOpen(path, kind, fd, options);
    }

    /**
     * Creates a new regular file of {@code sizeBytes} (sparse: no blocks are allocated until
     * written) and opens it. Fails with EXISTS if the path exists; never overwrites anything.
     */
    public static NativeDevice createFile(Path path, long sizeBytes, OpenOptions options) {
        if (sizeBytes < FILE_BLOCK_SIZE || !AlignedBuffers.isAligned(sizeBytes, FILE_BLOCK_SIZE)) {
            throw MpoolException.invalid("cannot create " + path + ": size " + sizeBytes
                    + " must be a positive multiple of " + FILE_BLOCK_SIZE + " bytes");
        }
        if (options.readOnly()) {
            throw MpoolException.invalid("cannot create " + path + " read-only");
        }
        int flags = LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_DIRECT | LibC.O_CLOEXEC;
        int fd = LibC.open(path.toString(), flags, 0660);
        if (fd < 0) {
            throw openError(path, -fd, options.readOnly());
        }
        int r = LibC.ftruncate(fd, sizeBytes);
        if (r < 0) {
            LibC.close(fd);
            deleteQuietly(path);
            throw new MpoolException(
                    Errno.toErrorCode(-r),
                    "cannot size " + path + " to " + sizeBytes + " bytes: " + Errno.name(-r) + " (" + Errno.describe(-r)
                            + ")");
        }
        try {
            syncDirectoryOf(path); // the new name survives a crash as surely as what is written in it
        } catch (RuntimeException e) {
            LibC.close(fd);
            deleteQuietly(path);
            throw e;
        }
        return finishOpen(path, Kind.FILE, fd, options);
    }

    private static NativeDevice finishOpen(Path path, Kind kind, int fd, OpenOptions options) {
        try {
            if (options.exclusive() && !options.readOnly()) {
                lock(path, fd);
            }
            return new NativeDevice(path, kind, fd, options.readOnly());
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static void lock(Path path, int fd) {
        int r = LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB);
        if (r == 0) {
            return;
        }
        if (-r != Errno.EAGAIN) {
            throw new MpoolException(
                    Errno.toErrorCode(-r),
                    "cannot lock " + path + ": " + Errno.name(-r) + " (" + Errno.describe(-r) + ")");
        }
        OptionalLong holder = ProcLocks.flockHolder(path);
        String who = holder.isPresent()
                ? "process " + holder.getAsLong()
                        + (holder.getAsLong() == ProcessHandle.current().pid() ? " (this process)" : "")
                : "another process";
        throw new MpoolException(ErrorCode.LOCKED, path + " is in use by " + who);
    }

    private static Kind kindOf(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (NoSuchFileException e) {
            throw new MpoolException(ErrorCode.NOT_FOUND, path + ": no such file or device");
        } catch (AccessDeniedException e) {
            throw new MpoolException(ErrorCode.PERMISSION, path + ": permission denied");
        } catch (IOException e) {
            throw new MpoolException(ErrorCode.IO, path + ": cannot inspect: " + e.getMessage(), e);
        }
        return switch (mode & S_IFMT) {
            case S_IFBLK -> Kind.BLOCK;
            case S_IFREG -> Kind.FILE;
            default -> throw MpoolException.invalid(path + " is neither a block device nor a regular file");
        };
    }

    static MpoolException openError(Path path, int errno, boolean readOnly) {
        String hint = switch (errno) {
            case Errno.EINVAL -> " (the file system may not support O_DIRECT)";
            case Errno.EACCES, Errno.EPERM ->
                ": " + (readOnly ? "reading" : "opening it for writing") + " needs "
                        + (readOnly ? "read" : "read and write") + " permission" + ownerOf(path);
            case Errno.EROFS -> ": the file system is read-only (open the pool read-only)";
            default -> "";
        };
        return new MpoolException(
                Errno.toErrorCode(errno),
                "cannot open " + path + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")" + hint);
    }

    /** "; it is owned by uid:gid with mode 0660", or nothing if that cannot be read either. */
    private static String ownerOf(Path path) {
        try {
            int uid = (Integer) Files.getAttribute(path, "unix:uid");
            int gid = (Integer) Files.getAttribute(path, "unix:gid");
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return String.format("; it is owned by %d:%d with mode %04o", uid, gid, mode & 07777);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private long query(long result, String what) {
        if (result < 0) { // the caller (finishOpen) closes the fd
            throw new MpoolException(
                    Errno.toErrorCode((int) -result), what + " on " + path + " failed: " + Errno.name((int) -result));
        }
        return result;
    }

    /** fsync(2)s the directory holding {@code path}, so its entry for {@code path} is durable. */
    static void syncDirectoryOf(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        int fd = LibC.open(dir.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new MpoolException(
                    Errno.toErrorCode(-fd),
                    "cannot open " + dir + " to sync it: " + Errno.name(-fd) + " (" + Errno.describe(-fd) + ")");
        }
        try {
            int r = LibC.fsync(fd);
            if (r < 0) {
                throw new MpoolException(
                        Errno.toErrorCode(-r),
                        "cannot sync directory " + dir + ": " + Errno.name(-r) + " (" + Errno.describe(-r) + ")");
            }
        } finally {
            LibC.close(fd);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // The create failed already; that is the error worth reporting.
        }
    }

    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    @Override
    public int physicalBlockSize() {
        return physicalBlockSize;
    }

    @Override
    public int optimalIoSize() {
        return optimalIoSize;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, MemorySegment buffer) {
        enter("read");
        try {
            readAll(offset, buffer);
        } finally {
            gate.exit();
        }
    }

    private void readAll(long offset, MemorySegment buffer) {
        BlockDevice.checkIo(this, "read", offset, buffer);
        long length = buffer.byteSize();
        long r = WholeTransfer.of(pread, offset, buffer);
        if (r < 0) {
            throw ioError("read", offset, length, (int) -r);
        }
        if (r < length) {
            throw new MpoolException(
                    ErrorCode.IO,
                    "read of " + length + " bytes at offset " + offset + " on " + path + " hit the end of the file at "
                            + (offset + r));
        }
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        enter("write");
        try {
            writeAll(offset, buffer);
        } finally {
            gate.exit();
        }
    }

    private void writeAll(long offset, MemorySegment buffer) {
        checkWritable("write");
        BlockDevice.checkIo(this, "write", offset, buffer);
        long length = buffer.byteSize();
        long r = WholeTransfer.of(pwrite, offset, buffer);
        if (r < length) {
            // A write that moves nothing without an errno is a device that took nothing: EIO.
            throw ioError("write", offset, length, r < 0 ? (int) -r : Errno.EIO);
        }
    }

    @Override
    public void flush() {
        if (readOnly) {
            ensureOpen("flush");
            return;
        }
        enter("flush");
        int r;
        try {
            r = LibC.fdatasync(fd);
        } finally {
            gate.exit();
        }
        if (r < 0) {
            throw new MpoolException(
                    Errno.toErrorCode(-r),
                    "flush (fdatasync) of " + path
                            + " failed: " + Errno.name(-r) + " (" + Errno.describe(-r)
                            + "); writes since the last flush may be lost");
        }
    }

    @Override
    public void discard(long offset, long length) {
        enter("discard");
        try {
            discardRange(offset, length);
        } finally {
            gate.exit();
        }
    }

    private void discardRange(long offset, long length) {
        checkWritable("discard");
        BlockDevice.checkRange(this, "discard", offset, length);
        if (length == 0) {
            return;
        }
        int r;
        if (kind == Kind.BLOCK) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment range = arena.allocate(ValueLayout.JAVA_LONG, 2);
                range.setAtIndex(ValueLayout.JAVA_LONG, 0, offset);
                range.setAtIndex(ValueLayout.JAVA_LONG, 1, length);
                r = LibC.ioctl(fd, LibC.BLKDISCARD, range);
            }
        } else {
            r = LibC.fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, offset, length);
        }
        // A device that cannot discard still holds correct data: discard is only a hint.
        if (r < 0 && -r != Errno.EOPNOTSUPP && -r != Errno.ENOTTY) {
            throw ioError("discard", offset, length, -r);
        }
    }

    @Override
    public long refreshSize() {
        enter("size");
        try {
            sizeBytes = querySize();
            return sizeBytes;
        } finally {
            gate.exit();
        }
    }

    /**
     * Extends a regular file to {@code newSizeBytes} (sparse: no blocks are allocated) and
     * fsyncs it, so the new size survives a crash before anything is written there.
     */
    @Override
    public void extend(long newSizeBytes) {
        enter("extend");
        try {
            checkWritable("extend");
            if (kind != Kind.FILE) {
                throw new MpoolException(
                        ErrorCode.UNSUPPORTED,
                        path + " is a block device: mpool cannot change its size; grow it with its own tools (for a"
                                + " logical volume, lvextend), then grow the pool");
            }
            long now = querySize();
            if (newSizeBytes < now || !AlignedBuffers.isAligned(newSizeBytes, FILE_BLOCK_SIZE)) {
                throw MpoolException.invalid("cannot extend " + path + " to " + newSizeBytes + " bytes: it has " + now
                        + " and a new size must be larger, in whole " + FILE_BLOCK_SIZE + "-byte blocks");
            }
            int r = LibC.ftruncate(fd, newSizeBytes);
            if (r == 0) {
                r = LibC.fsync(fd); // the size is metadata: fsync, not fdatasync, states the intent
            }
            if (r < 0) {
                throw new MpoolException(
                        Errno.toErrorCode(-r),
                        "cannot extend " + path + " to " + newSizeBytes + " bytes: " + Errno.name(-r) + " ("
                                + Errno.describe(-r) + ")");
            }
            sizeBytes = querySize();
        } finally {
            gate.exit();
        }
    }

    @Override
    public void close() {
        if (gate.close()) { // no call in flight can reach fd any more
            LibC.close(fd); // closing the fd also releases its flock; only once, or a reused fd would go
        }
    }

    private void checkWritable(String op) {
        if (readOnly) {
            throw new MpoolException(ErrorCode.PERMISSION, op + " on " + path + ": the device is open read-only");
        }
    }

    private void ensureOpen(String op) {
        if (gate.isShut()) {
            throw BlockDevice.closedError(this, op);
        }
    }

    /** Passes the gate for a call that uses the descriptor; follow with {@code gate.exit()}. */
    private void enter(String op) {
        if (!gate.enter()) {
            throw BlockDevice.closedError(this, op);
        }
    }

    private MpoolException ioError(String op, long offset, long length, int errno) {
        return new MpoolException(
                Errno.toErrorCode(errno),
                op + " of " + length + " bytes at offset " + offset + " on " + path + " failed: " + Errno.name(errno)
                        + " (" + Errno.describe(errno) + ")");
    }

    @Override
    public String toString() {
        return "NativeDevice[" + path + ", " + kind + ", " + sizeBytes + " bytes]";
    }
}
