package org.mpool.log;

/** What recovery does where a scan of a log ended (the outcome of a {@link LogEnd}). */
public enum TailState {
    /** The log ends where nothing more was written: the records before are the log. */
    CLEAN_END,
    /** The log ends in a write that did not complete and was never acknowledged: discarded. */
    TORN,
    /** A reader's limit was reached (a live log's written end): later records may follow. */
    LIMIT,
    /** Data that had been acknowledged cannot be read: the scan fails with CORRUPT. */
    CORRUPT,
    /** The log was written by a newer format: the scan fails with UNSUPPORTED. */
    UNSUPPORTED
}
