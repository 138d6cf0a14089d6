package org.mpool.log;

/** How a scan of a log ended: the classification recovery acts on. */
public enum TailState {
    /** The log ends where nothing more was written (blank space, an older generation, or the end). */
    CLEAN_END,
    /** The log ends in a write that did not complete: a torn or lost tail, discarded safely. */
    TORN,
    /** A limit was reached (a live log's written end): later records may follow. */
    LIMIT
}
