package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.linux.Errno;

/**
 * The device-level guards of the reliability issue: a pool file's directory entry is synced
 * when it is made; a device smaller than its pool is refused at open, read-only too; a
 * permission error says what access is needed and what the file allows.
 */
class NativeDeviceSafetyTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedPoolFileIsRefusedAtOpenNamingTheSizes() throws IOException {
        Path file = dir.resolve("shrunk.img");
        Mpool.create("shrunk", file, new CreateOptions().size(64L << 20).mblockSize(1 << 20))
                .close();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        for (boolean readOnly : new boolean[] {false, true}) {
            MpoolException e = catchThrowableOfType(
                    MpoolException.class, () -> (readOnly ? Mpool.openReadOnly(file) : Mpool.open(file)).close());
            assertThat(e).as("open, read-only %s", readOnly).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT);
            assertThat(e.getMessage())
                    .contains("smaller than the pool")
                    .contains(String.valueOf(32L << 20))
                    .contains(String.valueOf(64L << 20));
        }
    }

    @Test
    void creatingAPoolFileSyncsItsDirectory() throws Exception {
        Commands.Result strace = Commands.run("strace", "-V");
        assumeTrue(strace.ok(), "strace is not installed (apt-get install strace): skipped");
        // A child JVM creates the file under strace; the trace must show the directory's fsync.
        Path trace = dir.resolve("trace.txt");
        Path file = dir.resolve("new.img");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Commands.Result r = Commands.run(
                "strace",
                "-f",
                "-e",
                "trace=openat,fsync",
                "-o",
                trace.toString(),
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CreateOneFile.class.getName(),
                file.toString());
        assertThat(r.ok()).as("the traced child: %s", r).isTrue();
        String log = Files.readString(trace);
        String dirOpen = "openat(AT_FDCWD, \"" + dir + "\", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = ";
        int at = log.indexOf(dirOpen);
        assertThat(at).as("the directory is opened:%n%s", log).isPositive();
        String fd = log.substring(at + dirOpen.length()).split("\\s")[0];
        // With threads, strace splits a call another thread interrupts: "PID fsync(FD <unfinished ...>"
        // then "PID <... fsync resumed>) = 0" (seen under load).
        Matcher split = Pattern.compile("(?m)^(\\d+) fsync\\(" + fd + " <unfinished \\.\\.\\.>$")
                .matcher(log);
        boolean splitAndSucceeded = split.find()
                && Pattern.compile("(?m)^" + split.group(1) + " <\\.\\.\\. fsync resumed>\\)\\s+= 0$")
                        .matcher(log)
                        .find(split.end());
        assertThat(splitAndSucceeded
                        || Pattern.compile("fsync\\(" + fd + "\\)\\s+= 0")
                                .matcher(log)
                                .find())
                .as("the directory's fd is fsync'ed:%n%s", log)
                .isTrue();
    }

    /** The child of {@link #creatingAPoolFileSyncsItsDirectory}: makes one device file. */
    static final class CreateOneFile {
        public static void main(String[] args) {
            NativeDevice.createFile(Path.of(args[0]), 1 << 20, NativeDevice.OpenOptions.EXCLUSIVE)
                    .close();
        }
    }

    @Test
    void aPermissionErrorSaysWhatAccessIsNeededAndWhatTheFileAllows() throws IOException {
        Path file = Files.createFile(dir.resolve("theirs.img"));
        MpoolException write = NativeDevice.openError(file, Errno.EACCES, false);
        assertThat(write.code()).isEqualTo(ErrorCode.PERMISSION);
        assertThat(write.getMessage())
                .contains(file.toString())
                .contains("read and write permission")
                .containsPattern("owned by \\d+:\\d+ with mode 0\\d{3}");
        assertThat(NativeDevice.openError(file, Errno.EACCES, true).getMessage())
                .contains("needs read permission");
        assertThat(NativeDevice.openError(file, Errno.EROFS, false).getMessage())
                .contains("read-only");
    }
}
