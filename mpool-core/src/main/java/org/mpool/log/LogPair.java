package org.mpool.log;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.MdcRecord;

/**
 * A metadata container (MDC): a durable, self-compacting record log built on a pair of
 * {@link RecordLog}s, as mpool's "mlog-pair framework". The client appends records; when the
 * log grows, it compacts: {@code compactStart()}, append its live state, {@code compactEnd()}.
 *
 * <p>How it stays consistent: each log holds at most one compaction, closed by an end marker
 * ({@link MdcRecord}), and the records after it. Compaction starts the inactive log afresh
 * with a generation above both logs' and writes the new state there; {@code compactEnd}
 * flushes it, then appends the end marker with a sync. {@code open} takes the log of highest
 * generation that holds an end marker, so a crash anywhere in a compaction yields the complete
 * old state or the complete new one, never a mix. The old log is left untouched until the next compaction
 * starts over it.
 */
public final class LogPair implements AutoCloseable {
    /** How far to jump past a generation that could not be read. */
    static final long UNKNOWN_GENERATION_STEP = 1L << 32;

    private final LogSpec[] specs;
    private final Executor writeBehind;
    private RecordLog active;
    private int activeIndex;
    private long otherGeneration;
    private RecordLog compacting;
    private boolean closed;
    /** Open found a compaction cut short (the newer log has no end marker) and took the older log. */
    private boolean rolledBack;
    /**
     * The active log holds an OTHER_FORMATTED record (MdcRecord): a compaction formatted the other
     * log after this one's end marker. One is enough: it tells open that the other log may be
     * the newer one, whatever happened to it since.
     */
    private boolean otherFormattedRecorded;
    /** Told once when the MDC is closed (the pool keeps track of what is open). */
    private Runnable onClose = () -> {};

    private LogPair(
            LogSpec first,
            LogSpec second,
            RecordLog active,
            int activeIndex,
            long otherGeneration,
            boolean otherFormattedRecorded,
            Executor writeBehind) {
        assert activeIndex == 0 || activeIndex == 1 : activeIndex;
        assert otherGeneration != active.generation() : "the two logs of an MDC share generation " + otherGeneration;
        this.specs = new LogSpec[] {first, second};
        this.writeBehind = writeBehind;
        this.active = active;
        this.activeIndex = activeIndex;
        this.otherGeneration = otherGeneration;
        this.otherFormattedRecorded = otherFormattedRecorded;
        active.reserveLastBlock();
    }

    /** Makes a new, empty MDC on two log extents and opens it. */
    public static LogPair create(LogSpec first, LogSpec second, boolean zeroFill) {
        return create(first, second, zeroFill, RecordLog.WRITE_BEHIND);
    }

    static LogPair create(LogSpec first, LogSpec second, boolean zeroFill, Executor writeBehind) {
        if (first.logId() == second.logId()) {
            throw MpoolException.invalid("the two logs of an MDC need different log ids");
        }
        // The second log starts without an end marker, so it is never chosen over the first.
        RecordLog.format(second, 1, zeroFill, writeBehind).close();
        RecordLog log = RecordLog.format(first, 2, zeroFill, writeBehind);
        log.append(MdcRecord.endMarker(), true);
        return new LogPair(first, second, log, 0, 1, false, writeBehind);
    }

    /** Opens an MDC, recovering whichever of its logs holds the last complete compaction. */
    public static LogPair open(LogSpec first, LogSpec second) {
        return open(first, second, RecordLog.WRITE_BEHIND);
    }

    static LogPair open(LogSpec first, LogSpec second, Executor writeBehind) {
        LogSpec[] specs = {first, second};
        long[] gens = {headerGeneration(first), headerGeneration(second)};
        for (int i : choiceOrder(gens)) {
            RecordLog log = RecordLog.open(specs[i], writeBehind);
            Marks marks;
            try (LogReader reader = log.reader()) {
                marks = Marks.of(reader);
            }
            if (marks.complete()) {
                if (gens[1 - i] < 0 && marks.otherFormatted()) {
                    log.close();
                    throw otherUnreadable(specs[1 - i], specs[i]);
                }
                // An unreadable header hides the other log's generation: start the next compaction
                // far above anything it can have held, so no generation is ever used twice.
                long other = gens[1 - i] >= 0 ? gens[1 - i] : log.generation() + UNKNOWN_GENERATION_STEP;
                LogPair pair = new LogPair(first, second, log, i, other, marks.otherFormatted(), writeBehind);
                pair.rolledBack = other > log.generation();
                return pair;
            }
            log.close();
        }
        throw noCompleteLog(first, second);
    }

    /**
     * Reads an MDC's client records without opening it for writing: nothing is written, no
     * lock is needed. The same log is chosen as {@link #open} would choose.
     */
    public static List<Record> readOnly(LogSpec first, LogSpec second) {
        LogSpec[] specs = {first, second};
        long[] gens = {headerGeneration(first), headerGeneration(second)};
        for (int i : choiceOrder(gens)) {
            try (LogReader reader = RecordLog.read(specs[i])) {
                Contents c = Contents.read(reader);
                if (c.marks().complete()) {
                    if (gens[1 - i] < 0 && c.marks().otherFormatted()) {
                        throw otherUnreadable(specs[1 - i], specs[i]);
                    }
                    return c.withDurability();
                }
            }
        }
        throw noCompleteLog(first, second);
    }

    /** The logs to try, in the order to try them: higher generation first, unreadable ones not at all. */
    private static int[] choiceOrder(long[] gens) {
        int first = gens[0] >= gens[1] ? 0 : 1;
        List<Integer> order = new ArrayList<>(2);
        for (int i : new int[] {first, 1 - first}) {
            if (gens[i] >= 0) {
                order.add(i);
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static MpoolException noCompleteLog(LogSpec first, LogSpec second) {
        return new MpoolException(
                ErrorCode.CORRUPT,
                "the MDC on " + first.describe() + " and " + second.describe()
                        + " has no complete log: neither holds a finished compaction");
    }

    /**
     * The log {@code unreadable} (its header damaged) was formatted for a compaction after
     * {@code chosen}'s: it may hold the MDC's newest state, so taking {@code chosen} could
     * silently go back to an older one.
     */
    private static MpoolException otherUnreadable(LogSpec unreadable, LogSpec chosen) {
        return MpoolException.corrupt("the MDC on " + chosen.describe() + " and " + unreadable.describe()
                + ": the header of " + unreadable.describe() + " is damaged, and it was formatted for a compaction"
                + " after the other log's: it may hold the newest state, which cannot be read");
    }

    private static long headerGeneration(LogSpec spec) {
        try (LogReader reader = RecordLog.read(spec)) {
            return reader.generation();
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.CORRUPT) {
                throw e; // an I/O error says nothing about which log is current
            }
            return -1; // an unreadable log cannot be the one to use; the other may be
        }
    }

    /** Appends a client record to the log being written (the new one during a compaction). */
    public void append(byte[] record, boolean sync) {
        checkOpen("append");
        target().append(MdcRecord.user(record), sync);
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
        // Until compactEnd a crash recovers the state in the active log, and from here on no
        // flush or sync append reaches that log: what it holds is made durable now.
        active.flush();
        long generation = Math.max(active.generation(), otherGeneration) + 1;
        RecordLog formatted = RecordLog.format(specs[1 - activeIndex], generation, false, writeBehind);
        try {
            formatted.reserveLastBlock();
            if (!otherFormattedRecorded) {
                // After the format's flush: a crash before this leaves the other log's header whole.
                active.appendToReserve(MdcRecord.otherFormatted(generation));
                otherFormattedRecorded = true;
            }
        } catch (RuntimeException e) {
            // No compaction is under way: appends keep going to the active log, which refuses
            // them if this failure was its own. Were the new log kept as the target, they would
            // be acknowledged into a log that open never picks without an end marker (found by
            // PoolIoErrorTest: EIO on the OTHER_FORMATTED record lost every later commit and
            // delete of the shard). Its generation is spent, as after compactAbort.
            otherGeneration = generation;
            try {
                formatted.close();
            } catch (MpoolException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        compacting = formatted;
    }

    /**
     * Ends the compaction durably: the new log becomes the MDC's content. The compacted records
     * are flushed before the end marker is appended, so the marker's fragment vouches for them:
     * they were confirmed before the compaction and stay confirmed ({@link Record#unconfirmed})
     * after a crash right after it.
     */
    public void compactEnd() {
        checkOpen("compactEnd");
        if (compacting == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "no compaction of this MDC is under way");
        }
        compacting.flush();
        compacting.appendToReserve(MdcRecord.endMarker());
        RecordLog old = active;
        otherGeneration = old.generation();
        active = compacting;
        activeIndex = 1 - activeIndex;
        compacting = null;
        otherFormattedRecorded = false;
        assert active.generation() > otherGeneration : "a compaction ended on an older generation";
        old.close();
    }

    /**
     * Abandons a compaction under way (for instance when the live state did not fit): appends
     * go to the old log again, which is still the MDC's content.
     */
    public void compactAbort() {
        checkOpen("compactAbort");
        if (compacting != null) {
            RecordLog abandoned = compacting;
            compacting = null;
            // Its generation is spent: the next compaction formats a newer one. Reusing it would
            // let frames this compaction left past the new header read as the new log's.
            otherGeneration = abandoned.generation();
            try {
                abandoned.close();
            } catch (MpoolException e) {
                // Nothing in it counts: without an end marker open never picks it.
            }
        }
    }

    /** Like {@link #open(LogSpec, LogSpec)}; {@code onClose} runs once when the MDC is closed. */
    public static LogPair open(LogSpec first, LogSpec second, Runnable onClose) {
        LogPair pair = open(first, second);
        pair.onClose = onClose;
        return pair;
    }

    /** Reads the client records of an MDC without opening it for writing (see {@link #readOnly}). */
    public static RecordReader readOnlyReader(LogSpec first, LogSpec second) {
        List<Record> records = readOnly(first, second);
        return new ClientRecordReader() {
            private int next;

            @Override
            MemorySegment advance() {
                return next < records.size()
                        ? MemorySegment.ofArray(records.get(next++).bytes())
                        : null;
            }

            @Override
            public void close() {
                // nothing held: the records were read at once
            }
        };
    }

    /** A reader of client records: {@link #advance} finds the next one. */
    private abstract static class ClientRecordReader implements RecordReader {
        private MemorySegment current;

        /** The next client record, or null at the end. */
        abstract MemorySegment advance();

        @Override
        public final boolean next() {
            current = advance();
            return current != null;
        }

        @Override
        public final MemorySegment record() {
            if (current == null) {
                throw new MpoolException(ErrorCode.INVALID_STATE, "no current record: call next() first");
            }
            return current;
        }
    }

    /** Whether open found a compaction cut short and took the older log (the state before it). */
    public boolean rolledBack() {
        return rolledBack;
    }

    /** Whether a compaction is under way. */
    public boolean compacting() {
        return compacting != null;
    }

    /** The client records of the MDC's content, in order (during a compaction: the old content). */
    public List<byte[]> readAll() {
        checkOpen("read");
        try (LogReader reader = active.reader()) {
            return Contents.read(reader).records();
        }
    }

    /**
     * Iterates the client records of the MDC's content from the start (during a compaction:
     * the old content). Records still in the write buffer (async appends not yet flushed or
     * written out) are not included. Each call starts from the beginning again.
     */
    public RecordReader reader() {
        checkOpen("read");
        LogReader inner = active.reader();
        return new ClientRecordReader() {
            @Override
            MemorySegment advance() {
                while (inner.next()) {
                    MemorySegment r = inner.record();
                    if (MdcRecord.isUser(r)) {
                        return MdcRecord.clientBytes(r);
                    }
                }
                return null;
            }

            @Override
            public void close() {
                inner.close();
            }
        };
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
        try (LogReader reader = active.reader()) {
            return Contents.read(reader).withDurability();
        }
    }

    /**
     * The MDC's own records in one log: whether its compaction is complete (an end marker), and
     * whether it says the other log was formatted after it (an OTHER_FORMATTED record).
     */
    private record Marks(boolean complete, boolean otherFormatted) {
        static Marks of(LogReader reader) {
            Marks marks = new Marks(false, false);
            while (reader.next()) {
                marks = marks.with(reader.record());
            }
            return marks;
        }

        Marks with(MemorySegment record) {
            if (MdcRecord.isEndMarker(record)) {
                return new Marks(true, otherFormatted);
            }
            return MdcRecord.isOtherFormatted(record) ? new Marks(complete, true) : this;
        }
    }

    /** What one log of the pair holds: its client records, where each one's frame starts, and its marks. */
    private record Contents(List<byte[]> records, List<Long> positions, Marks marks, long watermark) {
        static Contents read(LogReader reader) {
            List<byte[]> records = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            Marks marks = new Marks(false, false);
            while (reader.next()) {
                MemorySegment record = reader.record();
                if (MdcRecord.isUser(record)) {
                    records.add(MdcRecord.clientBytes(record).toArray(ValueLayout.JAVA_BYTE));
                    positions.add(reader.framePosition());
                } else {
                    marks = marks.with(record);
                }
            }
            return new Contents(records, positions, marks, reader.durableWatermark());
        }

        List<Record> withDurability() {
            List<Record> out = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                out.add(new Record(records.get(i), positions.get(i) >= watermark));
            }
            return out;
        }
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

    private RecordLog target() {
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
            try {
                active.close(); // released even if closing the new log failed
            } finally {
                onClose.run();
            }
        }
    }
}
