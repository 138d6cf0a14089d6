package org.mpool.bench;

import java.lang.foreign.MemorySegment;

/**
 * Warm sequential scans of two segments over the same cached bytes (a mapped collection and one
 * FileChannel.map), measured like for like: the same loop ({@link Scans#sumLines}) over each
 * whole segment, both warmed until the JIT has compiled the loop for both segment kinds before
 * any pass is timed, then timed passes alternating between the two. Timing one side before the
 * other has ever run would charge the compilation (and the deoptimization when the second
 * segment kind shows up) to one side only.
 */
final class WarmScan {
    /** Untimed passes of each side: enough for C2 to compile the loop with both segment kinds seen. */
    static final int WARMUP_PASSES = 20;
    /** Timed samples of each side; each sample scans its segment {@link #PASSES_PER_SAMPLE} times. */
    static final int SAMPLES = 9;

    static final int PASSES_PER_SAMPLE = 4;

    private WarmScan() {}

    /** MiB/s of the median sample of each side: {@code {a, b}}. */
    static double[] measure(MemorySegment a, MemorySegment b) {
        for (int i = 0; i < WARMUP_PASSES; i++) {
            Scans.Blackhole.consume(Scans.sumLines(a, 0, a.byteSize()));
            Scans.Blackhole.consume(Scans.sumLines(b, 0, b.byteSize()));
        }
        double[] rateA = new double[SAMPLES];
        double[] rateB = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            if (i % 2 == 0) {
                rateA[i] = sample(a);
                rateB[i] = sample(b);
            } else {
                rateB[i] = sample(b);
                rateA[i] = sample(a);
            }
        }
        return new double[] {Measure.median(rateA), Measure.median(rateB)};
    }

    private static double sample(MemorySegment s) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int k = 0; k < PASSES_PER_SAMPLE; k++) {
            sum += Scans.sumLines(s, 0, s.byteSize());
        }
        long nanos = System.nanoTime() - t0;
        Scans.Blackhole.consume(sum);
        return (double) PASSES_PER_SAMPLE * s.byteSize() / (1 << 20) / (nanos / 1e9);
    }
}
