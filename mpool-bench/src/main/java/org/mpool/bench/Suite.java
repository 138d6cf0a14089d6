package org.mpool.bench;

import java.nio.file.Path;
import java.util.List;

/** A group of measurements, each taken side by side with its baseline in the same run. */
interface Suite {
    String name();

    List<Result> run(Config config) throws Exception;

    /**
     * @param dir where the benchmark files live (one file system for ours and the baselines)
     * @param seconds length of one timed run
     * @param rounds how many times each pair is run, interleaved; medians are reported
     */
    record Config(Path dir, int seconds, int rounds) {}
}
