package org.mpool.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/** What the commands share: finding and opening pools, confirmations, id lookups. */
final class Cli {
    private Cli() {}

    static PoolLocator locator() {
        return new PoolLocator(Registry.standard(), System.err);
    }

    /**
     * Opens an active pool for changes (exclusive lock; recovery runs). An inactive pool is
     * refused with INVALID_STATE: changes go to pools that were activated.
     */
    static Mpool open(String target) {
        PoolLocator locator = locator();
        PoolLocator.Found f = locator.find(target);
        requireActive(f);
        return locator.open(f);
    }

    /** Opens a pool for inspection: no lock, nothing written; active or not. */
    static Mpool inspect(String target) {
        PoolLocator locator = locator();
        return locator.inspect(locator.find(target));
    }

    static void requireActive(PoolLocator.Found f) {
        if (!f.active()) {
            throw new MpoolException(
                    ErrorCode.INVALID_STATE,
                    "pool '" + f.name() + "' is not active: activate it first ('mpool activate " + f.name() + "')");
        }
    }

    /** Refuses a media class the pool lacks, naming the command that adds it. */
    static void requireClass(Mpool pool, MediaClass mc) {
        if (pool.devicePath(mc) == null) {
            throw new MpoolException(
                    ErrorCode.NOT_FOUND,
                    "pool '" + pool.name() + "' has no " + mc.label() + " device"
                            + (mc == MediaClass.STAGING
                                    ? "; add one with 'mpool add " + pool.name() + " DEVICE --class staging'"
                                    : ""));
        }
    }

    /** A core message in the command's words: {@code force} is the {@code --force} option here. */
    static MpoolException inCliWords(MpoolException e) {
        String m = e.getMessage();
        if (m == null || !m.endsWith("use force to overwrite it")) {
            return e;
        }
        return new MpoolException(e.code(), m.replace("use force to overwrite it", "use --force to overwrite it"), e);
    }

    /** The word {@code root}: where an MDC id is taken, it selects the pool's root MDC. */
    static final String ROOT = "root";

    /** Parses an object id and refuses one of another type: INVALID_ARGUMENT naming its type. */
    static ObjectId objectId(String text, ObjectId.Type type) {
        ObjectId id = ObjectId.parse(text);
        if (id.type() != type) {
            throw MpoolException.invalid(id + " is " + word(id.type()) + ", not " + word(type));
        }
        return id;
    }

    /** An MDC's id, or null for {@code root} (the pool's root MDC). */
    static ObjectId mdcId(String text) {
        return text.equals(ROOT) ? null : objectId(text, ObjectId.Type.MDC);
    }

    /** "an mblock", "an mlog", "an MDC". */
    static String word(ObjectId.Type type) {
        return "an " + (type == ObjectId.Type.MDC ? "MDC" : type.label());
    }

    /** How an MDC is named in messages. */
    static String mdcName(ObjectId id) {
        return id == null ? "the root MDC" : "MDC " + id;
    }

    /** Hex as ids are printed: {@code 0x} and 16 digits. */
    static String hex(long value) {
        return String.format("0x%016x", value);
    }

    /** An owner tag given in hex, with or without {@code 0x}. */
    static long owner(String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw MpoolException.invalid("--owner takes a 64-bit tag in hex such as 0x2a, not '" + text + "'");
        }
    }

    /**
     * Deletes objects of {@code type} by id. Every id is checked first (its type, then that it
     * exists): an id of another type, or of no object, deletes nothing.
     */
    static void delete(String pool, List<String> ids, ObjectId.Type type) {
        Set<ObjectId> parsed = new LinkedHashSet<>();
        for (String text : ids) {
            if (type == ObjectId.Type.MDC && text.equals(ROOT)) {
                throw MpoolException.invalid("the root MDC cannot be deleted (every pool has one)");
            }
            parsed.add(objectId(text, type));
        }
        try (Mpool p = open(pool)) {
            for (ObjectId id : parsed) {
                p.info(id); // NOT_FOUND before anything is deleted
            }
            for (ObjectId id : parsed) {
                p.delete(id);
                System.out.println("deleted " + id);
            }
        }
    }

    /** Where {@link #append} puts records: an open mlog or MDC. */
    interface RecordSink {
        /** Appends a record without waiting for it to be durable. */
        void append(byte[] record);

        void flush();

        long remaining();
    }

    /**
     * Appends {@code records}, or each line of standard input when there are none, then makes
     * them durable; returns how many went in. When one does not fit (LOG_FULL), those before it
     * are made durable and the error says how many they are.
     */
    static long append(List<String> records, String what, RecordSink sink) throws IOException {
        long n = 0;
        byte[] record = null;
        try {
            if (records.isEmpty()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    record = line.getBytes(StandardCharsets.UTF_8);
                    sink.append(record);
                    n++;
                }
            } else {
                for (String r : records) {
                    record = r.getBytes(StandardCharsets.UTF_8);
                    sink.append(record);
                    n++;
                }
            }
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.LOG_FULL) {
                throw e;
            }
            sink.flush();
            long room = sink.remaining();
            throw new MpoolException(
                    ErrorCode.LOG_FULL,
                    String.format(
                            "%s is full: %d record(s) appended and durable, the rest not: record %d (%d bytes)"
                                    + " does not fit, %s",
                            what,
                            n,
                            n + 1,
                            record.length,
                            room < 0 ? "not even an empty one would" : room + " bytes can still be appended"),
                    e);
        }
        sink.flush();
        return n;
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

    /** The largest user or group id Linux takes ({@code (uid_t) -1} means "no change"). */
    private static final long MAX_ID = 0xFFFF_FFFEL;

    /**
     * A user or group given by number or by name (looked up in /etc/passwd or /etc/group);
     * INVALID_ARGUMENT for a negative or too large number, or a name not found.
     */
    static Integer id(String value, String database, String what) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.matches("[-+]?[0-9]+")) {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > Math.min(MAX_ID, Integer.MAX_VALUE)) {
                throw MpoolException.invalid(
                        what + " id must be a number from 0 to " + Integer.MAX_VALUE + ", not '" + value + "'");
            }
            return (int) n;
        }
        for (String[] f : entries(database)) {
            if (f[0].equals(v)) {
                try {
                    return Integer.parseInt(f[2]);
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw MpoolException.invalid("unknown " + what + " '" + value + "' (not in " + database + ")");
    }

    /** The name of user or group {@code id} in {@code database}, or the number when it has none. */
    static String idName(String id, String database) {
        for (String[] f : entries(database)) {
            if (f[2].equals(id)) {
                return f[0];
            }
        }
        return id;
    }

    private static List<String[]> entries(String database) {
        try {
            return Files.readAllLines(Path.of(database)).stream()
                    .map(line -> line.split(":"))
                    .filter(f -> f.length > 2)
                    .toList();
        } catch (IOException e) {
            return List.of();
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
}
