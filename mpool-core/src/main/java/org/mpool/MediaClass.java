package org.mpool;

import java.util.Locale;

/** The kinds of media a pool stores objects on: one device each. */
public enum MediaClass {
    /** The required class, for the bulk of objects. */
    CAPACITY,
    /** The optional class, for objects that need a faster device. */
    STAGING;

    public static MediaClass parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MpoolException.invalid("unknown media class '" + text + "' (use capacity or staging)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
