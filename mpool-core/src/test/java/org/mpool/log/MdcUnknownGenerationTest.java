package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/** After the other log's header is damaged, compaction never reuses a generation it may have had. */
class MdcUnknownGenerationTest {
    @Test
    void compactionAfterADamagedHeaderJumpsPastItsGeneration() {
        try (MemoryDevice mem = new MemoryDevice("mem", 1 << 20)) {
            UUID pool = new UUID(3, 4);
            LogSpec a = new LogSpec(mem, 0, 64 * 1024, pool, 0x51, 8192);
            LogSpec b = new LogSpec(mem, 64 * 1024, 64 * 1024, pool, 0x52, 8192);
            long generationOfB;
            try (LogPair mdc = LogPair.create(a, b, false)) {
                mdc.append(new byte[] {1}, true);
                mdc.compactStart(); // b is formatted with a generation above a's ...
                mdc.append(new byte[] {9}, true);
                generationOfB = generation(b);
            } // ... and the compaction is abandoned: b holds no end marker, a stays the content
            // Damage b's block header: its generation can no longer be read.
            mem.media().set(ValueLayout.JAVA_BYTE, b.offset() + LogFormat.BH_GENERATION, (byte) 0x7f);
            try (LogPair mdc = LogPair.open(a, b)) {
                assertThat(mdc.readAll()).containsExactly(new byte[] {1});
                mdc.compactStart(); // formats b again: never with the generation it may still hold
                mdc.append(new byte[] {2}, false);
                mdc.compactEnd();
            }
            assertThat(generation(b))
                    .as("b's new generation, its old one was %d", generationOfB)
                    .isGreaterThan(generationOfB);
            try (LogPair mdc = LogPair.open(a, b)) {
                assertThat(mdc.readAll()).containsExactly(new byte[] {2});
            }
        }
    }

    private static long generation(LogSpec spec) {
        try (LogReader r = RecordLog.read(spec)) {
            return r.generation();
        }
    }
}
