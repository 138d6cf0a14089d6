package org.mpool.lucene;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;

/**
 * What the directories of a pool leave in its root MDC: one text record per change, the last
 * one per directory name wins.
 *
 * <pre>
 * mpool-lucene 1 directory NAME tag 0x4D504C55xxxxxxxx                          (being created)
 * mpool-lucene 1 directory NAME tag 0x4D504C55xxxxxxxx catalog 0x00000000000012a1   (its catalog MDC)
 * </pre>
 *
 * <p>The first form is written before anything else of a new directory exists, so that every
 * object tagged with the directory's tag is known to be its own, even after a crash in the
 * middle of its creation. Records of other clients (anything not starting with {@code
 * mpool-lucene}) are left alone, and kept when the directory compacts a root MDC it opened.
 */
final class RootRecords {
    /** The high half of every directory's owner tag: "MPLU". Applications sharing a pool keep clear of it. */
    static final long TAG_PREFIX = 0x4D504C55_00000000L;

    private static final String PREFIX = "mpool-lucene";
    private static final int VERSION = 1;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    /**
     * One directory of the pool.
     *
     * @param catalog its catalog MDC, or null while it is being created
     */
    record Entry(String name, long tag, ObjectId catalog) {
        String text() {
            String t = PREFIX + " " + VERSION + " directory " + name + " tag 0x" + Long.toHexString(tag);
            return catalog == null ? t : t + " catalog " + catalog;
        }
    }

    private RootRecords() {}

    /** INVALID_ARGUMENT-style check of a directory name: 1 to 64 of [A-Za-z0-9_.-], not starting with . or -. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid directory name '" + name
                    + "': use 1 to 64 characters from A-Z a-z 0-9 _ . - (not starting with . or -)");
        }
        return name;
    }

    /** The directories recorded in the pool's root MDC (read without opening it), by name. */
    static Map<String, Entry> read(Mpool pool) {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (Mlog.Reader r = pool.read(null)) {
            while (r.next()) {
                Entry e = parse(new String(r.recordBytes(), UTF_8));
                if (e != null) {
                    out.put(e.name(), e);
                }
            }
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.NOT_FOUND) { // a pool of format version 1 has no root MDC until first opened
                throw e;
            }
        }
        return out;
    }

    /** A record of ours, or null for another client's. Ours must parse: a damaged one is CORRUPT. */
    static Entry parse(String text) {
        String[] w = text.split(" ");
        if (w.length == 0 || !w[0].equals(PREFIX)) {
            return null;
        }
        boolean ok = (w.length == 6 || w.length == 8)
                && w[1].equals(String.valueOf(VERSION))
                && w[2].equals("directory")
                && NAME.matcher(w[3]).matches()
                && w[4].equals("tag")
                && w[5].startsWith("0x")
                && (w.length == 6 || w[6].equals("catalog"));
        if (!ok) {
            throw MpoolException.corrupt("root MDC record of mpool-lucene not understood: '" + text + "'");
        }
        try {
            long tag = Long.parseUnsignedLong(w[5].substring(2), 16);
            return new Entry(w[3], tag, w.length == 8 ? ObjectId.parse(w[7]) : null);
        } catch (NumberFormatException e) {
            throw MpoolException.corrupt("root MDC record of mpool-lucene has a bad tag: '" + text + "'");
        }
    }

    /**
     * A tag for a new directory: "MPLU" and a hash of its name, moved on past any tag another
     * directory has or any object carries (so no one else's objects are ever taken for ours).
     */
    static long newTag(Mpool pool, String name, Map<String, Entry> existing) {
        long low = name.hashCode() & 0xFFFF_FFFFL;
        for (long i = 0; i <= 0xFFFF_FFFFL; i++) {
            long tag = TAG_PREFIX | ((low + i) & 0xFFFF_FFFFL);
            boolean taken = existing.values().stream().anyMatch(e -> e.tag() == tag);
            if (!taken && pool.objects(tag).isEmpty()) {
                return tag;
            }
        }
        throw new MpoolException(ErrorCode.NO_SPACE, "no owner tag left for directory '" + name + "'");
    }

    /**
     * Appends {@code entry} to the root MDC, durably: through the application's handle if it
     * gave one, else through a handle opened for the moment (and then the MDC is compacted when
     * it is half full, keeping every other client's records).
     */
    static void append(Mpool pool, Mdc appHandle, Entry entry) {
        byte[] record = entry.text().getBytes(UTF_8);
        if (appHandle != null) {
            appHandle.append(record, true);
            return;
        }
        try (Mdc root = openRoot(pool)) {
            if (root.usedBytes() + record.length + 64 > root.capacityBytes() / 2) {
                compact(root);
            }
            root.append(record, true);
        }
    }

    private static Mdc openRoot(Mpool pool) {
        try {
            return pool.rootMdc();
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.BUSY) {
                throw new MpoolException(
                        ErrorCode.BUSY,
                        "the root MDC of pool '" + pool.name() + "' is open elsewhere in this process: pass that"
                                + " handle with MpoolDirectoryOptions.rootMdc(...) so the directory can record itself",
                        e);
            }
            throw e;
        }
    }

    /** Rewrites the root MDC as its live records: ours the last per name, everyone else's as they were. */
    private static void compact(Mdc root) {
        List<byte[]> foreign = new ArrayList<>();
        Map<String, Entry> ours = new LinkedHashMap<>();
        try (Mlog.Reader r = root.reader()) {
            while (r.next()) {
                byte[] bytes = r.recordBytes();
                Entry e = parse(new String(bytes, UTF_8));
                if (e == null) {
                    foreign.add(bytes);
                } else {
                    ours.put(e.name(), e);
                }
            }
        }
        root.compactStart();
        try {
            for (byte[] b : foreign) {
                root.append(b, false);
            }
            for (Entry e : ours.values()) {
                root.append(e.text().getBytes(UTF_8), false);
            }
            root.compactEnd();
        } catch (RuntimeException e) {
            root.compactAbort();
            throw e;
        }
    }
}
