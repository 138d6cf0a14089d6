package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;

/** {@code mpool quickstart}: the tour runs, cleans up after itself, and reports bad input. */
class QuickstartCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void captureOutput() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void toursAPoolAndRemovesItsDeviceFile() throws IOException {
        int status = MpoolCommand.execute("quickstart", "--dir", dir.toString(), "--mblocks", "1");
        assertThat(status).as("exit status; stderr: %s", err).isZero();
        assertThat(filesIn(dir)).as("files left in --dir").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "32.0 MiB committed",
                        "every page checked against its checksum",
                        "the mlog holds 10000 records",
                        "destroyed the pool");
    }

    @Test
    void keepLeavesAPoolThatOpensAgain() throws IOException {
        int status = MpoolCommand.execute("quickstart", "--dir", dir.toString(), "--mblocks", "1", "--keep");
        assertThat(status).as("exit status; stderr: %s", err).isZero();
        try (Mpool pool = Mpool.open(dir.resolve("quickstart.img"))) {
            assertThat(pool.name()).isEqualTo("quickstart");
            assertThat(pool.stats().mblocks()).isEqualTo(1);
        }
    }

    @Test
    void anUnparsableCountIsAUsageError() throws IOException {
        assertThat(MpoolCommand.execute("quickstart", "--dir", dir.toString(), "--mblocks", "3x"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("3x");
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void anOutOfRangeCountIsAUsageError() throws IOException {
        assertThat(MpoolCommand.execute("quickstart", "--dir", dir.toString(), "--mblocks", "0"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("INVALID_ARGUMENT", "--mblocks");
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void anExistingDeviceFileIsLeftAloneAndReported() throws IOException {
        Path existing = Files.writeString(dir.resolve("quickstart.img"), "someone else's data");
        assertThat(MpoolCommand.execute("quickstart", "--dir", dir.toString())).isEqualTo(1);
        assertThat(Files.readString(existing)).isEqualTo("someone else's data");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("EXISTS", existing.toString());
    }

    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
