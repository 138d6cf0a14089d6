package org.mpool.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeds for randomized tests. A test takes its base seed from here, prints it, and derives
 * everything it does from it, so a failure replays with {@code -Dmpool.seed=<seed>}.
 */
public final class Seeds {
    /** The system property that fixes the base seed of every randomized test. */
    public static final String PROPERTY = "mpool.seed";

    private Seeds() {}

    /** The base seed for {@code test}: from {@value #PROPERTY} if set, else a fresh one. Printed. */
    public static long base(String test) {
        String fixed = System.getProperty(PROPERTY);
        long seed = fixed != null && !fixed.isBlank() ? Long.decode(fixed.strip()) : new SplittableRandom().nextLong();
        System.out.println(test + ": " + describe(seed));
        return seed;
    }

    /** How a test names a seed in its assertion messages, with how to replay it. */
    public static String describe(long seed) {
        return "seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")";
    }

    /** A seed derived from {@code seed} and {@code salt}, well mixed (SplitMix64 finaliser). */
    public static long derive(long seed, long salt) {
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A thread-safe map that keeps the {@code capacity} entries used last: a cache of what each
     * seed's workload starts from (a new pool, made once per seed so that every run of the seed
     * starts alike). An explorer runs one seed's crash points one after another, so a few
     * dozen entries serve a run of any length without holding every seed's pool in the heap.
     */
    public static <V> Map<Long, V> recentlyUsed(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                return size() > capacity;
            }
        });
    }

    /** The {@code mpool.explore.points} budget Surefire passes (10000 unless set). */
    public static long explorePoints() {
        return Long.getLong("mpool.explore.points", 10_000L);
    }
}
