package org.mpool.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The read every cache benchmark does: one long per 64-byte cache line, summed, so every line
 * of the range is loaded (a reader consumes the bytes) and the JIT cannot drop the loads.
 */
final class Scans {
    static final long LINE = 64;

    private Scans() {}

    /** Sums one long per cache line of {@code [from, from + length)} of {@code s}. */
    static long sumLines(MemorySegment s, long from, long length) {
        long sum = 0;
        long end = from + length - Long.BYTES;
        for (long off = from; off <= end; off += LINE) {
            sum += s.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
        }
        return sum;
    }

    /** Keeps results alive so the JIT cannot drop the scans. */
    static final class Blackhole {
        static volatile long sink;

        private Blackhole() {}

        static void consume(long v) {
            sink += v;
        }
    }
}
