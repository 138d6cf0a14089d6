package org.mpool.pool;

import org.mpool.common.MpoolException.ErrorCode;

/**
 * What opening a pool can find after a crash, and what it does: one value for every row of the
 * recovery table of docs/FORMAT.md §6, in its order. Rows that open repairs or acts on are
 * reported in {@link Pool#recovery()}; rows that fail the open fail it with {@link #error()}.
 * RecoveryTableTest builds one pool per row by hand and checks open does what the row says.
 */
public enum RecoveryCase {
    /** A superblock copy torn or damaged, the other valid: open uses it and rewrites both. */
    SUPERBLOCK_COPY_BAD(null),
    /** Both superblock copies of the capacity device invalid. */
    SUPERBLOCKS_BAD(ErrorCode.CORRUPT),
    /** A superblock of a newer format version. */
    NEWER_FORMAT(ErrorCode.UNSUPPORTED),
    /** An MDC compaction cut short (MDC-0 or a shard): the MDC's state before it is used. */
    COMPACTION_ROLLED_BACK(null),
    /**
     * A commit record after the last flush the log records, whose mblock's data does not match
     * the record's length and CRC: the commit never completed. It is cancelled with a durable
     * DELETE (all cancellations in one frame, one flush) before any zone is reused.
     */
    UNCONFIRMED_COMMIT_CANCELLED(null),
    /** Such a record whose data matches: the commit completed; it is kept. */
    UNCONFIRMED_COMMIT_KEPT(null),
    /** Mblocks and mlogs allocated but never committed: never recorded, so their zones are free. */
    UNCOMMITTED_OBJECTS_FREED(null),
    /** Ids handed out before the crash are never handed out again: the next is above every reservation and id seen. */
    IDS_NOT_REUSED(null),
    /** A zone owned twice by the catalog (two objects, or an object and metadata). */
    ZONE_OWNED_TWICE(ErrorCode.CORRUPT),
    /**
     * A grow cut short: a device's superblock says more zones than MDC-0's record of its media
     * class (the superblock is written first, see Growth). The superblock decides; a read-write
     * open records the class again. A record ahead of its superblock is CORRUPT.
     */
    GROWN_DEVICE_RECORDED(null),
    /** A media class whose device is missing, or is no longer the one the pool recorded. */
    DEVICE_MISSING(ErrorCode.NOT_FOUND),
    /**
     * A pool of an older format version: a read-write open upgrades it step by step
     * (Upgrades: UpgradeFromV1, UpgradeFromV2), each step crash-safe; a read-only open reads it as it is.
     */
    UPGRADED(null);

    private final ErrorCode error;

    RecoveryCase(ErrorCode error) {
        this.error = error;
    }

    /** The error an open that finds this fails with; null if open recovers from it. */
    public ErrorCode error() {
        return error;
    }

    /** What open found of one case, in words a person reads ("shard 2: 3 commits cancelled"). */
    public record Found(RecoveryCase what, String detail) {}
}
