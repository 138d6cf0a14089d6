package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.NativeDevice.OpenOptions;

/** {@link NativeDevice#createFile}: sparse, exactly sized, and never overwrites anything. */
class NativeDeviceCreateFileTest {
    private static final long SIZE_BYTES = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void createsAFileOfTheRequestedSizeWithoutAllocatingIt() throws IOException {
        Path file = dir.resolve("device.img");
        try (NativeDevice device = NativeDevice.createFile(file, SIZE_BYTES, OpenOptions.EXCLUSIVE)) {
            assertThat(device.sizeBytes()).isEqualTo(SIZE_BYTES);
            assertThat(device.kind()).isEqualTo(NativeDevice.Kind.FILE);
            assertThat(device.path()).isEqualTo(file);
        }
        assertThat(Files.size(file)).isEqualTo(SIZE_BYTES);
        Commands.Result stat = Commands.run("stat", "--format=%b %B", file.toString());
        assumeTrue(stat.ok(), () -> "stat(1) unavailable, sparseness not checked: " + stat);
        String[] blocksAndUnit = stat.stdout().strip().split(" ");
        long allocatedBytes = Long.parseLong(blocksAndUnit[0]) * Long.parseLong(blocksAndUnit[1]);
        assertThat(allocatedBytes)
                .as("bytes allocated to a new %d-byte file", SIZE_BYTES)
                .isLessThan(1 << 20);
    }

    @Test
    void anExistingPathFailsWithExistsAndIsLeftUntouched() throws IOException {
        Path file = dir.resolve("precious.img");
        byte[] content = "not an mpool device".getBytes();
        Files.write(file, content);

        assertThatThrownBy(() -> NativeDevice.createFile(file, SIZE_BYTES, OpenOptions.EXCLUSIVE))
                .isInstanceOfSatisfying(MpoolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.EXISTS);
                    assertThat(e.getMessage()).contains(file.toString(), "EEXIST");
                });
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {0, -4096, 1, 512, 4095, 4097, 4096 + 512, Long.MIN_VALUE})
    void sizesThatAreNotPositiveMultiplesOfTheFileBlockAreRejected(long sizeBytes) {
        Path file = dir.resolve("device.img");
        assertThatThrownBy(() -> NativeDevice.createFile(file, sizeBytes, OpenOptions.EXCLUSIVE))
                .isInstanceOfSatisfying(MpoolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(Long.toString(sizeBytes));
                });
        assertThat(file).doesNotExist();
    }

    @Test
    void creatingReadOnlyIsRejected() {
        Path file = dir.resolve("device.img");
        assertThatThrownBy(() -> NativeDevice.createFile(file, SIZE_BYTES, OpenOptions.READ_ONLY))
                .isInstanceOfSatisfying(
                        MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(file).doesNotExist();
    }

    @Test
    void aMissingDirectoryFailsWithNotFound() {
        Path file = dir.resolve("no-such-dir").resolve("device.img");
        assertThatThrownBy(() -> NativeDevice.createFile(file, SIZE_BYTES, OpenOptions.EXCLUSIVE))
                .isInstanceOfSatisfying(MpoolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains(file.toString(), "ENOENT");
                });
    }

    @Test
    void aSizeTheFileSystemCannotHoldFailsWithNoSpaceAndLeavesNoFile() {
        Path file = dir.resolve("huge.img");
        long huge = 1L << 60;
        try {
            NativeDevice.createFile(file, huge, OpenOptions.EXCLUSIVE).close();
            assumeTrue(false, "the file system under " + dir + " allows 2^60-byte files: not testable here");
        } catch (MpoolException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
            assertThat(e.getMessage()).contains(file.toString(), Long.toString(huge), "EFBIG");
        }
        assertThat(file).as("the half-created file is removed").doesNotExist();
    }
}
