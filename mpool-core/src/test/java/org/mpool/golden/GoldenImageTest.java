package org.mpool.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CheckReport;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectInfo;
import org.mpool.format.FormatVersion;
import org.mpool.format.LogFormat;
import org.mpool.format.LogIds;
import org.mpool.format.Superblock;
import org.mpool.testing.MemoryDevice;

/**
 * The golden images (docs/FORMAT.md §7): every released format version's pool, which this code
 * must open, recover, upgrade if need be, and read back exactly as its manifest records it; and
 * a newer version than this code knows, which it must refuse with UNSUPPORTED.
 */
class GoldenImageTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static Stream<Arguments> versions() {
        return GoldenImages.versions().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void everyFormatVersionUpToTheCurrentOneHasAGoldenImage() {
        assertThat(GoldenImages.versions().keySet())
                .as("golden/v<version> directories: a format change adds its version's image (GoldenImages)")
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, FormatVersion.CURRENT).boxed().toList());
    }

    @ParameterizedTest(name = "format version {0}")
    @MethodSource("versions")
    void theImageOpensAndHoldsExactlyItsManifest(int version, Path dir) throws IOException {
        try (GoldenImages.Image image = GoldenImages.load(version, dir)) {
            GoldenManifest m = image.manifest();
            for (GoldenManifest.Device d : m.devices()) {
                assertThat(superblockVersions(image.media().get(d.mediaClass())))
                        .as("v%d: the format version in both superblock copies of %s", version, d.path())
                        .containsExactly(version, version);
            }

            // Read-only first, on the image as it was released: nothing may be written.
            Map<MediaClass, String> before = hashes(image);
            try (Mpool pool = Mpool.openReadOnly(image.capacityPath(), image.devices())) {
                assertThat(pool.readOnly()).isTrue();
                GoldenChecks.verify(pool, m, "v" + version + ", read-only");
            }
            assertThat(hashes(image))
                    .as("v%d: a read-only open changed the devices", version)
                    .isEqualTo(before);

            // Read-write: recovery and any upgrade run, then everything is there, and stays there.
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                assertThat(pool.readOnly()).isFalse();
                GoldenChecks.verify(pool, m, "v" + version + ", first read-write open");
                for (GoldenManifest.Mlog l : m.mlogs()) {
                    try (Mlog log = pool.openMlog(l.id())) {
                        assertThat(log.generation())
                                .as("v%d: generation of mlog %s", version, l.id())
                                .isEqualTo(l.generation());
                    }
                }
            }
            for (GoldenManifest.Device d : m.devices()) {
                assertThat(superblockVersions(image.media().get(d.mediaClass())))
                        .as(
                                "v%d: after a read-write open, both superblock copies of %s are of the current format "
                                        + "version (an older one was upgraded)",
                                version, d.path())
                        .containsExactly(FormatVersion.CURRENT, FormatVersion.CURRENT);
            }
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                GoldenChecks.verify(pool, m, "v" + version + ", reopened read-write");
            }
            try (Mpool pool = Mpool.openReadOnly(image.capacityPath(), image.devices())) {
                GoldenChecks.verify(pool, m, "v" + version + ", read-only after the read-write opens");
            }
        }
    }

    /** The generator still works: what it builds now verifies against what it records. */
    @Test
    void theGeneratorBuildsAnImageThatHoldsItsManifest(@TempDir Path root) throws IOException {
        Path dir = GoldenImages.writeCurrent(root, false);
        try (GoldenImages.Image image = GoldenImages.load(FormatVersion.CURRENT, dir)) {
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                GoldenChecks.verify(pool, image.manifest(), "a freshly generated image");
            }
        }
        assertThatThrownBy(() -> GoldenImages.writeCurrent(root, false))
                .as("the generator replaced a version's images without being forced")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never change");
    }

    // ---------------------------------------------------------------- newer versions

    @Test
    void aCapacityDeviceOfANewerFormatVersionIsUnsupported() throws IOException {
        try (GoldenImages.Image image = currentImage()) {
            setSuperblockVersion(image.capacity().media(), FormatVersion.CURRENT + 1);
            String path = image.capacityPath().toString();
            for (boolean readOnly : new boolean[] {false, true}) {
                MpoolException e = openFails(image, readOnly);
                assertThat(e.code()).as("read-only %s: %s", readOnly, e).isEqualTo(ErrorCode.UNSUPPORTED);
                assertThat(e.getMessage())
                        .as("read-only %s: the message names the device and the reason", readOnly)
                        .contains(path)
                        .contains("newer format version");
            }
        }
    }

    @Test
    void aStagingDeviceOfANewerFormatVersionIsUnsupported() throws IOException {
        try (GoldenImages.Image image = currentImage()) {
            setSuperblockVersion(image.media().get(MediaClass.STAGING).media(), FormatVersion.CURRENT + 1);
            String path = image.device(MediaClass.STAGING).path().toString();
            for (boolean readOnly : new boolean[] {false, true}) {
                MpoolException e = openFails(image, readOnly);
                assertThat(e.code()).as("read-only %s: %s", readOnly, e).isEqualTo(ErrorCode.UNSUPPORTED);
                assertThat(e.getMessage())
                        .as("read-only %s: the message names the device and the reason", readOnly)
                        .contains("staging device")
                        .contains(path)
                        .contains("newer format version");
            }
        }
    }

    /** MDC-0's log is read before anything else of the pool: a newer log block fails the open. */
    @Test
    void aMetadataLogOfANewerFormatVersionIsUnsupported() throws IOException {
        try (GoldenImages.Image image = currentImage()) {
            MemorySegment media = image.capacity().media();
            Superblock sb = Superblock.decode(media.asSlice(Superblock.COPY_OFFSETS[0], Superblock.SIZE));
            setLogBlockVersion(media, sb.mdc0Offset(), sb.poolUuid(), LogIds.mdc0(0), LogFormat.VERSION + 1);
            for (boolean readOnly : new boolean[] {false, true}) {
                MpoolException e = openFails(image, readOnly);
                assertThat(e.code()).as("read-only %s: %s", readOnly, e).isEqualTo(ErrorCode.UNSUPPORTED);
                assertThat(e.getMessage())
                        .as("read-only %s: the message names the device and the reason", readOnly)
                        .contains(image.capacityPath().toString())
                        .contains("newer format")
                        .contains("version " + (LogFormat.VERSION + 1));
            }
        }
    }

    /** A user mlog is read only when asked for: the pool opens, the mlog is UNSUPPORTED, check reports it. */
    @Test
    void anMlogOfANewerFormatVersionIsUnsupported() throws IOException {
        try (GoldenImages.Image image = currentImage()) {
            GoldenManifest.Mlog target = image.manifest().mlogs().getFirst();
            ObjectInfo info;
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                info = pool.info(target.id());
            }
            GoldenManifest.Device device = image.device(info.mediaClass());
            setLogBlockVersion(
                    image.media().get(info.mediaClass()).media(),
                    info.offsetBytes(),
                    image.manifest().poolUuid(),
                    target.id().value(),
                    LogFormat.VERSION + 1);
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                for (Runnable read : List.<Runnable>of(
                        () -> pool.read(target.id()).readAll(),
                        () -> pool.openMlog(target.id()).close())) {
                    MpoolException e = catchThrowableOfType(MpoolException.class, read::run);
                    assertThat(e)
                            .as("reading mlog %s of a newer format version", target.id())
                            .isNotNull();
                    assertThat(e.code()).as("%s", e).isEqualTo(ErrorCode.UNSUPPORTED);
                    assertThat(e.getMessage())
                            .as("the message names the device and the reason")
                            .contains(device.path().toString())
                            .contains("newer format");
                }
                CheckReport report = pool.check((done, total) -> 0);
                assertThat(report.problems())
                        .as("check() reports the mlog of a newer format version")
                        .hasSize(1)
                        .allSatisfy(p ->
                                assertThat(p).contains(target.id().toString()).contains("newer format"));
            }
        }
    }

    /**
     * A version-1 pool has no root MDC; upgraded, it gets one when first asked: refused with
     * NO_SPACE while the pool is full (it still opens), made once zones are free, and kept.
     */
    @Test
    void anUpgradedVersionOnePoolGetsItsRootMdcWhenFirstAskedAndSpaceAllows() throws IOException {
        try (GoldenImages.Image image =
                GoldenImages.load(1, GoldenImages.versions().get(1))) {
            byte[] manifest = "the manifest of a client".getBytes();
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                MpoolException full = catchThrowableOfType(MpoolException.class, pool::rootMdc);
                assertThat(full)
                        .as("the v1 image is full: no two zones for the root MDC")
                        .isNotNull();
                assertThat(full.code()).as(full.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
                MpoolException none = catchThrowableOfType(MpoolException.class, () -> pool.read(null));
                assertThat(none.code()).as("no root MDC to read yet: %s", none).isEqualTo(ErrorCode.NOT_FOUND);
                for (GoldenManifest.Mblock b : image.manifest().mblocks()) {
                    if (b.mediaClass() == MediaClass.CAPACITY) {
                        pool.delete(b.id());
                    }
                }
                try (Mdc root = pool.rootMdc()) {
                    root.append(manifest, true);
                }
            }
            try (Mpool pool = Mpool.open(image.capacityPath(), image.devices())) {
                assertThat(pool.read(null).readAll())
                        .as("the root MDC, after a reopen")
                        .containsExactly(manifest);
                assertThat(pool.check((done, total) -> 0).problems())
                        .as("check()")
                        .isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static GoldenImages.Image currentImage() throws IOException {
        SortedMap<Integer, Path> versions = GoldenImages.versions();
        assertThat(versions)
                .as("the golden image of the current format version")
                .containsKey(FormatVersion.CURRENT);
        return GoldenImages.load(FormatVersion.CURRENT, versions.get(FormatVersion.CURRENT));
    }

    private static MpoolException openFails(GoldenImages.Image image, boolean readOnly) {
        MpoolException e = catchThrowableOfType(MpoolException.class, () -> {
            if (readOnly) {
                Mpool.openReadOnly(image.capacityPath(), image.devices()).close();
            } else {
                Mpool.open(image.capacityPath(), image.devices()).close();
            }
        });
        assertThat(e).as("opening the pool (read-only %s) failed", readOnly).isNotNull();
        return e;
    }

    private static List<Integer> superblockVersions(MemoryDevice device) {
        return Stream.of(0, 1)
                .map(copy -> Short.toUnsignedInt(
                        device.media().get(U16, Superblock.COPY_OFFSETS[copy] + Superblock.OFF_VERSION)))
                .toList();
    }

    private static Map<MediaClass, String> hashes(GoldenImages.Image image) {
        Map<MediaClass, String> hashes = new HashMap<>();
        image.media().forEach((mc, d) -> hashes.put(mc, GoldenImages.sha256(d.media())));
        return hashes;
    }

    /**
     * Writes {@code version} into both superblock copies and seals them again: the CRC32C of
     * bytes 0..61 at 62 and of bytes 0..251 at 252 (docs/FORMAT.md §2).
     */
    private static void setSuperblockVersion(MemorySegment media, int version) {
        for (long offset : Superblock.COPY_OFFSETS) {
            MemorySegment sb = media.asSlice(offset, Superblock.SIZE);
            sb.set(U16, Superblock.OFF_VERSION, (short) version);
            sb.set(U32, Superblock.OFF_BLKID_CRC, crc32c(sb, Superblock.OFF_BLKID_CRC));
            sb.set(U32, Superblock.OFF_CRC, crc32c(sb, Superblock.OFF_CRC));
            assertThat(Superblock.check(sb))
                    .as("the patched copy at %d", offset)
                    .isEqualTo(Superblock.Check.NEWER_VERSION);
        }
    }

    /**
     * Writes {@code version} into the header of block 0 of the log at {@code offset} and seals it
     * again: its CRC32C is seeded with the pool UUID and the log id (docs/FORMAT.md §3).
     */
    private static void setLogBlockVersion(MemorySegment media, long offset, UUID pool, long logId, int version) {
        LogFormat.Seed seed = new LogFormat.Seed(pool, logId);
        MemorySegment block = media.asSlice(offset, LogFormat.BLOCK_SIZE);
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("block 0 of log %x before the patch", logId)
                .isEqualTo(LogFormat.HeaderCheck.VALID);
        block.set(U16, LogFormat.BH_VERSION, (short) version);
        block.set(U32, LogFormat.BH_CRC, seed.blockHeaderCrc(block));
        assertThat(LogFormat.checkBlockHeader(seed, block))
                .as("block 0 of log %x after the patch", logId)
                .isEqualTo(LogFormat.HeaderCheck.NEWER_VERSION);
    }

    private static int crc32c(MemorySegment s, int length) {
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
