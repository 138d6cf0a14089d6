package org.mpool.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an mlog or MDC of a {@link PoolModel} may hold after a crash. Records whose append
 * returned with {@code sync}, or that a flush or close covered, are durable; records appended
 * without sync are pending: any prefix of them may survive. An MDC compaction under way keeps
 * the old state until its end is called; from then on the new state, whole, may be what a crash
 * leaves. An erase under way may leave the old records or none.
 */
final class LogContents {
    private final List<byte[]> durable = new ArrayList<>();
    private final List<byte[]> pending = new ArrayList<>();
    /** The records appended since compactStart, or null with no compaction under way. */
    private List<byte[]> compacted;

    private boolean endInFlight;
    private boolean eraseInFlight;

    LogContents() {}

    private LogContents(List<byte[]> recovered) {
        durable.addAll(recovered);
    }

    /** Before an append is issued: from now on a crash may or may not keep it. */
    void appending(byte[] record) {
        (compacted != null ? compacted : pending).add(record);
    }

    /** A flush returned (or a sync append, or a close): what was appended is durable. */
    void flushed() {
        durable.addAll(pending);
        pending.clear();
    }

    void compactStarted() {
        compacted = new ArrayList<>();
    }

    void compactEnding() {
        endInFlight = true;
    }

    void compactEnded() {
        durable.clear();
        pending.clear();
        durable.addAll(compacted);
        compacted = null;
        endInFlight = false;
    }

    /** compactAbort returned, or a close abandoned the compaction. */
    void compactAbandoned() {
        compacted = null;
    }

    boolean compacting() {
        return compacted != null;
    }

    void erasing() {
        eraseInFlight = true;
    }

    void erased() {
        durable.clear();
        pending.clear();
        eraseInFlight = false;
    }

    /** Null if a crash may leave {@code found}, else what is wrong with it. */
    String check(List<byte[]> found) {
        if (eraseInFlight && found.isEmpty()) {
            return null;
        }
        if (endInFlight && equal(found, compacted)) {
            return null;
        }
        if (found.size() < durable.size()) {
            return "holds " + found.size() + " records; " + durable.size() + " were durable";
        }
        if (found.size() > durable.size() + pending.size()) {
            return "holds " + found.size() + " records; only " + (durable.size() + pending.size()) + " were appended";
        }
        for (int i = 0; i < found.size(); i++) {
            byte[] expected = i < durable.size() ? durable.get(i) : pending.get(i - durable.size());
            if (!Arrays.equals(found.get(i), expected)) {
                return "record " + i + " of " + found.size() + " differs from the one appended";
            }
        }
        return null;
    }

    /** The contents after a recovery found {@code found}: all durable now. */
    static LogContents recovered(List<byte[]> found) {
        return new LogContents(found);
    }

    private static boolean equal(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
