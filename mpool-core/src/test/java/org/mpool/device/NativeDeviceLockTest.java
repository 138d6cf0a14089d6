package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.NativeDevice.OpenOptions;

/**
 * The exclusive open takes an flock that other opens, in this process or another, respect; a
 * refused open names the holder's pid; close releases the lock.
 */
class NativeDeviceLockTest {
    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void createDevice() {
        file = dir.resolve("device.img");
        NativeDevice.createFile(file, 1 << 20, OpenOptions.SHARED).close();
    }

    @Test
    void aSecondExclusiveOpenInThisProcessFailsNamingThisPid() {
        try (NativeDevice holder = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
            assertThatThrownBy(() -> NativeDevice.open(file, OpenOptions.EXCLUSIVE))
                    .isInstanceOfSatisfying(MpoolException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
                        assertThat(e.getMessage())
                                .contains(
                                        file.toString(),
                                        "process " + ProcessHandle.current().pid() + " (this process)");
                    });
            assertThat(holder.sizeBytes()).isEqualTo(1 << 20);
        }
    }

    @Test
    void closeReleasesTheLock() {
        NativeDevice.open(file, OpenOptions.EXCLUSIVE).close();
        try (NativeDevice again = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
            assertThat(again.readOnly()).isFalse();
        }
    }

    @Test
    void sharedOpensTakeNoLock() {
        try (NativeDevice exclusive = NativeDevice.open(file, OpenOptions.EXCLUSIVE);
                NativeDevice shared = NativeDevice.open(file, OpenOptions.SHARED)) {
            assertThat(shared.readOnly()).isFalse();
            assertThat(exclusive.readOnly()).isFalse();
        }
    }

    @Test
    void refusedOpensLeakNoFileDescriptors() throws IOException {
        try (NativeDevice _ = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
            long before = openFileDescriptors();
            int attempts = 50;
            for (int i = 0; i < attempts; i++) {
                assertThatThrownBy(() -> NativeDevice.open(file, OpenOptions.EXCLUSIVE))
                        .isInstanceOf(MpoolException.class);
            }
            assertThat(openFileDescriptors() - before)
                    .as("descriptors gained over %d refused opens", attempts)
                    .isLessThan(attempts);
        }
    }

    @Test
    void anotherProcessCannotLockWhileHeldAndCanAfterClose() {
        assumeFlockCommand();
        try (NativeDevice _ = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
            Commands.Result whileHeld = Commands.run("flock", "-n", file.toString(), "true");
            assertThat(whileHeld.exitStatus())
                    .as("flock -n while held: %s", whileHeld)
                    .isEqualTo(1);
        }
        Commands.Result afterClose = Commands.run("flock", "-n", file.toString(), "true");
        assertThat(afterClose.exitStatus())
                .as("flock -n after close: %s", afterClose)
                .isZero();
    }

    @Test
    void aLockHeldByAnotherProcessFailsNamingItsPid() throws Exception {
        assumeFlockCommand();
        // flock(1) takes the lock, then runs the shell, which reports and waits for stdin to close.
        Process child = new ProcessBuilder("flock", file.toString(), "sh", "-c", "echo locked; exec cat")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("child reports the lock taken").isEqualTo("locked");

            assertThatThrownBy(() -> NativeDevice.open(file, OpenOptions.EXCLUSIVE))
                    .isInstanceOfSatisfying(MpoolException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
                        assertThat(e.getMessage())
                                .contains(file.toString(), "process " + child.pid())
                                .doesNotContain("this process");
                    });

            child.getOutputStream().close();
            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("child exits when its stdin closes")
                    .isTrue();
            try (NativeDevice after = NativeDevice.open(file, OpenOptions.EXCLUSIVE)) {
                assertThat(after.readOnly()).isFalse();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void assumeFlockCommand() {
        Commands.Result version = Commands.run("flock", "--version");
        assumeTrue(version.ok(), () -> "flock(1) from util-linux is not available: " + version);
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
