package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Record lengths in a log frame: unsigned LEB128, 7 bits a byte, low bits first, the high bit
 * set on every byte but the last.
 *
 * <pre>
 *   300 = 0b10_0101100  ->  1010_1100 0000_0010   (0xAC 0x02)
 * </pre>
 *
 * <p>Encodings need not be minimal: a length may take up to {@link #MAX_BYTES} bytes, with
 * continuation bits on the extra ones ({@link #putPadded}). The log's fast path writes the
 * length of a record of 16 KiB or more in exactly {@link #MAX_BYTES} bytes, so it can reserve
 * the header before it computes the minimal size. Readers accept every such form.
 */
public final class Varint {
    /** The most bytes a length takes (32 bits of value need 5). */
    public static final int MAX_BYTES = 5;

    private Varint() {}

    /** Bytes of the minimal encoding of {@code value}. */
    public static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Encodes {@code value} minimally into {@code out}; returns the number of bytes written. */
    public static int encode(long value, byte[] out) {
        int n = 0;
        while ((value & ~0x7FL) != 0) {
            out[n++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[n++] = (byte) value;
        return n;
    }

    /**
     * Writes {@code value} at {@code offset} of {@code out} in exactly {@code width} bytes
     * ({@link #size}(value) to {@link #MAX_BYTES}), padding with continuation bytes of zero bits.
     */
    public static void putPadded(MemorySegment out, long offset, long value, int width) {
        assert width >= size(value) && width <= MAX_BYTES : value + " in " + width + " bytes";
        long v = value;
        for (int i = 0; i < width; i++, v >>>= 7) {
            byte b = (byte) (i == width - 1 ? v & 0x7F : (v & 0x7F) | 0x80);
            out.set(ValueLayout.JAVA_BYTE, offset + i, b);
        }
    }

    /**
     * Bytes the length at {@code in[offset..end)} takes, or -1 if it is not a length: it runs
     * past {@code end} or past {@link #MAX_BYTES} bytes.
     */
    public static int length(byte[] in, int offset, int end) {
        for (int i = 0; i < MAX_BYTES && offset + i < end; i++) {
            if (in[offset + i] >= 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The value of the length at {@code in[offset..)} that {@link #length} found {@code n} bytes long. */
    public static long decode(byte[] in, int offset, int n) {
        assert n >= 1 && n <= MAX_BYTES : n;
        long value = 0;
        for (int i = 0; i < n; i++) {
            value |= (long) (in[offset + i] & 0x7F) << (7 * i);
        }
        return value;
    }
}
