package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.testing.Seeds;

/**
 * A model-based random tester of the whole public API: seeded and replayable
 * ({@code -Dmpool.seed=...}), several threads, close/reopen, read-only opens and power losses
 * between phases, the pool compared with {@link ApiModel} after each (see {@link ApiModelRun}).
 * Every error must be an {@code MpoolException} with the code the API documents, and must
 * leave the pool as it was.
 *
 * <p>{@code -Dmpool.apimodel.ops=N} sets the operations of a run (both tests together; the
 * default is sized for CI); a long run is, for instance, {@code -Dmpool.apimodel.ops=200000}.
 */
class ApiModelTest {
    private static final long OPS = Long.getLong("mpool.apimodel.ops", 20_000);
    private static final long MIB = 1 << 20;

    /** Memory devices: most of the budget, with a power loss now and then. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void onMemoryDevices() {
        long seed = Seeds.base("ApiModelTest.onMemoryDevices");
        ApiModelPools env = new ApiModelPools.Memory(96 * MIB, 16 * MIB, 2 * MIB);
        long done = new ApiModelRun(seed, env).run(OPS * 3 / 4, 0);
        assertThat(done).isGreaterThanOrEqualTo(OPS * 3 / 4);
    }

    /** Files with direct I/O: the rest of the budget, with maps. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void onFiles(@TempDir Path dir) {
        long seed = Seeds.base("ApiModelTest.onFiles");
        ApiModelPools env = new ApiModelPools.Files(dir, 32 * MIB, MIB);
        long done = new ApiModelRun(seed, env).run(OPS / 4, 128 * MIB);
        assertThat(done).isGreaterThanOrEqualTo(OPS / 4);
    }
}
