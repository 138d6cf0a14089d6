package org.mpool.format;

/** Unsigned LEB128 for record lengths: 7 bits a byte, low bits first, high bit = more. */
public final class Varint {
    /** The most bytes a 32-bit length takes. */
    public static final int MAX_BYTES = 5;

    private Varint() {}

    public static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Encodes {@code value} into {@code out}; returns the number of bytes written. */
    public static int encode(long value, byte[] out) {
        int n = 0;
        while ((value & ~0x7FL) != 0) {
            out[n++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[n++] = (byte) value;
        return n;
    }
}
