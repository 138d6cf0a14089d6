package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.NativeDevice.OpenOptions;

/** A read-only open reads, refuses to change anything, and neither needs nor takes the lock. */
class NativeDeviceReadOnlyTest {
    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void createDevice() {
        file = dir.resolve("device.img");
        NativeDevice.createFile(file, 1 << 20, OpenOptions.SHARED).close();
    }

    @Test
    void writesAndDiscardsFailWithPermission() {
        try (NativeDevice device = NativeDevice.open(file, OpenOptions.READ_ONLY);
                Arena arena = Arena.ofConfined()) {
            assertThat(device.readOnly()).isTrue();
            MemorySegment buf = AlignedBuffers.allocate(arena, 4096);
            assertThatThrownBy(() -> device.write(0, buf)).isInstanceOfSatisfying(MpoolException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION);
                assertThat(e.getMessage()).contains(file.toString(), "read-only");
            });
            assertThatThrownBy(() -> device.discard(0, 4096))
                    .isInstanceOfSatisfying(
                            MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION));
            assertThatCode(device::flush).doesNotThrowAnyException();
        }
    }

    @Test
    void readsWhatAnExclusiveHolderWroteWhileItHoldsTheLock() {
        try (Arena arena = Arena.ofConfined();
                NativeDevice writer = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
            writer.write(4096, BytePatterns.pattern(arena, 4096, 8192, 31));
            try (NativeDevice reader = NativeDevice.open(file, OpenOptions.READ_ONLY)) {
                MemorySegment back = AlignedBuffers.allocate(arena, 8192);
                reader.read(4096, back);
                assertThat(BytePatterns.firstMismatch(back, 4096, 31)).isEqualTo(-1);
            }
        }
    }

    @Test
    void doesNotStopAnExclusiveOpen() {
        try (NativeDevice reader = NativeDevice.open(file, OpenOptions.READ_ONLY);
                NativeDevice writer = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
            assertThat(reader.readOnly()).isTrue();
            assertThat(writer.readOnly()).isFalse();
        }
    }
}
