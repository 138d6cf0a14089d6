package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.observe.Counters;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * The data check of a commit record no flush confirmed, for mblocks committed before format
 * version 3: no chunk table, one CRC over the whole data (docs/FORMAT.md §6, rows
 * UNCONFIRMED_COMMIT_KEPT / _CANCELLED). Recovery keeps the mblock only if the check passes, so
 * a check that passed torn data would bring back bytes that were never written.
 */
class WholeDataCheckTest {
    private static final int ZONE = 1 << 20;

    @Test
    void anOlderCommitRecordMatchesOnlyItsExactLengthAndCrcWithinItsZone() {
        try (MemoryDevice media = new MemoryDevice("pool", 8L * ZONE)) {
            Mpool.create(
                            "whole",
                            MemoryDevices.DEFAULT_PATH,
                            new CreateOptions().mblockSize(ZONE).shards(1).sparePercent(0),
                            MemoryDevices.serving(media))
                    .close();
            PoolDevice device = PoolDevice.read(MemoryDevices.DEFAULT_PATH, media, false, Counters.NONE);
            long zone = device.superblock().zoneCount() - 2;
            // More than one read chunk (1 MiB) with the byte past the zone, and not a whole page.
            byte[] data = new byte[ZONE + 1];
            new Random(42).nextBytes(data);
            write(media, device.zoneOffset(zone), data);
            int crcOfZone = crc(data, ZONE - 3);
            int crcPastZone = crc(data, ZONE + 1);

            assertThat(PoolChecks.dataMatches(device, record(zone, ZONE - 3, crcOfZone)))
                    .as("the length and CRC the record names")
                    .isTrue();
            assertThat(PoolChecks.dataMatches(device, record(zone, ZONE - 3, crcOfZone + 1)))
                    .as("another CRC")
                    .isFalse();
            assertThat(PoolChecks.dataMatches(device, record(zone, ZONE - 2, crcOfZone)))
                    .as("one byte more than the CRC covers")
                    .isFalse();
            assertThat(PoolChecks.dataMatches(device, record(zone, ZONE + 1, crcPastZone)))
                    .as("a length past the zone, even with the CRC of the bytes there")
                    .isFalse();
            assertThat(PoolChecks.dataMatches(device, record(zone, -1, 0)))
                    .as("a negative length, even with the CRC of no bytes")
                    .isFalse();
            assertThat(PoolChecks.dataMatches(null, record(zone, ZONE - 3, crcOfZone)))
                    .as("a class without a device")
                    .isFalse();

            long flipped = device.zoneOffset(zone) + ZONE - 4; // the last byte the CRC covers
            byte old = media.media().get(ValueLayout.JAVA_BYTE, flipped);
            media.media().set(ValueLayout.JAVA_BYTE, flipped, (byte) (old ^ 0x10));
            assertThat(PoolChecks.dataMatches(device, record(zone, ZONE - 3, crcOfZone)))
                    .as("the last covered byte torn")
                    .isFalse();
            media.media().set(ValueLayout.JAVA_BYTE, flipped, old);
            media.media().set(ValueLayout.JAVA_BYTE, flipped + 1, (byte) ~data[ZONE - 3]);
            assertThat(PoolChecks.dataMatches(device, record(zone, ZONE - 3, crcOfZone)))
                    .as("a byte past the length changed: not covered")
                    .isTrue();
        }
    }

    private static CatalogRecord.Mblock record(long zone, long length, int crc) {
        return new CatalogRecord.Mblock(0x1001, MediaClass.CAPACITY.code(), zone, length, crc, 0);
    }

    private static int crc(byte[] data, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, length);
        return (int) crc.getValue();
    }

    private static void write(MemoryDevice media, long offset, byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(data.length, 4096));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            media.write(offset, buf);
        }
    }
}
