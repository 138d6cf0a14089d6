package org.mpool.testing;

import java.util.List;
import java.util.SplittableRandom;
import org.mpool.spi.BlockDevice;

/**
 * A seeded workload that {@link CrashExplorer} crashes at chosen points, and the check of
 * what a crash image recovers to. {@code M} is the model of what the workload has had
 * acknowledged: it is updated as operations return, so after a crash it tells what must
 * (and what may) be found.
 *
 * <p>A workload must be deterministic: the same seed, media and model give the same device
 * writes in the same order (no background I/O), so a crash point "after write k" means the
 * same thing on every run.
 */
public interface CrashScenario<M> {

    /** Fresh media for the workload of {@code seed}, and the model of what it holds. */
    Start<M> start(long seed);

    /** Media prepared before any crash can happen, and its model. */
    record Start<M>(MemoryDevice media, M model) {}

    /**
     * Runs one round of the workload on {@code device}, updating {@code model} as operations
     * return. The first device failure propagates as it is thrown (the harness checks it
     * comes from the simulated crash). Objects the workload opens go into {@code cleanup},
     * which the harness closes after the crash. Violations found on the way (a live read
     * that is wrong) are thrown as {@link AssertionError}.
     */
    void run(BlockDevice device, M model, SplittableRandom random, List<AutoCloseable> cleanup);

    /**
     * Opens {@code image} (on a copy: the image itself stays as the crash left it), checks
     * what it recovers to against {@code model} and returns the model of the recovered state,
     * the start of the next round. Throws {@link AssertionError} on a violation; any other
     * exception is a violation too. Must not change {@code model}.
     */
    M recover(MemoryDevice image, M model);
}
