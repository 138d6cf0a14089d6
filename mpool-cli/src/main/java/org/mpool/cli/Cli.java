package org.mpool.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/** What the commands share: finding and opening pools, confirmations, id lookups. */
final class Cli {
    private Cli() {}

    static PoolLocator locator() {
        return new PoolLocator(Registry.standard(), System.err);
    }

    /** Opens a pool for changes (exclusive lock; recovery runs). */
    static Mpool open(String name) {
        return Mpool.open(locator().capacityDevice(name));
    }

    /** Opens a pool for inspection: no lock, nothing written. */
    static Mpool inspect(String name) {
        return Mpool.openReadOnly(locator().capacityDevice(name));
    }

    /** Deletes objects (mblocks or mlogs) by id, all ids checked before anything is deleted. */
    static void delete(String pool, List<String> ids) {
        List<ObjectId> parsed = ids.stream().map(ObjectId::parse).toList();
        try (Mpool p = open(pool)) {
            for (ObjectId id : parsed) {
                p.delete(id);
                System.out.println("deleted " + id);
            }
        }
    }

    /**
     * Asks before something destructive when a person is at a terminal; scripts (no terminal)
     * and {@code --yes} go ahead.
     */
    static void confirm(String question, boolean yes) {
        Console console = System.console();
        if (yes || console == null) {
            return;
        }
        String answer = console.readLine("%s [y/N] ", question);
        if (answer == null
                || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "not confirmed; nothing was changed");
        }
    }

    /** A user or group given by number or by name (looked up in /etc/passwd or /etc/group). */
    static Integer id(String value, String database, String what) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            try {
                for (String line : Files.readAllLines(Path.of(database))) {
                    String[] f = line.split(":");
                    if (f.length > 2 && f[0].equals(value)) {
                        return Integer.parseInt(f[2]);
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // reported below
            }
            throw MpoolException.invalid("unknown " + what + " '" + value + "'");
        }
    }

    static Integer mode(String value) {
        if (value == null) {
            return null;
        }
        try {
            int m = Integer.parseInt(value, 8);
            if (m < 0 || m > 0777) {
                throw new NumberFormatException();
            }
            return m;
        } catch (NumberFormatException e) {
            throw MpoolException.invalid("--mode takes octal permissions such as 0660, not '" + value + "'");
        }
    }

    static boolean isRegularFileOrAbsent(Path p) {
        return !Files.exists(p) || Files.isRegularFile(p);
    }
}
