package org.mpool.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/** Applies a pool's uid, gid and mode to its device files, as LVM does for its volumes. */
public final class DeviceOwnership {
    private DeviceOwnership() {}

    /** The default owner: root:disk when running as root, the caller otherwise. */
    public static int[] defaultOwner() {
        int uid = currentUid();
        if (uid == 0) {
            return new int[] {0, groupId("disk", 6)};
        }
        return new int[] {uid, currentGid()};
    }

    public static void apply(Path device, int uid, int gid, int mode) {
        try {
            if (uid != ((Number) Files.getAttribute(device, "unix:uid")).intValue()) {
                Files.setAttribute(device, "unix:uid", uid);
            }
            if (gid != ((Number) Files.getAttribute(device, "unix:gid")).intValue()) {
                Files.setAttribute(device, "unix:gid", gid);
            }
            Files.setPosixFilePermissions(device, permissions(mode));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new MpoolException(
                    ErrorCode.PERMISSION,
                    "cannot set owner " + uid + ":" + gid + " and mode " + Integer.toOctalString(mode) + " on " + device
                            + ": " + e.getMessage(),
                    e);
        }
    }

    public static void checkMode(int mode) {
        if (mode < 0 || mode > 0777) {
            throw MpoolException.invalid("mode must be octal 0 to 0777, got " + Integer.toOctalString(mode));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private static int currentUid() {
        return idFromProc("Uid:");
    }

    private static int currentGid() {
        return idFromProc("Gid:");
    }

    private static int idFromProc(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Integer.parseInt(
                            line.substring(field.length()).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        throw new MpoolException(ErrorCode.IO, "cannot tell this process's " + field + " from /proc/self/status");
    }

    private static int groupId(String name, int fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/group"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[0].equals(name)) {
                    return Integer.parseInt(f[2]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return fallback;
    }
}
