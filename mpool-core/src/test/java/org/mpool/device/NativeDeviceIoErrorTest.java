package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.NativeDevice.OpenOptions;

/**
 * A failed system call becomes an error naming the path, offset, length and errno. The failure
 * is real: a sparse file larger than the 1 MiB tmpfs it lives on runs out of space. Needs root
 * to mount the tmpfs; skipped with a message otherwise.
 */
class NativeDeviceIoErrorTest {
    @TempDir
    Path dir;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        assumeTrue(Commands.isRoot(), "mounting a tmpfs needs root: skipped");
        mountPoint = Files.createDirectory(dir.resolve("tiny"));
        Commands.Result r = Commands.run("mount", "-t", "tmpfs", "-o", "size=1m", "mpool-test", mountPoint.toString());
        assumeTrue(r.ok(), () -> "cannot mount a tmpfs (" + r + "): skipped");
        mounted = true;
    }

    @AfterEach
    void unmount() {
        if (mounted) {
            Commands.Result r = Commands.run("umount", mountPoint.toString());
            if (!r.ok()) {
                throw new IllegalStateException("could not unmount " + mountPoint + ": " + r);
            }
        }
    }

    @Test
    void aWriteThatRunsOutOfSpaceNamesPathOffsetLengthAndErrno() {
        Path file = mountPoint.resolve("device.img");
        NativeDevice device;
        try {
            device = NativeDevice.createFile(file, 8 << 20, OpenOptions.EXCLUSIVE);
        } catch (MpoolException e) {
            assumeTrue(false, "tmpfs refused the device file (" + e.getMessage() + "): skipped");
            return;
        }
        long offset = 1 << 20;
        long length = 4 << 20;
        try (device;
                Arena arena = Arena.ofConfined()) {
            MemorySegment buf = BytePatterns.pattern(arena, offset, length, 41);
            assertThatThrownBy(() -> device.write(offset, buf)).isInstanceOfSatisfying(MpoolException.class, e -> {
                assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
                assertThat(e.getMessage())
                        .contains("write", file.toString(), "offset " + offset, length + " bytes", "ENOSPC");
            });
        }
    }
}
