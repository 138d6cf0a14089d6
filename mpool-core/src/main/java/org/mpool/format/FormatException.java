package org.mpool.format;

/**
 * Bytes that do not decode as the structure they should hold. The format layer knows only the
 * bytes; the caller knows which object they belong to, so it catches this and reports CORRUPT
 * naming the object and where its bytes are. Checked, so no decode path can forget to.
 */
public final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }
}
