package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;

/**
 * A directory's own pool file grows when it is full (doubling, up to its limit) and what was
 * written in the grown part survives a reopen; a pool the application gave is never grown.
 */
class PoolGrowthTest {
    static final int MiB = 1 << 20;

    @TempDir
    Path dir;

    private static long total(MpoolDirectory d) {
        return d.pool().stats().classes().get(MediaClass.CAPACITY).totalBytes();
    }

    @Test
    void aFullPoolFileOfTheDirectoryDoublesAndKeepsWhatWasWritten() throws IOException {
        MpoolDirectoryOptions o = new MpoolDirectoryOptions()
                .poolSizeBytes(32L * MiB)
                .maxPoolSizeBytes(256L * MiB)
                .mblockSizeBytes(MiB);
        try (MpoolDirectory d = new MpoolDirectory(dir, MpoolLockFactory.INSTANCE, o)) {
            assertThat(total(d)).isEqualTo(32L * MiB);
            for (int i = 0; i < 6; i++) {
                Files2.write(d, "f" + i, Files2.bytes(i, 10 * MiB));
            }
            assertThat(total(d)).as("grown by doubling: 32 -> 64 -> 128 MiB").isEqualTo(128L * MiB);
            d.sync(java.util.List.of("f0", "f1", "f2", "f3", "f4", "f5"));
        }
        assertThat(Files.size(dir.resolve(Registry.POOL_FILE))).isEqualTo(128L * MiB);
        try (MpoolDirectory d = new MpoolDirectory(dir, MpoolLockFactory.INSTANCE, o)) {
            assertThat(total(d)).isEqualTo(128L * MiB);
            for (int i = 0; i < 6; i++) {
                assertThat(Files2.read(d, "f" + i)).as("f" + i).isEqualTo(Files2.bytes(i, 10 * MiB));
            }
        }
    }

    @Test
    void aPoolFileAtItsLimitIsFull() throws IOException {
        MpoolDirectoryOptions o = new MpoolDirectoryOptions()
                .poolSizeBytes(32L * MiB)
                .maxPoolSizeBytes(32L * MiB)
                .mblockSizeBytes(MiB);
        try (MpoolDirectory d = new MpoolDirectory(dir, MpoolLockFactory.INSTANCE, o)) {
            assertThatThrownBy(() -> Files2.write(d, "big", Files2.bytes(1, 40 * MiB)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the pool is full");
            assertThat(total(d)).isEqualTo(32L * MiB);
        }
    }

    @Test
    void aPoolTheApplicationGaveIsNeverGrown() throws IOException {
        Path file = dir.resolve("app.img");
        try (Mpool pool = Mpool.create(
                        "app",
                        file,
                        new CreateOptions().size(32L * MiB).mblockSize(MiB).shards(1));
                MpoolDirectory d = MpoolDirectory.open(pool, "index")) {
            assertThatThrownBy(() -> Files2.write(d, "big", Files2.bytes(1, 40 * MiB)))
                    .isInstanceOf(IOException.class);
            assertThat(total(d)).isEqualTo(32L * MiB);
            assertThat(Files.size(file)).isEqualTo(32L * MiB);
        }
    }
}
