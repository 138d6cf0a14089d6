package org.mpool.bench;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/** Timing helpers: a time-boxed loop that records each operation's latency. */
final class Measure {
    /** Result of a timed loop: operations (or bytes) per second and the latency histogram. */
    record Run(double perSecond, Histogram latency) {
        double p50() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }
    }

    /** One unit of work; returns the amount done (1 for an operation, or bytes). */
    @FunctionalInterface
    interface Op {
        long run(long i) throws Exception;
    }

    private Measure() {}

    /** Runs {@code op} repeatedly for {@code seconds}; returns amount per second and per-op latencies. */
    static Run timed(int seconds, Op op) throws Exception {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long done = 0;
        long start = System.nanoTime();
        long now = start;
        for (long i = 0; now < end; i++) {
            long t0 = System.nanoTime();
            done += op.run(i);
            now = System.nanoTime();
            h.recordValue(Math.max(1, now - t0));
        }
        return new Run(done / ((now - start) / 1e9), h);
    }

    /**
     * Runs {@code op} repeatedly for {@code seconds}; returns amount per second. For operations
     * of tens of nanoseconds (async appends), where timing each one would cost as much as the
     * operation: the clock is read once per 256 operations.
     */
    static double throughput(int seconds, Op op) throws Exception {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long done = 0;
        long now = start;
        for (long i = 0; now < end; ) {
            for (int k = 0; k < 256; k++, i++) {
                done += op.run(i);
            }
            now = System.nanoTime();
        }
        return done / ((now - start) / 1e9);
    }

    static double median(double... values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
