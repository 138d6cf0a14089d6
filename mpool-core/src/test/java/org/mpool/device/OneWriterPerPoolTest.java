package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * One writer per pool whatever the path to its device: the lock is keyed by the pool's UUID,
 * not the device node. A pool file open for writing cannot be opened for writing again through
 * a loop device over it (a flock on the file's inode would not see that), nor the reverse; a
 * read-only open is never refused; after the close either path opens.
 */
class OneWriterPerPoolTest {
    @TempDir
    Path dir;

    @Test
    void aPoolFileAndALoopDeviceOverItHaveOneWriterBetweenThem() {
        Path file = dir.resolve("pool.img");
        Mpool.create("aliased", file, new CreateOptions().size(64L << 20).mblockSize(1 << 20))
                .close();
        Path loop = LoopDevices.attach(file);
        try {
            try (Mpool byFile = Mpool.open(file)) {
                MpoolException e = catchThrowableOfType(
                        MpoolException.class, () -> Mpool.open(loop).close());
                assertThat(e).as("a second writer through %s", loop).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
                assertThat(e.getMessage()).contains(byFile.uuid().toString()).contains("this process");
                try (Mpool reader = Mpool.openReadOnly(loop)) {
                    assertThat(reader.uuid()).isEqualTo(byFile.uuid());
                }
            }
            try (Mpool byLoop = Mpool.open(loop)) {
                MpoolException e = catchThrowableOfType(
                        MpoolException.class, () -> Mpool.open(file).close());
                assertThat(e).as("a second writer through the file").isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
                assertThat(byLoop.name()).isEqualTo("aliased");
            }
            Mpool.open(file).close(); // released by the close
        } finally {
            LoopDevices.detach(loop);
        }
    }

    /** A mounted block device is claimed by the kernel: O_EXCL makes the open fail, a flock alone would not. */
    @Test
    void aMountedBlockDeviceIsNotOpenedForWriting() throws Exception {
        Path file = dir.resolve("fs.img");
        NativeDevice.createFile(file, 64L << 20, NativeDevice.OpenOptions.SHARED)
                .close();
        Path loop = LoopDevices.attach(file);
        Path mountPoint = Files.createDirectory(dir.resolve("mnt"));
        try {
            Commands.Result mkfs = Commands.run("mkfs.ext4", "-q", "-F", loop.toString());
            assumeTrue(mkfs.ok(), () -> "mkfs.ext4 failed (" + mkfs + "): skipped");
            Commands.Result mount = Commands.run("mount", loop.toString(), mountPoint.toString());
            assumeTrue(mount.ok(), () -> "mount failed (" + mount + "): skipped");
            try {
                MpoolException e = catchThrowableOfType(
                        MpoolException.class,
                        () -> NativeDevice.open(loop, NativeDevice.OpenOptions.EXCLUSIVE)
                                .close());
                assertThat(e).as("a read-write open of a mounted device").isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
                assertThat(e.getMessage()).contains("mounted");
                NativeDevice.open(loop, NativeDevice.OpenOptions.READ_ONLY).close(); // inspecting it is fine
            } finally {
                Commands.run("umount", mountPoint.toString());
            }
        } finally {
            LoopDevices.detach(loop);
        }
    }

    @Test
    void aCopyOfAPoolIsTheSamePoolAndWaitsItsTurn() throws Exception {
        Path file = dir.resolve("pool.img");
        Mpool.create("copied", file, new CreateOptions().size(64L << 20).mblockSize(1 << 20))
                .close();
        Path copy = Files.copy(file, dir.resolve("copy.img"));
        try (Mpool original = Mpool.open(file)) {
            // Same UUID: opening both for writing would make the registry and scan see one pool twice.
            MpoolException e = catchThrowableOfType(
                    MpoolException.class, () -> Mpool.open(copy).close());
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
            assertThat(e.getMessage()).contains(original.uuid().toString());
        }
        Mpool.open(copy).close();
    }
}
