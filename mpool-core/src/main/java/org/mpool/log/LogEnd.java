package org.mpool.log;

import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * Why a scan of a log stopped where it did: one value for every row of the recovery table of
 * docs/FORMAT.md §3, in its order. {@link LogScanner} names the row it took;
 * LogEndTableTest builds one log per row by hand and checks the scan takes it.
 */
public enum LogEnd {
    /** An all-zero fragment header where a frame may start. */
    BLANK_FRAGMENT(TailState.CLEAN_END, "never written"),
    /** A blank block header, or one of an older generation, where a frame may start. */
    UNWRITTEN_BLOCK(TailState.CLEAN_END, "never written in this generation"),
    /** The end of the extent, between frames. */
    EXTENT_END(TailState.CLEAN_END, "the log is full"),
    /** A fragment failing its CRC, length, type order or epoch rules. */
    TORN_FRAGMENT(TailState.TORN, "a write that did not complete"),
    /** A block header that is not valid, or names another block. */
    TORN_BLOCK(TailState.TORN, "a block write that did not complete"),
    /** A frame cut short: its next block was never written, or the extent ends inside it. */
    FRAME_CUT_SHORT(TailState.TORN, "a frame whose writes did not all complete"),
    /** A live log's written end (a reader of a log open for writing stops there). */
    WRITTEN_END(TailState.LIMIT, "later records may follow"),
    /** Invalid data before a live log's written end. */
    DAMAGE_BEFORE_WRITTEN_END(TailState.CORRUPT, "data the writer wrote can no longer be read"),
    /** A valid fragment records a durable position beyond where the scan ended. */
    DURABLE_DATA_LOST(TailState.CORRUPT, "acknowledged data is unreadable"),
    /** Block 0's header is blank or invalid. */
    NO_LOG_HEADER(TailState.CORRUPT, "not a log, or destroyed"),
    /** A block of a newer generation than block 0's, where the scan ends or after it. */
    STALE_BLOCK_ZERO(TailState.CORRUPT, "block 0 lost its latest write"),
    /** A block header of a newer format version. */
    NEWER_VERSION(TailState.UNSUPPORTED, "written by newer software");

    private final TailState state;
    private final String meaning;

    LogEnd(TailState state, String meaning) {
        this.state = state;
        this.meaning = meaning;
    }

    /** What recovery does about it. */
    public TailState state() {
        return state;
    }

    /** What it means, in the words of the table. */
    public String meaning() {
        return meaning;
    }

    /** Whether a scan that ends here fails instead of returning the records before. */
    public boolean fails() {
        return state == TailState.CORRUPT || state == TailState.UNSUPPORTED;
    }

    /** The error a scan that ends here raises: {@code detail} and what it means. */
    MpoolException error(String detail) {
        assert fails() : this + " does not fail";
        return new MpoolException(
                state == TailState.CORRUPT ? ErrorCode.CORRUPT : ErrorCode.UNSUPPORTED, detail + " (" + meaning + ")");
    }
}
