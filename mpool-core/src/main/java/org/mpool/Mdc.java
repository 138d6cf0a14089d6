package org.mpool;

import org.mpool.common.ObjectId;
import org.mpool.log.LogPair;

/**
 * An open metadata container: a durable record log that compacts, built on a pair of the
 * pool's logs. Opened with {@link Mpool#openMdc} (an MDC object) or {@link Mpool#rootMdc} (the
 * one every pool has, found with no id to remember). Append records; read them back from the
 * start; when they outgrow the log, compact: {@link #compactStart()}, append the live state,
 * {@link #compactEnd()} — a crash anywhere in a compaction leaves the old state or the new one,
 * whole. One handle per MDC: a second open is BUSY until this one closes. Thread-safe for
 * appends; compaction and appends are the client's to order.
 */
public final class Mdc implements AutoCloseable {
    private final ObjectId id;
    private final LogPair pair;

    Mdc(ObjectId id, LogPair pair) {
        this.id = id;
        this.pair = pair;
    }

    /** The MDC's id, or null for the root MDC. */
    public ObjectId id() {
        return id;
    }

    /** Appends a record; with {@code sync}, returns once it is durable. LOG_FULL if it does not fit: compact. */
    public void append(byte[] record, boolean sync) {
        pair.append(record, sync);
    }

    /** Makes every record appended so far durable. */
    public void flush() {
        pair.flush();
    }

    /**
     * Iterates the MDC's records from the start (during a compaction: the old state). Records
     * not yet flushed or written out are not included. Each call starts from the beginning.
     */
    public Mlog.Reader reader() {
        return new Mlog.Reader(pair.reader());
    }

    /**
     * Starts a compaction: appends go to the other log until {@link #compactEnd()}; append the
     * live state. What was appended before is made durable first: a crash before
     * {@code compactEnd} recovers it.
     */
    public void compactStart() {
        pair.compactStart();
    }

    /** Ends the compaction durably: what was appended since it started is the MDC's state. */
    public void compactEnd() {
        pair.compactEnd();
    }

    /** Abandons a compaction under way: the state before it stays, and appends go there again. */
    public void compactAbort() {
        pair.compactAbort();
    }

    /** Bytes in use in the log being written: compact when this nears {@link #capacityBytes()}. */
    public long usedBytes() {
        return pair.usedBytes();
    }

    /** Bytes of each of the two logs. */
    public long capacityBytes() {
        return pair.capacityBytes();
    }

    /** The largest record an append would take now, or -1 when not even an empty one fits. */
    public long remaining() {
        return pair.remaining();
    }

    /** Flushes and releases the MDC (a compaction under way is abandoned). Idempotent. */
    @Override
    public void close() {
        pair.close();
    }

    @Override
    public String toString() {
        return "Mdc[" + (id == null ? "root" : id) + "]";
    }
}
