package org.mpool;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.mpool.common.ObjectId;
import org.mpool.log.RecordLog;
import org.mpool.log.RecordReader;

/**
 * An open mlog (see {@link Mpool#openMlog}): records of any size appended until it is full,
 * read back in order from the start at any time, erased to start over. All I/O is direct.
 *
 * <p>Durability: a sync append returns once its record (and every record before it) is
 * durable. Async appends are buffered; {@link #flush()}, a later sync append or
 * {@link #close()} make them durable. Concurrent sync appenders share device flushes (group
 * commit). After a failed write or flush the log refuses further writes with IO: reopen it,
 * which finds out what is really on the media. Thread-safe.
 */
public final class Mlog implements AutoCloseable {
    private final ObjectId id;
    private final RecordLog log;

    Mlog(ObjectId id, RecordLog log) {
        this.id = id;
        this.log = log;
    }

    public ObjectId id() {
        return id;
    }

    /** Appends a record; with {@code sync}, returns once it is durable. LOG_FULL, changing nothing, if it does not fit. */
    public void append(byte[] record, boolean sync) {
        log.append(record, sync);
    }

    /** Appends the bytes of {@code record}; with {@code sync}, returns once it is durable. */
    public void append(MemorySegment record, boolean sync) {
        log.append(record, sync);
    }

    /** Makes every record appended so far durable. */
    public void flush() {
        log.flush();
    }

    /**
     * Empties the log durably: a new generation starts, and no record of an older one is ever
     * read again, even after a crash once this has returned. Sync appends still waiting for a
     * flush when it runs return: their records were appended, then erased.
     */
    public void erase() {
        log.erase();
    }

    /**
     * Iterates the records written so far, from the start. Records still in the write buffer
     * (async appends not yet flushed or written out) are not included. An erase by another
     * thread meanwhile ends it early: it then returns a prefix of one generation's records.
     */
    public Reader reader() {
        return new Reader(log.reader());
    }

    /** The generation: 1 when made, one more after every erase. */
    public long generation() {
        return log.generation();
    }

    /** Bytes of the log in use: where the next record would start, headers included. */
    public long usedBytes() {
        return log.usedBytes();
    }

    public long capacityBytes() {
        return log.capacityBytes();
    }

    /** The size of the largest record an append would take now, or -1 when not even an empty one fits. */
    public long remaining() {
        return log.remaining();
    }

    /**
     * Flushes what is buffered, then releases the log: it can be opened, and deleted, again.
     * Idempotent. Closing the pool closes it too.
     */
    @Override
    public void close() {
        log.close();
    }

    @Override
    public String toString() {
        return "Mlog[" + id + "]";
    }

    /**
     * Iterates records from the start: {@code while (reader.next()) use(reader.record());}. A
     * record's bytes stay valid until the next call to {@link #next()}. Bytes that fail a
     * checksum are never returned: damage ends the iteration with CORRUPT. Reads an mlog's
     * records, or the client records of an MDC.
     */
    public static final class Reader implements AutoCloseable {
        private final RecordReader reader;

        Reader(RecordReader reader) {
            this.reader = reader;
        }

        /** Moves to the next record; false at the end of the log. */
        public boolean next() {
            return reader.next();
        }

        /** The current record's bytes, valid until the next call to {@link #next()}. */
        public MemorySegment record() {
            return reader.record();
        }

        /** A copy of the current record's bytes. */
        public byte[] recordBytes() {
            return reader.recordBytes();
        }

        /** Reads all remaining records as byte arrays, then closes the reader. */
        public List<byte[]> readAll() {
            return reader.readAll();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
