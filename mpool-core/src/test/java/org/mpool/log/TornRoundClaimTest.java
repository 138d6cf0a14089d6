package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * Two sync appenders' frames in one flush round: each fragment says the log was durable up to
 * where the round began. Power lost during the round's write can keep a later sector and lose
 * the one holding the first frame. The scan stops where that frame began, and the later
 * fragment's claim is that very position: nothing durable was lost, so the log opens with the
 * records before the round; it is not CORRUPT. The media are built by hand: the first frame's
 * bytes are zeros, the later frame is sealed where it was written, claiming the round's start.
 */
class TornRoundClaimTest {

    @Test
    void aLaterFragmentOfTheTornRoundClaimingItsStartIsNoLoss() {
        try (MemoryDevice dev = new MemoryDevice("round", 8L * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 0, 8, 9, 2);
            byte[] first = Records.make(8, 0, 100);
            RecordLog crashed = RecordLog.format(spec, 1, false, Runnable::run);
            crashed.append(first, true);
            long roundStart = crashed.usedBytes();
            // Power is lost in the next round: its first frame never reached the media.
            MemorySegment media = dev.media();
            MemorySegment block0 = media.asSlice(0, LogFormat.BLOCK_SIZE);
            long later = roundStart + LogFormat.FRAGMENT_HEADER_SIZE + 1 + 600; // after a 600-byte record's frame
            byte[] record = Records.make(8, 2, 50);
            MemorySegment fragment = block0.asSlice(later, LogFormat.FRAGMENT_HEADER_SIZE + 1 + record.length);
            fragment.set(ValueLayout.JAVA_BYTE, LogFormat.FRAGMENT_HEADER_SIZE, (byte) record.length);
            MemorySegment.copy(
                    record, 0, fragment, ValueLayout.JAVA_BYTE, LogFormat.FRAGMENT_HEADER_SIZE + 1, record.length);
            LogFormat.sealFragment(
                    TestLogs.seed(spec),
                    fragment,
                    1,
                    later,
                    1 + record.length,
                    LogFormat.FULL,
                    LogFormat.readBlockHeader(block0).epoch(),
                    roundStart);
            try (LogReader reader = RecordLog.read(spec)) {
                assertThat(reader.readAll()).as("read").containsExactly(first);
            }
            try (RecordLog reopened = RecordLog.open(spec, Runnable::run)) {
                assertThat(reopened.reader().readAll()).as("open").containsExactly(first);
            }
        }
    }
}
