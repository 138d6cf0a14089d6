package org.mpool.log;

import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.Varint;

/**
 * Iterates a log's records from the start:
 * {@code while (reader.next()) use(reader.record());}. A record's bytes stay valid until the
 * next call to {@link #next()}. Reading never returns bytes that fail a checksum: damage that
 * recovery cannot explain as a torn tail ends the iteration with CORRUPT.
 */
public final class LogReader implements RecordReader {
    private final LogScanner scanner;
    /** A live log's reader stops at the written end: any invalid byte before it is damage. */
    private final boolean live;

    private byte[] frame;
    private int frameLength;
    private int offset;
    private MemorySegment record;
    /** The scan of a live log ended before its written end: the media lost what was written. */
    private boolean damaged;

    /**
     * For a live log's reader: whether an erase has overtaken it since it began. Its scan then
     * meets the new generation's writes, which are no damage: the reader ends there.
     */
    private final BooleanSupplier overtaken;

    private boolean endedByErase;

    LogReader(LogScanner scanner, boolean live) {
        this(scanner, live, () -> false);
    }

    LogReader(LogScanner scanner, boolean live, BooleanSupplier overtaken) {
        this.scanner = scanner;
        this.live = live;
        this.overtaken = overtaken;
    }

    /**
     * Moves to the next record; false at the end of the log, or where an erase overtook a
     * live log's reader (what it returned is then a prefix of one generation's records).
     */
    @Override
    public boolean next() {
        if (endedByErase) {
            return false;
        }
        try {
            return nextRecord();
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.CORRUPT || !overtaken.getAsBoolean()) {
                throw e;
            }
            endedByErase = true;
            record = null;
            return false;
        }
    }

    private boolean nextRecord() {
        while (offset >= frameLength) {
            if (!scanner.nextFrame()) {
                // A full log's written end is its capacity: reaching it there is no damage.
                if (live && scanner.tailState() != TailState.LIMIT && scanner.end() < scanner.limit()) {
                    damaged = true;
                    throw LogEnd.DAMAGE_BEFORE_WRITTEN_END.error(scanner.describe() + ": data written at log position "
                            + scanner.end() + " can no longer be read");
                }
                record = null;
                return false;
            }
            frame = scanner.frameBytes();
            frameLength = scanner.frameLength();
            offset = 0;
        }
        int header = Varint.length(frame, offset, frameLength);
        if (header < 0) {
            throw badFrame();
        }
        long length = Varint.decode(frame, offset, header);
        offset += header;
        if (length > frameLength - offset) {
            throw badFrame();
        }
        record = MemorySegment.ofArray(frame).asSlice(offset, length);
        offset += (int) length;
        return true;
    }

    private MpoolException badFrame() {
        return new MpoolException(
                ErrorCode.CORRUPT,
                scanner.describe() + ": the frame at log position " + scanner.frameStart()
                        + " passes its checksum but holds a malformed record");
    }

    /** The current record's bytes, valid until the next call to {@link #next()}. */
    @Override
    public MemorySegment record() {
        if (record == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "no current record: call next() first");
        }
        return record;
    }

    /** Log position of the frame holding the current record. */
    public long framePosition() {
        return scanner.frameStart();
    }

    /**
     * The highest position the log recorded as durable in the frames read so far. After a
     * crash, records in frames at or after it (read to the end) may not have been flushed.
     */
    public long durableWatermark() {
        return scanner.maxDurable();
    }

    /** After {@link #next()} returned false: how the log ended. */
    public TailState tailState() {
        return scanner.tailState();
    }

    /** After {@link #next()} returned false or failed: the row of the recovery table the scan took. */
    public LogEnd end() {
        return damaged ? LogEnd.DAMAGE_BEFORE_WRITTEN_END : scanner.why();
    }

    /** After {@link #next()} returned false: the log position where the records end. */
    public long endPosition() {
        return scanner.end();
    }

    /** The log's generation, from its header. */
    public long generation() {
        return scanner.generation();
    }

    @Override
    public void close() {
        scanner.close();
    }
}
