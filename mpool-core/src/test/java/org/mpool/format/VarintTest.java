package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Varint (unsigned LEB128) for record lengths: encode/decode round trip and sizes. jqwik prints
 * the falsifying value (and its seed) on failure; every assertion names the value.
 */
class VarintTest {

    /** LEB128 as documented in {@link Varint}: 7 bits a byte, low first, high bit = more. */
    static long decode(byte[] in, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (long) (in[i] & 0x7F) << (7 * i);
            boolean more = (in[i] & 0x80) != 0;
            assertThat(more).as("continuation bit of byte %d of %d", i, length).isEqualTo(i < length - 1);
        }
        return value;
    }

    @Property(tries = 5000)
    void roundTripsEveryRecordLength(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long value) {
        byte[] out = new byte[Varint.MAX_BYTES];
        int n = Varint.encode(value, out);
        assertThat(n).as("encoded size of %d", value).isEqualTo(Varint.size(value));
        assertThat(decode(out, n)).as("decode(encode(%d))", value).isEqualTo(value);
    }

    @Property(tries = 2000)
    void sizeIsTheMinimalByteCount(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        int expected = Math.max(1, (bits + 6) / 7);
        assertThat(Varint.size(value)).as("size(%d)", value).isEqualTo(expected);
    }

    @Example
    void sizesChangeExactlyAtPowersOf128() {
        for (int k = 1; k < 9; k++) {
            long edge = 1L << (7 * k);
            assertThat(Varint.size(edge - 1)).as("size(2^%d - 1)", 7 * k).isEqualTo(k);
            assertThat(Varint.size(edge)).as("size(2^%d)", 7 * k).isEqualTo(k + 1);
        }
        assertThat(Varint.size(0)).isEqualTo(1);
        assertThat(Varint.size(0xFFFF_FFFFL)).isEqualTo(Varint.MAX_BYTES);
    }
}
