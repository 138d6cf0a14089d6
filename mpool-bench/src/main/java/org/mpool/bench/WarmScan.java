package org.mpool.bench;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Warm sequential scans of the same cached bytes through two mappings (a mapped collection and
 * one FileChannel.map), measured like for like: the same loop ({@link Scans#sumLines}) over the
 * same list of slices on each side (one per mblock: its data, not the rest of its zone), both warmed until the JIT has compiled the loop for both segment kinds before
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

    /** MiB/s of the median sample of each side: {@code {a, b}}, each a list of slices scanned in order. */
    static double[] measure(List<MemorySegment> a, List<MemorySegment> b) {
        for (int i = 0; i < WARMUP_PASSES; i++) {
            Scans.Blackhole.consume(pass(a));
            Scans.Blackhole.consume(pass(b));
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

    private static long pass(List<MemorySegment> slices) {
        long sum = 0;
        for (MemorySegment s : slices) {
            sum += Scans.sumLines(s, 0, s.byteSize());
        }
        return sum;
    }

    private static double sample(List<MemorySegment> slices) {
        long bytes = slices.stream().mapToLong(MemorySegment::byteSize).sum();
        long t0 = System.nanoTime();
        long sum = 0;
        for (int k = 0; k < PASSES_PER_SAMPLE; k++) {
            sum += pass(slices);
        }
        long nanos = System.nanoTime() - t0;
        Scans.Blackhole.consume(sum);
        return (double) PASSES_PER_SAMPLE * bytes / (1 << 20) / (nanos / 1e9);
    }
}
