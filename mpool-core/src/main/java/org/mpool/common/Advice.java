package org.mpool.common;

/**
 * How much a mapped range is worth keeping in the page cache. The reaper evicts the pages of
 * {@code COLD} ranges first, then {@code WARM}, then {@code HOT}, and never those of
 * {@code PINNED} ones; within one advice it evicts the least recently accessed first.
 */
public enum Advice {
    /** Read once or rarely (a compaction input): evicted first; the kernel is told too (MADV_COLD). */
    COLD,
    /** The default for data read now and then. */
    WARM,
    /** Read often (an index, a hot level): evicted only when COLD and WARM pages are gone. */
    HOT,
    /** Never evicted by the reaper (purge and close still drop the pages). */
    PINNED
}
