package org.mpool.linux;

import org.mpool.common.MpoolException.ErrorCode;

/** Linux errno values that mpool names in messages or maps to an {@link ErrorCode}. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int ENOTBLK = 15;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int EDQUOT = 122;

    private Errno() {}

    /** The symbolic name, e.g. {@code "EIO"}, or {@code "errno 123"} for one we do not name. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case ENOTBLK -> "ENOTBLK";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case ENOTTY -> "ENOTTY";
            case ETXTBSY -> "ETXTBSY";
            case EFBIG -> "EFBIG";
            case ENOSPC -> "ENOSPC";
            case EROFS -> "EROFS";
            case ENOSYS -> "ENOSYS";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EDQUOT -> "EDQUOT";
            default -> "errno " + errno;
        };
    }

    /** A short explanation for a person, e.g. "no space left on device". */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case EIO -> "input/output error";
            case ENXIO -> "no such device or address";
            case EBADF -> "bad file descriptor";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "out of memory";
            case EACCES -> "permission denied";
            case EBUSY -> "device or resource busy";
            case EEXIST -> "file exists";
            case ENODEV -> "no such device";
            case ENOTDIR -> "not a directory";
            case EISDIR -> "is a directory";
            case EINVAL -> "invalid argument (for O_DIRECT: misaligned offset, length or buffer)";
            case ENOTTY -> "not supported by this kind of file";
            case EFBIG -> "file too large";
            case ENOSPC -> "no space left on device";
            case EROFS -> "read-only file system";
            case EOPNOTSUPP -> "operation not supported";
            case EDQUOT -> "disk quota exceeded";
            default -> "system error";
        };
    }

    /** The mpool error code a failed system call with this errno maps to. */
    public static ErrorCode toErrorCode(int errno) {
        return switch (errno) {
            case ENOSPC, EDQUOT, EFBIG -> ErrorCode.NO_SPACE;
            case ENOENT, ENXIO, ENODEV -> ErrorCode.NOT_FOUND;
            case EACCES, EPERM, EROFS -> ErrorCode.PERMISSION;
            case EINVAL, EISDIR, ENOTDIR, ENOTBLK -> ErrorCode.INVALID_ARGUMENT;
            case EBUSY, ETXTBSY -> ErrorCode.BUSY;
            case EEXIST -> ErrorCode.EXISTS;
            case EOPNOTSUPP, ENOTTY, ENOSYS -> ErrorCode.UNSUPPORTED;
            case EAGAIN -> ErrorCode.LOCKED;
            default -> ErrorCode.IO;
        };
    }
}
