package org.mpool.pool;

import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/** The settable pool properties: their names, and the validation that stores values normalised. */
public final class PoolProperties {
    public static final String LABEL = "label";
    public static final String UID = "uid";
    public static final String GID = "gid";
    public static final String MODE = "mode";
    public static final String SPARE = "spare";
    static final int MAX_LABEL = 64;
    static final int DEFAULT_MODE = 0660;

    private PoolProperties() {}

    /** Returns the normalised value, or throws INVALID_ARGUMENT naming what is wrong. */
    static String validate(String key, String value) {
        String v = value.trim();
        switch (key) {
            case LABEL -> {
                if (v.length() > MAX_LABEL || v.chars().anyMatch(c -> c < 0x20)) {
                    throw MpoolException.invalid("label must be at most " + MAX_LABEL + " printable characters");
                }
                return v;
            }
            case UID, GID -> {
                try {
                    int id = Integer.parseInt(v);
                    if (id < 0) {
                        throw new NumberFormatException();
                    }
                    return String.valueOf(id);
                } catch (NumberFormatException e) {
                    throw MpoolException.invalid(key + " must be a non-negative number, got '" + value + "'");
                }
            }
            case MODE -> {
                try {
                    int mode = Integer.parseInt(v, 8);
                    DeviceOwnership.checkMode(mode);
                    return String.format("%04o", mode);
                } catch (NumberFormatException e) {
                    throw MpoolException.invalid("mode must be octal, such as 0660, got '" + value + "'");
                }
            }
            case SPARE -> {
                try {
                    int pct = Integer.parseInt(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
                    if (pct < 0 || pct > 50) {
                        throw new NumberFormatException();
                    }
                    return String.valueOf(pct);
                } catch (NumberFormatException e) {
                    throw MpoolException.invalid("spare must be a percentage from 0 to 50, got '" + value + "'");
                }
            }
            case "name", "uuid" ->
                throw MpoolException.invalid(key + " cannot be set" + (key.equals("name") ? " (use rename)" : ""));
            default -> {
                if (key.startsWith("mblocksize.")) {
                    throw MpoolException.invalid(key + " is fixed when the media class is created");
                }
                throw new MpoolException(
                        ErrorCode.NOT_FOUND, "unknown property '" + key + "' (settable: label, uid, gid, mode, spare)");
            }
        }
    }

    /** The spare percentage a pool's configuration holds (the default if it holds none). */
    static int sparePercent(String stored) {
        return stored == null ? CreateOptions.DEFAULT_SPARE_PERCENT : Integer.parseInt(stored);
    }
}
