package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/** Create (and add) overwrite a device holding data nobody recognises only with force. */
class CreateRefusesDataTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** A 64 MiB sparse file of zeros, with {@code text} written at {@code offset} if not null. */
    private Path file(String name, long offset, String text) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(64 * MIB);
            if (text != null) {
                f.seek(offset);
                f.writeBytes(text);
            }
        }
        return p;
    }

    private static CreateOptions options() {
        return new CreateOptions().mblockSize(MIB);
    }

    @Test
    void dataAtEitherEndIsRefusedWithoutForce() throws Exception {
        for (long offset : new long[] {100, 64 * MIB - 10}) {
            Path dev = file("data" + offset + ".img", offset, "precious");
            assertThatThrownBy(() -> Mpool.create("p", dev, options()))
                    .isInstanceOf(MpoolException.class)
                    .hasMessageContaining(dev.toString())
                    .hasMessageContaining("unrecognised data")
                    .hasMessageContaining(offset == 100 ? "first" : "last")
                    .hasMessageContaining("force")
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.EXISTS);
            Mpool.create("p", dev, options().force(true)).close();
        }
    }

    @Test
    void zerosAndDataInTheMiddleAreNotRefused() throws Exception {
        Mpool.create("zeros", file("zeros.img", 0, null), options()).close();
        Mpool.create("middle", file("middle.img", 32 * MIB, "not looked at"), options())
                .close();
    }

    @Test
    void anEmptyDeviceAndNegativeIdsAreInvalid() throws Exception {
        Path empty = dir.resolve("empty.img");
        Files.createFile(empty);
        assertThatThrownBy(() -> Mpool.create("p", empty, options()))
                .hasMessageContaining("is empty or smaller than one block")
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Path tiny = Files.writeString(dir.resolve("tiny.img"), "four");
        assertThatThrownBy(() -> Mpool.create("p", tiny, options()))
                .hasMessageContaining("smaller than one block")
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(Mpool.probe(tiny))
                .as("too small for a superblock: no pool device")
                .isEmpty();
        assertThat(Mpool.probe(empty)).isEmpty();
        Path dev = file("ids.img", 0, null);
        assertThatThrownBy(() -> Mpool.create("p", dev, options().owner(-5, null, null)))
                .hasMessageContaining("uid must be a non-negative number")
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> Mpool.create("p", dev, options().owner(null, -1, null)))
                .hasMessageContaining("gid must be a non-negative number")
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void addRefusesAStagingDeviceWithData() throws Exception {
        Path staging = file("staging.img", 0, "precious");
        try (Mpool pool = Mpool.create("p", file("cap.img", 0, null), options())) {
            assertThatThrownBy(() -> pool.addStaging(staging, 0, MIB, false))
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.EXISTS);
            pool.addStaging(staging, 0, MIB, true);
            assertThat(pool.devicePath(MediaClass.STAGING)).isEqualTo(staging);
        }
    }
}
