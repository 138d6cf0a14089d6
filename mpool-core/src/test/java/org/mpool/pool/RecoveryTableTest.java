package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.format.FormatVersion;
import org.mpool.format.Superblock;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fate;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MediaDamage;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * The recovery table of docs/FORMAT.md §6, row by row: for every {@link RecoveryCase} one pool
 * brought by hand into the state the row describes (damaged bytes, a crash image with chosen
 * fates for the unflushed writes, a forged catalog record, a missing device), then opened: the
 * open must fail with the row's error, or recover and report the row and leave the state the
 * row promises. A row without a case here fails the test. The pool crash explorer covers the
 * combinations at random; this covers every row deterministically.
 */
class RecoveryTableTest {
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final Path STAGING = Path.of("/memory/staging");
    private static final long DEVICE_BYTES = 16L << 20;
    private static final int PAGE = 4096;

    private static final Map<RecoveryCase, Consumer<RecoveryCase>> CASES = new EnumMap<>(RecoveryCase.class);

    static {
        CASES.put(RecoveryCase.SUPERBLOCK_COPY_BAD, row -> superblockCopyBad());
        CASES.put(RecoveryCase.SUPERBLOCKS_BAD, RecoveryTableTest::superblocksBad);
        CASES.put(RecoveryCase.NEWER_FORMAT, RecoveryTableTest::newerFormat);
        CASES.put(RecoveryCase.COMPACTION_ROLLED_BACK, row -> compactionRolledBack());
        CASES.put(RecoveryCase.UNCONFIRMED_COMMIT_CANCELLED, row -> unconfirmedCommit(Fate.LOST, row));
        CASES.put(RecoveryCase.UNCONFIRMED_COMMIT_KEPT, row -> unconfirmedCommit(Fate.KEPT, row));
        CASES.put(RecoveryCase.UNCOMMITTED_OBJECTS_FREED, row -> uncommittedObjectsFreed());
        CASES.put(RecoveryCase.IDS_NOT_REUSED, row -> idsNotReused());
        CASES.put(RecoveryCase.ZONE_OWNED_TWICE, RecoveryTableTest::zoneOwnedTwice);
        CASES.put(RecoveryCase.GROWN_DEVICE_RECORDED, row -> grownDeviceRecorded());
        CASES.put(RecoveryCase.DEVICE_MISSING, RecoveryTableTest::deviceMissing);
        CASES.put(RecoveryCase.UPGRADED, row -> upgraded());
    }

    @ParameterizedTest
    @EnumSource(RecoveryCase.class)
    void everyRowOfTheTableDoesWhatItSays(RecoveryCase row) {
        assertThat(CASES).as("a hand-built case for every row of the table").containsKey(row);
        CASES.get(row).accept(row);
    }

    // ---------------------------------------------------------------- the cases, one per row

    private static void superblockCopyBad() {
        MemoryDevices devices = newPool();
        MemoryDevice media = (MemoryDevice) devices.get(CAPACITY);
        new MediaDamage(media.media()).flipBit(Superblock.OFF_ZONE_COUNT, 2); // copy 0, inside its CRC
        try (Pool pool = PoolOpener.open(CAPACITY, devices, false)) {
            assertThat(rows(pool)).as("open reports the bad copy").contains(RecoveryCase.SUPERBLOCK_COPY_BAD);
        }
        for (long offset : Superblock.COPY_OFFSETS) {
            assertThat(Superblock.check(media.media().asSlice(offset, Superblock.SIZE)))
                    .as("copy at %d, rewritten", offset)
                    .isEqualTo(Superblock.Check.VALID);
        }
    }

    private static void superblocksBad(RecoveryCase row) {
        MemoryDevices devices = newPool();
        MediaDamage damage = new MediaDamage(((MemoryDevice) devices.get(CAPACITY)).media());
        for (long offset : Superblock.COPY_OFFSETS) {
            damage.flipBit(offset + Superblock.OFF_ZONE_BYTES, 0);
        }
        expectOpenFails(devices, row, "both superblock copies");
    }

    private static void newerFormat(RecoveryCase row) {
        MemoryDevices devices = newPool();
        setVersion(((MemoryDevice) devices.get(CAPACITY)).media(), FormatVersion.CURRENT + 1);
        expectOpenFails(devices, row, "newer format version");
    }

    /** Both superblock copies of {@code media} claim {@code version} (their checksums made right). */
    private static void setVersion(MemorySegment media, int version) {
        for (long offset : Superblock.COPY_OFFSETS) {
            MemorySegment sb = media.asSlice(offset, Superblock.SIZE);
            sb.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), Superblock.OFF_VERSION, (short)
                    version);
            sb.set(U32, Superblock.OFF_BLKID_CRC, crc(sb, Superblock.OFF_BLKID_CRC));
            sb.set(U32, Superblock.OFF_CRC, crc(sb, Superblock.OFF_CRC));
        }
    }

    /** A pool whose superblocks say version 1: a read-write open upgrades it, a read-only one reads it as it is. */
    private static void upgraded() {
        MemoryDevices devices = newPool();
        MemorySegment media = ((MemoryDevice) devices.get(CAPACITY)).media();
        setVersion(media, FormatVersion.V1);
        try (Pool pool = PoolOpener.open(CAPACITY, devices, true)) {
            assertThat(rows(pool)).as("a read-only open changes nothing").doesNotContain(RecoveryCase.UPGRADED);
        }
        assertThat(Superblock.versionOf(media)).as("after a read-only open").isEqualTo(FormatVersion.V1);
        try (Pool pool = PoolOpener.open(CAPACITY, devices, false)) {
            assertThat(rows(pool)).as("a read-write open upgrades").contains(RecoveryCase.UPGRADED);
        }
        for (long offset : Superblock.COPY_OFFSETS) {
            assertThat(Superblock.versionOf(media.asSlice(offset)))
                    .as("copy at %d", offset)
                    .isEqualTo(FormatVersion.CURRENT);
        }
        try (Pool pool = PoolOpener.open(CAPACITY, devices, false)) {
            assertThat(rows(pool)).as("once is enough").doesNotContain(RecoveryCase.UPGRADED);
        }
    }

    /** A shard compaction whose new log got its first block (flushed), then power failed. */
    private static void compactionRolledBack() {
        MemoryDevice media = newPoolMedia();
        FaultInjectingDevice faulty = FaultInjectingDevice.forCrashes(media);
        ObjectId kept = untilCrash(faulty, pool -> {
            ObjectId id = commitOne(pool, 1);
            faulty.crashAfterWrites(faulty.writeCount() + 1);
            assertThatThrownBy(pool::compactMetadata)
                    .as("the compaction meets the power failure")
                    .isInstanceOfSatisfying(
                            MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO));
            return id;
        });
        try (MemoryDevice image = faulty.durableImage();
                Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(image), false)) {
            assertThat(rows(pool))
                    .as("open takes the state before the compaction")
                    .contains(RecoveryCase.COMPACTION_ROLLED_BACK);
            assertThat(ids(pool)).as("the state before it").containsExactly(kept);
        }
    }

    /**
     * A commit whose flush failed, imaged with the commit record kept and the data as
     * {@code dataFate}: a torn commit is cancelled, an intact one kept.
     */
    private static void unconfirmedCommit(Fate dataFate, RecoveryCase row) {
        MemoryDevice media = newPoolMedia();
        FaultInjectingDevice faulty = FaultInjectingDevice.forCrashes(media);
        ObjectId id = untilCrash(faulty, pool -> {
            try (Arena arena = Arena.ofConfined()) {
                MblockWrite w = pool.mblocks().allocate(MediaClass.CAPACITY, false);
                w.write(pattern(arena, 7));
                faulty.inject(new Fault(Op.FLUSH, ErrorCode.IO, 0, 1));
                assertThatThrownBy(() -> w.commit(true))
                        .as("the commit's flush fails")
                        .isInstanceOfSatisfying(
                                MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO));
                return w.id();
            }
        });
        List<FaultInjectingDevice.UnflushedWrite> unflushed = faulty.unflushedWrites();
        assertThat(unflushed)
                .as("the data write, its page-checksum table, then the shard log's block with the commit record")
                .hasSize(3);
        try (MemoryDevice image = faulty.crashImage(List.of(dataFate, Fate.KEPT, Fate.KEPT), 1);
                Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(image), false)) {
            assertThat(rows(pool)).as("the commit no flush confirmed").contains(row);
            if (dataFate == Fate.LOST) {
                assertThat(ids(pool)).as("a torn commit never happened").isEmpty();
            } else {
                assertThat(ids(pool)).as("an intact commit happened").containsExactly(id);
                assertThat(PoolChecks.check(pool, (done, total) -> 0).problems())
                        .as("its data checks")
                        .isEmpty();
            }
        }
    }

    private static void uncommittedObjectsFreed() {
        MemoryDevice media = newPoolMedia();
        FaultInjectingDevice faulty = FaultInjectingDevice.forCrashes(media);
        long usedBefore = untilCrash(faulty, pool -> {
            try (Arena arena = Arena.ofConfined()) {
                long used = pool.stats().classes().get(MediaClass.CAPACITY).usedBytes();
                pool.mblocks().allocate(MediaClass.CAPACITY, false).write(pattern(arena, 3));
                pool.logs().allocate(ObjectId.Type.MLOG, MediaClass.CAPACITY, 1 << 20);
                pool.logs().allocate(ObjectId.Type.MDC, MediaClass.CAPACITY, 1 << 20);
                faulty.flush();
                return used;
            }
        });
        try (MemoryDevice image = faulty.durableImage();
                Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(image), false)) {
            assertThat(ids(pool)).as("nothing was committed").isEmpty();
            assertThat(pool.stats().classes().get(MediaClass.CAPACITY).usedBytes())
                    .as("their zones are free")
                    .isEqualTo(usedBefore);
        }
    }

    private static void idsNotReused() {
        MemoryDevice media = newPoolMedia();
        FaultInjectingDevice faulty = FaultInjectingDevice.forCrashes(media);
        long highest = untilCrash(faulty, pool -> {
            long max = commitOne(pool, 1).uniquifier();
            for (int i = 0; i < 3; i++) {
                max = Math.max(
                        max,
                        pool.mblocks().allocate(MediaClass.CAPACITY, false).id().uniquifier());
            }
            return max;
        });
        try (MemoryDevice image = faulty.durableImage();
                Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(image), false)) {
            ObjectId next = pool.mblocks().allocate(MediaClass.CAPACITY, false).id();
            assertThat(next.uniquifier())
                    .as("above every id handed out before the crash, committed or not")
                    .isGreaterThan(highest);
        }
    }

    /** A commit record forged to name the zone of a committed mblock. */
    private static void zoneOwnedTwice(RecoveryCase row) {
        MemoryDevices devices = newPool();
        try (Pool pool = PoolOpener.open(CAPACITY, devices, false)) {
            ObjectInfo a = pool.info(commitOne(pool, 1));
            long zone = a.offsetBytes() / a.capacityBytes();
            pool.shards()
                    .getFirst()
                    .commit(
                            new CatalogRecord.Mblock(
                                    ObjectId.of(1L << 40, ObjectId.Type.MBLOCK, 1)
                                            .value(),
                                    MediaClass.CAPACITY.code(),
                                    zone,
                                    0,
                                    0,
                                    0),
                            true);
        }
        expectOpenFails(devices, row, "owned twice");
    }

    /**
     * A grow whose superblock write was flushed and whose MDC-0 record was not (power failed as it
     * was written): the pool opens with its new size and records it; a second open finds nothing
     * to do. A record ahead of its superblock cannot come from a crash: CORRUPT.
     */
    private static void grownDeviceRecorded() {
        MemoryDevice media = new MemoryDevice("grown", 2 * DEVICE_BYTES);
        MemorySegment.copy(newPoolMedia().media(), 0, media.media(), 0, DEVICE_BYTES);
        FaultInjectingDevice faulty = FaultInjectingDevice.forCrashes(media);
        untilCrash(faulty, pool -> {
            faulty.crashAfterWrites(faulty.writeCount() + Superblock.COPY_OFFSETS.length);
            assertThatThrownBy(() -> Growth.grow(pool, MediaClass.CAPACITY, 0, (d, t) -> 0))
                    .as("the grow meets the power failure after its superblock")
                    .isInstanceOfSatisfying(
                            MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO));
            return null;
        });
        MemoryDevice image = faulty.durableImage();
        MemoryDevices devices = MemoryDevices.serving(image);
        try (Pool pool = PoolOpener.open(CAPACITY, devices, true)) {
            assertThat(rows(pool)).as("read-only: found").contains(RecoveryCase.GROWN_DEVICE_RECORDED);
            assertThat(pool.config().mediaClasses().get(MediaClass.CAPACITY).zoneCount())
                    .as("read-only: not recorded")
                    .isEqualTo(DEVICE_BYTES >> 20);
        }
        try (Pool pool = PoolOpener.open(CAPACITY, devices, false)) {
            assertThat(rows(pool)).as("the grow cut short").contains(RecoveryCase.GROWN_DEVICE_RECORDED);
            assertThat(pool.stats().classes().get(MediaClass.CAPACITY).totalBytes())
                    .as("the superblock decides")
                    .isEqualTo(2 * DEVICE_BYTES);
            assertThat(pool.config().mediaClasses().get(MediaClass.CAPACITY).zoneCount())
                    .as("recorded")
                    .isEqualTo(2 * DEVICE_BYTES >> 20);
        }
        try (Pool pool = PoolOpener.open(CAPACITY, devices, false)) {
            assertThat(rows(pool)).as("once is enough").doesNotContain(RecoveryCase.GROWN_DEVICE_RECORDED);
            CatalogRecord.MediaClassInfo info = pool.config().mediaClasses().get(MediaClass.CAPACITY);
            pool.config()
                    .update(List.of(new CatalogRecord.MediaClassInfo(
                            info.classCode(), info.deviceUuid(), info.zoneBytes(), info.zoneCount() + 1, info.path())));
        }
        assertThatThrownBy(() -> PoolOpener.open(CAPACITY, devices, false).close())
                .as("a record ahead of its superblock")
                .isInstanceOfSatisfying(MpoolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT);
                    assertThat(e.getMessage()).contains("33 zones", "its superblock 32", "never shrinks");
                });
        image.close();
    }

    private static void deviceMissing(RecoveryCase row) {
        MemoryDevices devices = new MemoryDevices();
        PoolCreator.create("recovery", CAPACITY, options().staging(STAGING, DEVICE_BYTES, 1 << 20), devices);
        MemoryDevices withoutStaging = new MemoryDevices().put(CAPACITY, devices.get(CAPACITY));
        expectOpenFails(withoutStaging, row, "staging");
    }

    // ---------------------------------------------------------------- helpers

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static CreateOptions options() {
        return new CreateOptions()
                .size(DEVICE_BYTES)
                .mblockSize(1 << 20)
                .shards(1)
                .sparePercent(0);
    }

    private static MemoryDevices newPool() {
        MemoryDevices devices = new MemoryDevices();
        PoolCreator.create("recovery", CAPACITY, options(), devices);
        return devices;
    }

    private static MemoryDevice newPoolMedia() {
        return (MemoryDevice) newPool().get(CAPACITY);
    }

    /** Opens the pool on {@code faulty}, does {@code work}, then power fails (if it has not). */
    private static <T> T untilCrash(FaultInjectingDevice faulty, Function<Pool, T> work) {
        Pool pool = PoolOpener.open(CAPACITY, MemoryDevices.serving(faulty), false);
        try {
            return work.apply(pool);
        } finally {
            if (!faulty.crashed()) {
                faulty.crashNow();
            }
            try {
                pool.close();
            } catch (MpoolException afterCrash) {
                // closing after power failed fails too; the crash image is what counts
            }
        }
    }

    private static void expectOpenFails(MemoryDevices devices, RecoveryCase row, String says) {
        assertThatThrownBy(() -> PoolOpener.open(CAPACITY, devices, false).close())
                .as(row.name())
                .isInstanceOfSatisfying(MpoolException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(row.error());
                    assertThat(e.getMessage())
                            .as("the error names what it found")
                            .contains(says);
                });
    }

    private static ObjectId commitOne(Pool pool, int seed) {
        try (Arena arena = Arena.ofConfined()) {
            MblockWrite w = pool.mblocks().allocate(MediaClass.CAPACITY, false);
            w.write(pattern(arena, seed));
            w.commit(true);
            return w.id();
        }
    }

    private static MemorySegment pattern(Arena arena, int seed) {
        MemorySegment page = AlignedBuffers.allocate(arena, PAGE);
        for (int i = 0; i < PAGE; i++) {
            page.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + seed));
        }
        return page;
    }

    private static List<RecoveryCase> rows(Pool pool) {
        return pool.recovery().stream().map(RecoveryCase.Found::what).toList();
    }

    private static List<ObjectId> ids(Pool pool) {
        return pool.objects().stream().map(ObjectInfo::id).toList();
    }

    private static int crc(MemorySegment s, int length) {
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
