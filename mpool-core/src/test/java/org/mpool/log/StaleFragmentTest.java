package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.testing.MemoryDevice;

/**
 * Writer epochs keep fragments left behind by a crash from being read after recovery. The
 * crash images here are built by hand, block by block, but each is one the fault model of
 * FaultInjectingDevice can produce when power fails during the flush after a write: the
 * write kept, lost, or torn at sector granularity. LogCrashExplorerTest found the case
 * below on its own (mdc-sequences sequence -2557292002886194178:f5,9,f2).
 */
class StaleFragmentTest {
    private static final int BLOCK = TestLogs.BLOCK;

    /**
     * Crash 1 leaves a frame whose FIRST fragment (block 1) survived but whose LAST (block 2)
     * was lost: recovery ends the log where that frame starts and bumps the writer epoch.
     * The next session writes a new frame at the same place, FIRST in block 1 and LAST in
     * block 2, in one write that crash 2 tears: block 1's sectors stay old, block 2's are new.
     * The old FIRST (old epoch) and the new LAST (new epoch) are each valid, but they belong
     * to different frames: recovery must not join them.
     */
    @Test
    void recoveryNeverJoinsAStaleFirstFragmentToANewerContinuation() {
        try (MemoryDevice dev = new MemoryDevice("mem", 16L * BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 0, 16, 3, 4);
            List<byte[]> acked = new ArrayList<>();
            MemorySegment imageAtCrash;
            try (RecordLog log = RecordLog.format(spec, 1, false)) {
                for (int i = 0; i < 3; i++) { // fill block 0 and the start of block 1
                    byte[] r = Records.make(1, i, 2000);
                    log.append(r, true);
                    acked.add(r);
                }
                log.append(Records.make(1, 100, 40), false); // unacknowledged: this frame gets torn
                log.append(Records.make(1, 101, 50), false);
                log.append(Records.make(1, 102, 6000), false); // reaches into block 2
                log.flush(); // writes blocks 1 and 2 in one write, then flushes
                imageAtCrash = copyAll(dev); // power fails in that flush, before close vouches for it
            }
            restore(dev, imageAtCrash);
            zero(dev, 2); // crash 1: the write tore, block 1 kept, block 2 lost
            MemorySegment block1AfterCrash1 = copy(dev, 1);

            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll()).as("after crash 1").containsExactlyElementsOf(acked);
                log.append(Records.make(1, 200, 5000), false); // FIRST in block 1, LAST in block 2
                log.flush();
                imageAtCrash = copyAll(dev);
            }
            restore(dev, imageAtCrash);
            MemorySegment.copy(block1AfterCrash1, 0, dev.media(), BLOCK, BLOCK); // crash 2 tore it

            assertThat(RecordLog.read(spec).readAll())
                    .as("read-only read after crash 2")
                    .containsExactlyElementsOf(acked);
            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll()).as("after crash 2").containsExactlyElementsOf(acked);
            }
        }
    }

    private static void zero(MemoryDevice dev, int block) {
        dev.media().asSlice((long) block * BLOCK, BLOCK).fill((byte) 0);
    }

    private static MemorySegment copyAll(MemoryDevice dev) {
        return MemorySegment.ofArray(dev.media().toArray(ValueLayout.JAVA_BYTE));
    }

    private static void restore(MemoryDevice dev, MemorySegment image) {
        dev.media().copyFrom(image);
    }

    private static MemorySegment copy(MemoryDevice dev, int block) {
        return MemorySegment.ofArray(
                dev.media().asSlice((long) block * BLOCK, BLOCK).toArray(ValueLayout.JAVA_BYTE));
    }
}
