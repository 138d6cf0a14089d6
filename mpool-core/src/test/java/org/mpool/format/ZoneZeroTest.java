package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;

/**
 * Zone 0 (docs/FORMAT.md §1): the superblock copies fit the reserved bytes, and MDC-0's two
 * logs fit the rest of the zone, in whole log blocks, without overlapping, for every zone
 * size a pool may have.
 */
class ZoneZeroTest {

    @Example
    void superblocksFitTheReservedBytes() {
        for (long copy : Superblock.COPY_OFFSETS) {
            assertThat(copy + Superblock.SIZE)
                    .as("end of the superblock copy at %d", copy)
                    .isLessThanOrEqualTo(ZoneZero.RESERVED_BYTES);
        }
        assertThat(ZoneZero.RESERVED_BYTES % LogFormat.BLOCK_SIZE)
                .as("reserved bytes mod log block")
                .isZero();
    }

    @Example
    void mdc0LogsFitZoneZeroForEveryZoneSize() {
        for (long zone = 1L << 20; zone <= 64L << 20; zone <<= 1) {
            long first = ZoneZero.RESERVED_BYTES; // where PoolCreator puts log 0 (superblock byte 104)
            long size = ZoneZero.mdc0LogBytes(zone);
            long off0 = ZoneZero.mdc0LogOffset(first, size, 0);
            long off1 = ZoneZero.mdc0LogOffset(first, size, 1);
            String z = (zone >> 20) + " MiB zones";
            assertThat(size % LogFormat.BLOCK_SIZE)
                    .as("log size mod block, %s", z)
                    .isZero();
            assertThat(size)
                    .as("log size, %s (a log needs 2 blocks)", z)
                    .isGreaterThanOrEqualTo(2L * LogFormat.BLOCK_SIZE);
            assertThat(off0).as("log 0 offset, %s", z).isEqualTo(first).isGreaterThanOrEqualTo(ZoneZero.RESERVED_BYTES);
            assertThat(off0 % LogFormat.BLOCK_SIZE)
                    .as("log 0 offset mod block, %s", z)
                    .isZero();
            assertThat(off1 % LogFormat.BLOCK_SIZE)
                    .as("log 1 offset mod block, %s", z)
                    .isZero();
            assertThat(off1).as("log 1 offset, %s (after log 0)", z).isGreaterThanOrEqualTo(off0 + size);
            assertThat(off1 + size).as("end of log 1, %s", z).isLessThanOrEqualTo(zone);
            // Each takes half of what is left, rounded down to whole blocks: nothing larger fits.
            assertThat(ZoneZero.RESERVED_BYTES + 2 * (size + LogFormat.BLOCK_SIZE))
                    .as("room for a block more each, %s", z)
                    .isGreaterThan(zone);
        }
    }
}
