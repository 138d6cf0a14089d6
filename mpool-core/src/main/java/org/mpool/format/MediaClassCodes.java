package org.mpool.format;

/**
 * Media classes as stored in superblocks (byte 68) and catalog records: explicit codes, fixed
 * forever, never an enum's ordinal. A new class takes the next unused code.
 */
public final class MediaClassCodes {
    /** The required class, for the bulk of objects. */
    public static final int CAPACITY = 0;
    /** The optional, faster class. */
    public static final int STAGING = 1;

    private MediaClassCodes() {}

    public static boolean isKnown(int code) {
        return code == CAPACITY || code == STAGING;
    }
}
