package org.mpool.bench;

/** Runs the two sides of a comparison, in an order that alternates between rounds. */
final class Pair {
    @FunctionalInterface
    interface Side {
        void run() throws Exception;
    }

    private Pair() {}

    /** Runs {@code ours} and {@code baseline} (skipped without fio), baseline first when asked. */
    static void run(boolean baselineFirst, Side ours, Side baseline) throws Exception {
        if (baselineFirst) {
            runBaseline(baseline);
            ours.run();
        } else {
            ours.run();
            runBaseline(baseline);
        }
    }

    private static void runBaseline(Side baseline) throws Exception {
        if (Fio.available()) {
            baseline.run();
        }
    }
}
