package org.mpool.common;

/**
 * The one exception type of mpool. It carries a stable {@link ErrorCode} and a message written
 * for a person: what was being done, to what, and why it failed.
 */
public final class MpoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Stable, machine-readable reasons for an {@link MpoolException}. Callers branch on these; the
     * names and {@link #exitStatus()} never change meaning between releases.
     */
    public enum ErrorCode {
        /** The caller passed a value the operation cannot accept (bad size, alignment, name...). */
        INVALID_ARGUMENT,
        /** The named pool, device, object or property does not exist. */
        NOT_FOUND,
        /** Something with that name or identity exists already. */
        EXISTS,
        /** The media class (or device) has no free space left for the request. */
        NO_SPACE,
        /** A log cannot take the record: it is full until erased. */
        LOG_FULL,
        /** The object is in use (mapped, open, being written) and cannot be changed now. */
        BUSY,
        /** Another process holds the pool or device lock. */
        LOCKED,
        /** On-media data failed a checksum or a structural check: it is reported, never returned. */
        CORRUPT,
        /** The device reported an I/O error, or an earlier I/O error made the object unusable. */
        IO,
        /** The operating system refused access to the device or file. */
        PERMISSION,
        /** The media was written by a newer, unknown format version, or the device lacks a feature. */
        UNSUPPORTED,
        /** The object is closed or the operation does not fit its state (e.g. read before commit). */
        INVALID_STATE;

        /** Exit status for command-line tools: usage errors are 2, everything else 1. */
        public int exitStatus() {
            return this == INVALID_ARGUMENT ? 2 : 1;
        }
    }

    private final ErrorCode code;

    public MpoolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public MpoolException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static MpoolException invalid(String message) {
        return new MpoolException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static MpoolException corrupt(String message) {
        return new MpoolException(ErrorCode.CORRUPT, message);
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
