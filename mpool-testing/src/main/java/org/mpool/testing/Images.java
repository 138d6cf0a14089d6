package org.mpool.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mpool.testing.FaultInjectingDevice.Fate;

/**
 * The crash images {@link CrashExplorer} checks after one crash. Where the unflushed writes of
 * all the devices admit at most {@link #ENUMERATE_AT_MOST} combinations of fates (3 each: kept,
 * torn, lost; 4 where a write may also be garbled), every combination is built, in a fixed
 * order; beyond that, a stated number of seeded samples. A torn or garbled write's sectors are
 * drawn from the image's seed.
 */
record Images(boolean enumerated, int count, int[] radix) {
    /** 4^4 = 256: up to four unflushed writes that may garble, five that may not. */
    static final int ENUMERATE_AT_MOST = 256;

    /** Every combination if there are few enough, else {@code samples} seeded ones. */
    static Images of(List<FaultInjectingDevice> devices, int samples) {
        List<Integer> radix = new ArrayList<>();
        for (FaultInjectingDevice d : devices) {
            for (boolean garbles : d.garbleableUnflushed()) {
                radix.add(garbles ? 4 : 3);
            }
        }
        long combinations = 1;
        for (int r : radix) {
            combinations *= r;
            if (combinations > ENUMERATE_AT_MOST) {
                return sampled(samples);
            }
        }
        return new Images(
                true,
                (int) combinations,
                radix.stream().mapToInt(Integer::intValue).toArray());
    }

    static Images sampled(int samples) {
        return new Images(false, samples, null);
    }

    /** Image {@code i}: one per device. */
    List<MemoryDevice> build(List<FaultInjectingDevice> devices, int i, long seed) {
        List<MemoryDevice> images = new ArrayList<>(devices.size());
        if (!enumerated) {
            Random random = new Random(seed);
            for (FaultInjectingDevice d : devices) {
                images.add(d.crashImage(random, null));
            }
            return images;
        }
        List<Fate> fates = fates(i);
        int from = 0;
        for (FaultInjectingDevice d : devices) {
            int n = d.unflushedWriteCount();
            images.add(d.crashImage(fates.subList(from, from + n), seed));
            from += n;
        }
        return images;
    }

    /** What a violation names: the seed, and for an enumerated image its fates. */
    String describe(List<FaultInjectingDevice> devices, int i, long seed) {
        return enumerated
                ? "seed " + seed + " with fates " + fates(i) + " (combination " + (i + 1) + " of " + count + ")"
                : "seed " + seed + " (sampled)";
    }

    /** Combination {@code i} in mixed radix: write k's fate is its digit (KEPT, TORN, LOST, GARBLED). */
    private List<Fate> fates(int i) {
        List<Fate> fates = new ArrayList<>(radix.length);
        int rest = i;
        for (int r : radix) {
            fates.add(Fate.values()[rest % r]);
            rest /= r;
        }
        return fates;
    }
}
