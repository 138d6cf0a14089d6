package org.mpool.log;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test records: bytes determined by (seed, sequence number, size), so any record read back can
 * be told apart from every other (the first 8 bytes hold the sequence number when they fit),
 * and comparisons of recovered against appended records that explain what differs.
 */
final class Records {
    private Records() {}

    static byte[] make(long seed, long sequence, int size) {
        byte[] r = new byte[size];
        new SplittableRandom(seed ^ (sequence * 0x9E3779B97F4A7C15L)).nextBytes(r);
        for (int i = 0; i < Math.min(8, size); i++) {
            r[i] = (byte) (sequence >>> (8 * i));
        }
        return r;
    }

    /** Null if {@code actual} is a prefix of {@code expected}, else where and how it is not. */
    static String prefixMismatch(List<byte[]> actual, List<byte[]> expected) {
        if (actual.size() > expected.size()) {
            return actual.size() + " records read but only " + expected.size() + " were appended";
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!Arrays.equals(actual.get(i), expected.get(i))) {
                return "record " + i + " differs: read " + describe(actual.get(i)) + ", appended "
                        + describe(expected.get(i));
            }
        }
        return null;
    }

    static String describe(byte[] r) {
        return r.length + " bytes" + (r.length >= 8 ? " seq " + sequenceOf(r) : "");
    }

    static long sequenceOf(byte[] r) {
        long s = 0;
        for (int i = 7; i >= 0; i--) {
            s = (s << 8) | (r[i] & 0xFF);
        }
        return s;
    }
}
