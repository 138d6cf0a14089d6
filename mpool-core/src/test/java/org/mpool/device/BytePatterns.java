package org.mpool.device;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Test data that encodes where it belongs: every 8-byte word is a hash of its device offset and
 * a salt, so data written to the wrong place, stale data and torn data never match.
 */
final class BytePatterns {
    private BytePatterns() {}

    /** The word expected at {@code devicePosition} for {@code salt} (SplitMix64's finaliser). */
    static long word(long devicePosition, long salt) {
        long z = devicePosition + salt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code buffer}, which will live at {@code deviceOffset}, with the salt's pattern. */
    static void fill(MemorySegment buffer, long deviceOffset, long salt) {
        for (long i = 0; i < buffer.byteSize(); i += 8) {
            buffer.set(JAVA_LONG_UNALIGNED, i, word(deviceOffset + i, salt));
        }
    }

    /** A new aligned buffer of {@code length} bytes holding the pattern for {@code deviceOffset}. */
    static MemorySegment pattern(Arena arena, long deviceOffset, long length, long salt) {
        MemorySegment buffer = AlignedBuffers.allocate(arena, length);
        fill(buffer, deviceOffset, salt);
        return buffer;
    }

    /** The index of the first byte of {@code actual} that differs from the pattern, or -1. */
    static long firstMismatch(MemorySegment actual, long deviceOffset, long salt) {
        for (long i = 0; i < actual.byteSize(); i += 8) {
            if (actual.get(JAVA_LONG_UNALIGNED, i) != word(deviceOffset + i, salt)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first non-zero byte, or -1 if every byte is zero. */
    static long firstNonZero(MemorySegment actual) {
        for (long i = 0; i < actual.byteSize(); i++) {
            if (actual.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return i;
            }
        }
        return -1;
    }
}
