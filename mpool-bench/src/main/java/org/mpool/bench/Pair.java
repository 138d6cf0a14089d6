package org.mpool.bench;

/** Runs the two sides of a comparison, in an order that alternates between rounds. */
final class Pair {
    @FunctionalInterface
    interface Side {
        void run() throws Exception;
    }

    private Pair() {}

    /**
     * Runs {@code ours} and {@code baseline} (skipped without fio), baseline first when asked,
     * each from a settled device (see {@link Files2#settle}).
     */
    static void run(java.nio.file.Path file, boolean baselineFirst, Side ours, Side baseline) throws Exception {
        if (baselineFirst) {
            runBaseline(file, baseline);
            runOurs(file, ours);
        } else {
            runOurs(file, ours);
            runBaseline(file, baseline);
        }
    }

    private static void runOurs(java.nio.file.Path file, Side ours) throws Exception {
        Files2.settle(file);
        ours.run();
    }

    private static void runBaseline(java.nio.file.Path file, Side baseline) throws Exception {
        if (Fio.available()) {
            Files2.settle(file);
            baseline.run();
        }
    }
}
