package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
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

    /**
     * Every padded form the log writes (any width from the minimal size to MAX_BYTES) is read
     * back as the same value and the same width by the reader's length() and decode(), wherever
     * it sits and whatever follows it.
     */
    @Property(tries = 3000)
    void paddedEncodingsOfEveryWidthDecodeToTheSameValue(
            @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long value,
            @ForAll @IntRange(min = 0, max = 7) int offset,
            @ForAll byte after) {
        for (int width = Varint.size(value); width <= Varint.MAX_BYTES; width++) {
            byte[] in = new byte[offset + width + 1];
            in[offset + width] = after;
            MemorySegment out = MemorySegment.ofArray(in);
            Varint.putPadded(out, offset, value, width);
            assertThat(decode(java.util.Arrays.copyOfRange(in, offset, offset + width), width))
                    .as("LEB128 value of %d padded to %d bytes", value, width)
                    .isEqualTo(value);
            assertThat(Varint.length(in, offset, in.length))
                    .as("length() of %d padded to %d bytes", value, width)
                    .isEqualTo(width);
            assertThat(Varint.length(in, offset, offset + width))
                    .as("length() of %d padded to %d bytes, ending there", value, width)
                    .isEqualTo(width);
            assertThat(Varint.decode(in, offset, width))
                    .as("decode() of %d padded to %d bytes", value, width)
                    .isEqualTo(value);
            assertThat(in[offset + width])
                    .as("byte after %d padded to %d bytes", value, width)
                    .isEqualTo(after);
        }
    }

    @Property(tries = 2000)
    void minimalEncodingsAreReadBackByLengthAndDecode(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long value) {
        byte[] out = new byte[Varint.MAX_BYTES + 2];
        int n = Varint.encode(value, out);
        out[n] = (byte) 0x80; // a continuation bit right after must not be taken for part of it
        assertThat(Varint.length(out, 0, out.length))
                .as("length() of minimal %d", value)
                .isEqualTo(n);
        assertThat(Varint.decode(out, 0, n)).as("decode() of minimal %d", value).isEqualTo(value);
    }

    /** A length whose first MAX_BYTES bytes all carry a continuation bit would need a 6th byte: not a length. */
    @Property(tries = 1000)
    void aSixthByteIsRejected(
            @ForAll byte b0, @ForAll byte b1, @ForAll byte b2, @ForAll byte b3, @ForAll byte b4, @ForAll byte b5) {
        byte[] in = {
            (byte) (b0 | 0x80),
            (byte) (b1 | 0x80),
            (byte) (b2 | 0x80),
            (byte) (b3 | 0x80),
            (byte) (b4 | 0x80),
            (byte) (b5 & 0x7F),
            0
        };
        assertThat(Varint.length(in, 0, in.length))
                .as("length() of five continuation bytes then %02x", in[5])
                .isEqualTo(-1);
        assertThat(Varint.length(in, 1, in.length))
                .as("length() of four continuation bytes then a last one")
                .isEqualTo(5);
    }

    /** A length cut off by the end of what was read (every byte so far continues) is not a length. */
    @Property(tries = 2000)
    void aLengthRunningPastTheEndIsRejected(
            @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long value,
            @ForAll @IntRange(min = 1, max = Varint.MAX_BYTES) int width,
            @ForAll @IntRange(min = 0, max = 3) int offset) {
        width = Math.max(width, Varint.size(value));
        byte[] in = new byte[offset + width + 1];
        Varint.putPadded(MemorySegment.ofArray(in), offset, value, width);
        for (int end = offset; end < offset + width; end++) {
            assertThat(Varint.length(in, offset, end))
                    .as("length() of %d in %d bytes cut to %d", value, width, end - offset)
                    .isEqualTo(-1);
        }
    }
}
