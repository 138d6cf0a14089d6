package org.mpool;

import org.mpool.pool.DeviceOwnership;

/** Validation of settable pool properties; values are stored normalised. */
final class PoolProperties {
    static final int MAX_LABEL = 64;

    private PoolProperties() {}

    /** Returns the normalised value, or throws INVALID_ARGUMENT naming what is wrong. */
    static String validate(String key, String value) {
        String v = value.trim();
        switch (key) {
            case Mpool.PROP_LABEL -> {
                if (v.length() > MAX_LABEL || v.chars().anyMatch(c -> c < 0x20)) {
                    throw MpoolException.invalid("label must be at most " + MAX_LABEL + " printable characters");
                }
                return v;
            }
            case Mpool.PROP_UID, Mpool.PROP_GID -> {
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
            case Mpool.PROP_MODE -> {
                try {
                    int mode = Integer.parseInt(v, 8);
                    DeviceOwnership.checkMode(mode);
                    return String.format("%04o", mode);
                } catch (NumberFormatException e) {
                    throw MpoolException.invalid("mode must be octal, such as 0660, got '" + value + "'");
                }
            }
            case Mpool.PROP_SPARE -> {
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
            case "name", "uuid" -> throw MpoolException.invalid(key + " cannot be set"
                    + (key.equals("name") ? " (use rename)" : ""));
            default -> {
                if (key.startsWith("mblocksize.")) {
                    throw MpoolException.invalid(key + " is fixed when the media class is created");
                }
                throw new MpoolException(ErrorCode.NOT_FOUND, "unknown property '" + key
                        + "' (settable: label, uid, gid, mode, spare)");
            }
        }
    }
}
