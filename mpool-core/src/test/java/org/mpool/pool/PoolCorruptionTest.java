package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.Superblock;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;
import org.mpool.testing.Seeds;

/** Damaged pool metadata: open falls back, or fails with CORRUPT; never wrong data, never another error. */
class PoolCorruptionTest {
    private static final long DEVICE_BYTES = 16L << 20;

    /** A pool with a few mblocks of known bytes; returns their ids. */
    private static List<ObjectId> populate(MemoryDevice media, List<byte[]> contents) {
        List<ObjectId> ids = new ArrayList<>();
        try (Mpool pool = Mpool.create(
                        "damaged",
                        MemoryDevices.DEFAULT_PATH,
                        new CreateOptions().mblockSize(1 << 20).shards(1).sparePercent(0),
                        MemoryDevices.serving(media));
                Arena arena = Arena.ofConfined()) {
            Random random = new Random(5);
            for (int i = 0; i < 4; i++) {
                byte[] data = new byte[5000 + i * 3000];
                random.nextBytes(data);
                MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(data.length, 4096));
                MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(buf.asSlice(0, data.length));
                w.commit();
                ids.add(w.id());
                contents.add(data);
            }
        }
        return ids;
    }

    @Test
    void aDamagedFirstSuperblockCopyIsReportedThenRepaired() {
        try (MemoryDevice media = new MemoryDevice("pool", DEVICE_BYTES)) {
            List<byte[]> contents = new ArrayList<>();
            List<ObjectId> ids = populate(media, contents);
            media.media().set(ValueLayout.JAVA_BYTE, 20, (byte) 0x5a); // inside the name: copy 0's CRC fails
            try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(media))) {
                assertThat(pool.name()).isEqualTo("damaged");
                assertThat(pool.objects()).extracting(ObjectInfo::id).containsExactlyElementsOf(ids);
            }
            MemorySegment copy0 = media.media().asSlice(Superblock.COPY_OFFSETS[0], Superblock.SIZE);
            assertThat(Superblock.check(copy0)).as("open rewrote both copies").isEqualTo(Superblock.Check.VALID);
        }
    }

    @Test
    void bothSuperblockCopiesDamagedIsCorrupt() {
        try (MemoryDevice media = new MemoryDevice("pool", DEVICE_BYTES)) {
            populate(media, new ArrayList<>());
            media.media().set(ValueLayout.JAVA_BYTE, Superblock.COPY_OFFSETS[0] + 60, (byte) 0x11);
            media.media().set(ValueLayout.JAVA_BYTE, Superblock.COPY_OFFSETS[1] + 60, (byte) 0x11);
            try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(media))) {
                throw new AssertionError("opened a pool whose superblocks are both damaged: " + pool);
            } catch (MpoolException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT);
                assertThat(e.getMessage()).contains("both superblock copies");
            }
        }
    }

    /** Random damage anywhere in the metadata zones: CORRUPT, or the exact acknowledged state. */
    @Test
    void damagedMetadataIsCorruptOrCorrectNeverWrong() {
        long seed = Seeds.base("PoolCorruptionTest");
        Random random = new Random(seed);
        try (MemoryDevice pristine = new MemoryDevice("pool", DEVICE_BYTES)) {
            List<byte[]> contents = new ArrayList<>();
            List<ObjectId> ids = populate(pristine, contents);
            for (int i = 0; i < 200; i++) {
                StringBuilder flips = new StringBuilder();
                try (MemoryDevice media = MemoryDevice.copyOf(pristine)) {
                    // Metadata lives in zones 0..2 (superblocks, MDC-0, the shard's two logs).
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        long offset = random.nextLong(3L << 20);
                        int bit = random.nextInt(8);
                        byte old = media.media().get(ValueLayout.JAVA_BYTE, offset);
                        media.media().set(ValueLayout.JAVA_BYTE, offset, (byte) (old ^ (1 << bit)));
                        flips.append(String.format(" %#x.%d", offset, bit));
                    }
                    String where = "seed " + seed + ", iteration " + i + ", flipped bits" + flips;
                    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> openAndCheck(media, ids, contents, where));
                }
            }
        }
    }

    private static void openAndCheck(MemoryDevice media, List<ObjectId> ids, List<byte[]> contents, String where) {
        try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(media));
                Arena arena = Arena.ofConfined()) {
            assertThat(pool.objects()).as(where).extracting(ObjectInfo::id).containsExactlyElementsOf(ids);
            for (int i = 0; i < ids.size(); i++) {
                byte[] data = contents.get(i);
                MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(data.length, 4096));
                pool.readMblock(ids.get(i), 0, buf);
                assertThat(Arrays.equals(buf.asSlice(0, data.length).toArray(ValueLayout.JAVA_BYTE), data))
                        .as("%s: bytes of %s", where, ids.get(i))
                        .isTrue();
            }
        } catch (MpoolException e) {
            assertThat(e.code()).as("%s: %s", where, e).isIn(ErrorCode.CORRUPT, ErrorCode.UNSUPPORTED);
        }
    }
}
