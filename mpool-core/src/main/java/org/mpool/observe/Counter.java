package org.mpool.observe;

/**
 * What an open pool counts, from its open on. The order is the order of the slots of the
 * counter page other processes read (format/CounterPage): add new counters at the end only, and
 * never rename a key (it is what {@code PoolStats.counters()} and {@code mpool show --stats} name).
 */
public enum Counter {
    /** Reads of the pool's devices (direct I/O; mapped reads are the page cache's). */
    DEVICE_READS("deviceReads"),
    DEVICE_READ_BYTES("deviceReadBytes"),
    /** Writes to the pool's devices. */
    DEVICE_WRITES("deviceWrites"),
    DEVICE_WRITE_BYTES("deviceWriteBytes"),
    /** Device flushes (fdatasync) that ran: concurrent callers share one. */
    DEVICE_FLUSHES("deviceFlushes"),
    /** Discards (TRIM, hole punch) and their bytes. */
    DEVICE_DISCARDS("deviceDiscards"),
    DEVICE_DISCARD_BYTES("deviceDiscardBytes"),
    /** Device calls that failed (a call refused for its arguments before any I/O is not counted). */
    DEVICE_ERRORS("deviceErrors"),
    /** Flush rounds of the pool's logs (metadata shards, MDC-0, mlogs, MDCs): one write-out and one flush each. */
    LOG_FLUSH_ROUNDS("logFlushRounds"),
    /** Records those rounds made durable. */
    LOG_FLUSH_RECORDS("logFlushRecords"),
    /** Mblocks committed (one by one, deferred or in batches) and mlogs and MDCs committed. */
    COMMITS("commits"),
    /** Objects deleted. */
    DELETES("deletes"),
    /** Discards of deleted objects' zones the device refused (discard=on; the delete stands). */
    DISCARD_FAILURES("discardFailures"),
    /** Compactions of the catalog: metadata shards and MDC-0. */
    CATALOG_COMPACTIONS("catalogCompactions"),
    /** Scans of the reaper over the pool's maps. */
    REAPER_SCANS("reaperScans"),
    /** Map ranges the reaper evicted, and the resident bytes they held. */
    REAPER_EVICTIONS("reaperEvictions"),
    REAPER_EVICTED_BYTES("reaperEvictedBytes"),
    /** Media classes grown. */
    GROWS("grows");

    private final String key;

    Counter(String key) {
        this.key = key;
    }

    /** The counter's stable name. */
    public String key() {
        return key;
    }
}
