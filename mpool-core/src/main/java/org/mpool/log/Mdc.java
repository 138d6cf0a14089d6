package org.mpool.log;

import java.util.ArrayList;
import java.util.List;
import org.mpool.ErrorCode;
import org.mpool.MpoolException;

/**
 * A metadata container: a durable, self-compacting record log built on a pair of mlogs. The
 * client appends records; when the log grows, it compacts:
 * {@code compactStart()}, append its live state, {@code compactEnd()}.
 *
 * <p>How it stays consistent: each log holds at most one compaction, closed by an end marker,
 * and the records after it. Compaction starts the inactive log afresh with a generation above
 * both logs' and writes the new state there; {@code compactEnd} appends the end marker with a
 * sync. {@code open} takes the log of highest generation that holds an end marker, so a crash
 * anywhere in a compaction yields the complete old state or the complete new one, never a mix.
 * The old log is left untouched until the next compaction starts over it.
 */
public final class Mdc implements AutoCloseable {
    private static final byte USER = 0;
    private static final byte COMPACTION_END = 1;
    private static final byte[] END_MARKER = {COMPACTION_END};

    private final LogSpec[] specs;
    private final java.util.concurrent.Executor writeBehind;
    private Mlog active;
    private int activeIndex;
    private long otherGeneration;
    /** How far to jump past a generation that could not be read. */
    static final long UNKNOWN_GENERATION_STEP = 1L << 32;
    private Mlog compacting;
    private boolean closed;

    private Mdc(LogSpec first, LogSpec second, Mlog active, int activeIndex, long otherGeneration,
                java.util.concurrent.Executor writeBehind) {
        this.specs = new LogSpec[] {first, second};
        this.writeBehind = writeBehind;
        this.active = active;
        this.activeIndex = activeIndex;
        this.otherGeneration = otherGeneration;
    }

    /** Makes a new, empty MDC on two log extents and opens it. */
    public static Mdc create(LogSpec first, LogSpec second, boolean zeroFill) {
        return create(first, second, zeroFill, Mlog.WRITE_BEHIND);
    }

    static Mdc create(LogSpec first, LogSpec second, boolean zeroFill, java.util.concurrent.Executor writeBehind) {
        if (first.logId() == second.logId()) {
            throw MpoolException.invalid("the two logs of an MDC need different log ids");
        }
        // The second log starts without an end marker, so it is never chosen over the first.
        Mlog.format(second, 1, zeroFill, writeBehind).close();
        Mlog log = Mlog.format(first, 2, zeroFill, writeBehind);
        log.append(END_MARKER, true);
        return new Mdc(first, second, log, 0, 1, writeBehind);
    }

    /** Opens an MDC, recovering whichever of its logs holds the last complete compaction. */
    public static Mdc open(LogSpec first, LogSpec second) {
        return open(first, second, Mlog.WRITE_BEHIND);
    }

    static Mdc open(LogSpec first, LogSpec second, java.util.concurrent.Executor writeBehind) {
        LogSpec[] specs = {first, second};
        long[] gens = {headerGeneration(first), headerGeneration(second)};
        int firstChoice = gens[0] >= gens[1] ? 0 : 1;
        for (int i : new int[] {firstChoice, 1 - firstChoice}) {
            if (gens[i] < 0) {
                continue;
            }
            Mlog log = Mlog.open(specs[i], writeBehind);
            if (holdsEndMarker(log)) {
                // An unreadable header hides the other log's generation: start the next compaction
                // far above anything it can have held, so no generation is ever used twice.
                long other = gens[1 - i] >= 0 ? gens[1 - i] : log.generation() + UNKNOWN_GENERATION_STEP;
                return new Mdc(first, second, log, i, other, writeBehind);
            }
            log.close();
        }
        throw new MpoolException(ErrorCode.CORRUPT, "the MDC on " + first.describe() + " and "
                + second.describe() + " has no complete log: neither holds a finished compaction");
    }

    /**
     * Reads an MDC's client records without opening it for writing: nothing is written, no
     * lock is needed. The same log is chosen as {@link #open} would choose.
     */
    public static List<Record> readOnly(LogSpec first, LogSpec second) {
        LogSpec[] specs = {first, second};
        long[] gens = {headerGeneration(first), headerGeneration(second)};
        int firstChoice = gens[0] >= gens[1] ? 0 : 1;
        for (int i : new int[] {firstChoice, 1 - firstChoice}) {
            if (gens[i] < 0) {
                continue;
            }
            List<Record> records = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            boolean complete = false;
            long watermark;
            try (LogReader reader = Mlog.read(specs[i])) {
                while (reader.next()) {
                    byte[] bytes = reader.recordBytes();
                    if (bytes.length == 1 && bytes[0] == COMPACTION_END) {
                        complete = true;
                    } else if (bytes.length > 0 && bytes[0] == USER) {
                        records.add(new Record(java.util.Arrays.copyOfRange(bytes, 1, bytes.length), false));
                        positions.add(reader.framePosition());
                    }
                }
                watermark = reader.durableWatermark();
            }
            if (complete) {
                List<Record> out = new ArrayList<>(records.size());
                for (int j = 0; j < records.size(); j++) {
                    out.add(new Record(records.get(j).bytes(), positions.get(j) >= watermark));
                }
                return out;
            }
        }
        throw new MpoolException(ErrorCode.CORRUPT, "the MDC on " + first.describe() + " and "
                + second.describe() + " has no complete log: neither holds a finished compaction");
    }

    private static long headerGeneration(LogSpec spec) {
        try (LogReader reader = Mlog.read(spec)) {
            return reader.generation();
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.CORRUPT) {
                throw e; // an I/O error says nothing about which log is current
            }
            return -1; // an unreadable log cannot be the one to use; the other may be
        }
    }

    private static boolean holdsEndMarker(Mlog log) {
        try (LogReader reader = log.reader()) {
            while (reader.next()) {
                java.lang.foreign.MemorySegment r = reader.record();
                if (r.byteSize() == 1 && r.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == COMPACTION_END) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Appends a client record to the log being written (the new one during a compaction). */
    public void append(byte[] record, boolean sync) {
        checkOpen("append");
        byte[] framed = new byte[record.length + 1];
        framed[0] = USER;
        System.arraycopy(record, 0, framed, 1, record.length);
        target().append(framed, sync);
    }

    /** Makes every appended record durable. */
    public void flush() {
        checkOpen("flush");
        target().flush();
    }

    /**
     * Starts a compaction: from now on appends go to the other log, started afresh, until
     * {@link #compactEnd()}. The client appends its whole live state there.
     */
    public void compactStart() {
        checkOpen("compactStart");
        if (compacting != null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "a compaction of this MDC is already under way");
        }
        long generation = Math.max(active.generation(), otherGeneration) + 1;
        compacting = Mlog.format(specs[1 - activeIndex], generation, false, writeBehind);
    }

    /** Ends the compaction durably: the new log becomes the MDC's content. */
    public void compactEnd() {
        checkOpen("compactEnd");
        if (compacting == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "no compaction of this MDC is under way");
        }
        compacting.append(END_MARKER, true);
        Mlog old = active;
        otherGeneration = old.generation();
        active = compacting;
        activeIndex = 1 - activeIndex;
        compacting = null;
        old.close();
    }

    /**
     * Abandons a compaction under way (for instance when the live state did not fit): appends
     * go to the old log again, which is still the MDC's content.
     */
    public void compactAbort() {
        checkOpen("compactAbort");
        if (compacting != null) {
            Mlog abandoned = compacting;
            compacting = null;
            try {
                abandoned.close();
            } catch (MpoolException e) {
                // Nothing in it counts: without an end marker open never picks it.
            }
        }
    }

    /** Whether a compaction is under way. */
    public boolean compacting() {
        return compacting != null;
    }

    /** The client records of the MDC's content, in order (during a compaction: the old content). */
    public List<byte[]> readAll() {
        checkOpen("read");
        List<byte[]> records = new ArrayList<>();
        try (LogReader reader = active.reader()) {
            while (reader.next()) {
                byte[] bytes = reader.recordBytes();
                if (bytes.length > 0 && bytes[0] == USER) {
                    records.add(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
                }
            }
        }
        return records;
    }

    /**
     * A client record with what the log knows of its durability: {@code unconfirmed} records
     * lie after the last position the log recorded as flushed, so after a crash they may have
     * been written without the flush that would have acknowledged them.
     */
    public record Record(byte[] bytes, boolean unconfirmed) {}

    /** Like {@link #readAll()}, telling for each record whether a flush confirmed it. */
    public List<Record> readWithDurability() {
        checkOpen("read");
        List<byte[]> records = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        long watermark;
        try (LogReader reader = active.reader()) {
            while (reader.next()) {
                byte[] bytes = reader.recordBytes();
                if (bytes.length > 0 && bytes[0] == USER) {
                    records.add(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
                    positions.add(reader.framePosition());
                }
            }
            watermark = reader.durableWatermark();
        }
        List<Record> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(new Record(records.get(i), positions.get(i) >= watermark));
        }
        return out;
    }

    /** Bytes in use in the log being written. */
    public long usedBytes() {
        return target().usedBytes();
    }

    /** The largest client record an append would take now, or -1 when not even an empty one fits. */
    public long remaining() {
        return Math.max(-1, target().remaining() - 1);
    }

    public long capacityBytes() {
        return target().capacityBytes();
    }

    private Mlog target() {
        return compacting != null ? compacting : active;
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new MpoolException(ErrorCode.INVALID_STATE, op + " on a closed MDC");
        }
    }

    /** Flushes and closes. A compaction under way is abandoned: open will pick the old content. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (compacting != null) {
                compacting.close();
            }
        } finally {
            active.close(); // released even if closing the new log failed
        }
    }
}
