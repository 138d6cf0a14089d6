package org.mpool.common;

import java.util.Locale;
import org.mpool.format.MediaClassCodes;

/**
 * The kinds of media a pool stores objects on: one device each. On media a class is its
 * {@link #code()}, never its ordinal.
 */
public enum MediaClass {
    /** The required class, for the bulk of objects. */
    CAPACITY(MediaClassCodes.CAPACITY),
    /** The optional class, for objects that need a faster device. */
    STAGING(MediaClassCodes.STAGING);

    private static final MediaClass[] BY_CODE = byCode();

    private final int code;

    MediaClass(int code) {
        this.code = code;
    }

    /** The class's code on media (superblocks, catalog records). */
    public int code() {
        return code;
    }

    /** The class of a code read from media; CORRUPT for a code no class has. */
    public static MediaClass fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw MpoolException.corrupt("no media class has code " + code);
        }
        return BY_CODE[code];
    }

    private static MediaClass[] byCode() {
        int max = 0;
        for (MediaClass c : values()) {
            max = Math.max(max, c.code);
        }
        MediaClass[] table = new MediaClass[max + 1];
        for (MediaClass c : values()) {
            assert table[c.code] == null : "two media classes have code " + c.code;
            table[c.code] = c;
        }
        return table;
    }

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
