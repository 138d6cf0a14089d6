package org.mpool.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LibC downcalls return results, or the errno captured at the call as a negative number. */
class LibCErrnoTest {
    @TempDir
    Path dir;

    @Test
    void openReportsEnoentAndEexist() throws Exception {
        assertThat(LibC.open(dir.resolve("missing").toString(), LibC.O_RDONLY, 0))
                .isEqualTo(-Errno.ENOENT);
        Path file = Files.createFile(dir.resolve("file"));
        assertThat(LibC.open(file.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL, 0600))
                .isEqualTo(-Errno.EEXIST);
    }

    @Test
    void closeOfABadDescriptorReportsEbadf() {
        assertThat(LibC.close(-1)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void lseekToTheEndReturnsTheFileSize() throws Exception {
        Path file = Files.write(dir.resolve("file"), new byte[12345]);
        int fd = LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        try {
            assertThat(LibC.lseek(fd, 0, LibC.SEEK_END)).isEqualTo(12345);
        } finally {
            assertThat(LibC.close(fd)).isZero();
        }
    }

    @Test
    void aConflictingFlockReportsEagainAndProcLocksNamesThisProcess() throws Exception {
        Path file = Files.createFile(dir.resolve("lock"));
        int first = LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        int second = LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        try {
            assertThat(LibC.flock(first, LibC.LOCK_EX | LibC.LOCK_NB)).isZero();
            assertThat(LibC.flock(second, LibC.LOCK_EX | LibC.LOCK_NB)).isEqualTo(-Errno.EAGAIN);
            assertThat(ProcLocks.flockHolder(file))
                    .isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));

            assertThat(LibC.flock(first, LibC.LOCK_UN)).isZero();
            assertThat(ProcLocks.flockHolder(file)).isEmpty();
            assertThat(LibC.flock(second, LibC.LOCK_EX | LibC.LOCK_NB)).isZero();
        } finally {
            LibC.close(first);
            LibC.close(second);
        }
    }
}
