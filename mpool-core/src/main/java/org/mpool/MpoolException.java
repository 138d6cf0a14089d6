package org.mpool;

/**
 * The one exception type of mpool. It carries a stable {@link ErrorCode} and a message written
 * for a person: what was being done, to what, and why it failed.
 */
public final class MpoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

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
