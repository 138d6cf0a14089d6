package org.mpool.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A copy holds every byte of its source: blocks reached by writes, by {@link MemoryDevice#region}
 * and, once {@link MemoryDevice#media()} was taken, by anyone; also in a last block shorter than
 * the 4 KiB the device tracks by.
 */
class MemoryDeviceCopyTest {
    @Test
    void aCopyHoldsEveryByteHoweverItWasWritten() {
        long size = 64L * 4096 + 1024; // 512-byte sectors: the last tracked block is partial
        try (MemoryDevice source = new MemoryDevice("source", size, 512, 512);
                Arena arena = Arena.ofConfined()) {
            Random r = new Random(7);
            MemorySegment buf = arena.allocate(1024, 512);
            for (long offset : new long[] {0, 5 * 4096 + 512, size - 1024}) {
                buf.asByteBuffer().put(randomBytes(r, 1024));
                source.write(offset, buf);
            }
            source.region(9 * 4096, 512).fill((byte) 0x5A);
            assertCopyEquals(source, "writes and a region");

            source.media().set(ValueLayout.JAVA_BYTE, 40L * 4096 + 3, (byte) 1); // untracked
            source.media().set(ValueLayout.JAVA_BYTE, size - 1, (byte) 2); // in the partial block
            assertCopyEquals(source, "bytes set through media()");
        }
    }

    private static void assertCopyEquals(MemoryDevice source, String what) {
        try (MemoryDevice copy = MemoryDevice.copyOf(source);
                MemoryDevice copyOfCopy = MemoryDevice.copyOf(copy)) { // before media() stops the tracking
            assertThat(copy.media().mismatch(source.media())).as(what).isEqualTo(-1);
            assertThat(copyOfCopy.media().mismatch(source.media()))
                    .as("%s, copied twice", what)
                    .isEqualTo(-1);
        }
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
