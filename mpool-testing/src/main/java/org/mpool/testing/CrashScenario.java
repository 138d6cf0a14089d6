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
 *
 * <p>A workload runs on one device, or on several that lose power together (a pool with a
 * staging device): such a scenario returns them all from {@link #start} and overrides the
 * list forms of {@link #run(List, Object, SplittableRandom, List)} and
 * {@link #recover(List, Object)}.
 */
public interface CrashScenario<M> {

    /** Fresh media for the workload of {@code seed}, and the model of what it holds. */
    Start<M> start(long seed);

    /** Media prepared before any crash can happen (one device or more), and its model. */
    record Start<M>(List<MemoryDevice> devices, M model) {
        public Start(MemoryDevice media, M model) {
            this(List.of(media), model);
        }

        /** The first (or only) device. */
        public MemoryDevice media() {
            return devices.getFirst();
        }
    }

    /**
     * Runs one round of the workload on {@code device}, updating {@code model} as operations
     * return. The first device failure propagates as it is thrown (the harness checks it
     * comes from the simulated crash). Objects the workload opens go into {@code cleanup},
     * which the harness closes after the crash. Violations found on the way (a live read
     * that is wrong) are thrown as {@link AssertionError}.
     */
    void run(BlockDevice device, M model, SplittableRandom random, List<AutoCloseable> cleanup);

    /** Like {@link #run(BlockDevice, Object, SplittableRandom, List)} on every device of {@link #start}. */
    default void run(List<BlockDevice> devices, M model, SplittableRandom random, List<AutoCloseable> cleanup) {
        run(devices.getFirst(), model, random, cleanup);
    }

    /**
     * Opens {@code image} (on a copy: the image itself stays as the crash left it), checks
     * what it recovers to against {@code model} and returns the model of the recovered state,
     * the start of the next round. Throws {@link AssertionError} on a violation; any other
     * exception is a violation too. Must not change {@code model}.
     */
    M recover(MemoryDevice image, M model);

    /** Like {@link #recover(MemoryDevice, Object)} with an image of every device of {@link #start}. */
    default M recover(List<MemoryDevice> images, M model) {
        return recover(images.getFirst(), model);
    }

    /**
     * Whether a crash may garble an unflushed write at {@code offset} of device {@code device}
     * (see {@link FaultInjectingDevice.Fate#GARBLED}): only where the design does not rely on
     * sector writes being atomic. None by default.
     */
    default boolean mayGarble(int device, long offset) {
        return false;
    }
}
