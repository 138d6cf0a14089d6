package org.mpool.device;

/**
 * Seeds for randomised tests: {@code -Dmpool.seed=N} replays a run, otherwise every run draws a
 * new seed. Tests put {@link #describe} into their assertion messages so a failure prints it.
 */
final class TestSeeds {
    private TestSeeds() {}

    static long seed() {
        Long fixed = Long.getLong("mpool.seed");
        return fixed != null ? fixed : new java.util.SplittableRandom().nextLong();
    }

    static String describe(long seed) {
        return "seed " + seed + " (replay with -Dmpool.seed=" + seed + ")";
    }
}
