package org.mpool.bench;

import org.mpool.Mcache;

/**
 * A sequential reader of a mapped collection as docs/MCACHE.md prescribes: every mblock mapping
 * has MADV_RANDOM (a fault reads one page), so the reader asks for readahead itself with
 * {@link Mcache#willNeed}, {@link #AHEAD} bytes in front of where it reads.
 */
final class StreamingScan {
    /** One willNeed call: the kernel starts about 8 MiB of readahead per madvise here (PLATFORM.md). */
    static final long STEP = 8L << 20;
    /**
     * Readahead kept in flight in front of the reader: four steps. One step (8 MiB, about 5 ms
     * of device time) leaves the reader waiting on the device; four keep it busy while staying
     * far below a budget of a few hundred MiB.
     */
    static final long AHEAD = 4 * STEP;

    private StreamingScan() {}

    /** Reads {@code [0, length)} of {@code map}'s range in order; returns the sum of its lines. */
    static long scan(Mcache map, long length) {
        map.willNeed(0, Math.min(AHEAD, length));
        long sum = 0;
        for (long pos = 0; pos < length; pos += STEP) {
            long ahead = pos + AHEAD;
            if (ahead < length) {
                map.willNeed(ahead, Math.min(STEP, length - ahead));
            }
            sum += Scans.sumLines(map.segment(), pos, Math.min(STEP, length - pos));
        }
        return sum;
    }
}
