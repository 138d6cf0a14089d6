package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/** A staging device moved to another path is found among candidates by its UUIDs, and its new path recorded. */
class MovedDeviceTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path create(String name) {
        Path cap = dir.resolve(name + ".img");
        CreateOptions o =
                new CreateOptions().size(64 * MIB).mblockSize(MIB).staging(dir.resolve(name + "-s.img"), 32 * MIB, MIB);
        Mpool.create(name, cap, o).close();
        return cap;
    }

    @Test
    void aMovedStagingDeviceIsFoundAndRecorded() throws Exception {
        Path cap = create("moved");
        Path other = create("other");
        Path moved = dir.resolve("elsewhere.img");
        Files.move(dir.resolve("moved-s.img"), moved);

        assertThatThrownBy(() -> Mpool.open(cap))
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> Mpool.open(cap, List.of(dir.resolve("other-s.img"), other, dir.resolve("none"))))
                .as("another pool's staging device is not this one's")
                .isInstanceOf(MpoolException.class)
                .hasMessageContaining("staging device");

        try (Mpool pool = Mpool.openReadOnly(cap, List.of(dir.resolve("other-s.img"), moved))) {
            assertThat(pool.devicePath(MediaClass.STAGING)).isEqualTo(moved);
        }
        assertThatThrownBy(() -> Mpool.openReadOnly(cap))
                .as("a read-only open records nothing")
                .isInstanceOf(MpoolException.class);

        try (Mpool pool = Mpool.open(cap, List.of(dir.resolve("other-s.img"), moved))) {
            assertThat(pool.devicePath(MediaClass.STAGING)).isEqualTo(moved);
        }
        try (Mpool pool = Mpool.open(cap)) {
            assertThat(pool.devicePath(MediaClass.STAGING))
                    .as("the new path was recorded")
                    .isEqualTo(moved.toAbsolutePath());
        }
        try (Mpool pool = Mpool.open(other)) {
            assertThat(pool.devicePath(MediaClass.STAGING))
                    .isEqualTo(dir.resolve("other-s.img").toAbsolutePath());
        }
    }
}
