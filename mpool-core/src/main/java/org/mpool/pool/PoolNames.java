package org.mpool.pool;

import java.util.regex.Pattern;
import org.mpool.common.MpoolException;
import org.mpool.format.Superblock;

/** What a pool may be called: what LVM allows a volume group, within the superblock's name field. */
public final class PoolNames {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private PoolNames() {}

    /** INVALID_ARGUMENT unless {@code name} is 1 to 31 characters of [A-Za-z0-9_.-], not starting with . or -. */
    public static void check(String name) {
        if (name == null
                || name.isEmpty()
                || !Superblock.fitsName(name)
                || !ALLOWED.matcher(name).matches()) {
            throw MpoolException.invalid("invalid pool name '" + name + "': use 1 to " + Superblock.MAX_NAME_BYTES
                    + " characters from A-Z a-z 0-9 _ . - (not starting with . or -)");
        }
    }
}
