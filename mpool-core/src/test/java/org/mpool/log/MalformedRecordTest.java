package org.mpool.log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * A frame whose checksum holds but whose records do not parse (a writer's bug, or bytes crafted
 * to pass the CRC) is CORRUPT, named by its position: never a record cut from past the frame,
 * never an index error. The frame is resealed by hand with a valid CRC over the bad bytes.
 */
class MalformedRecordTest {
    private static final int RECORDS = 3;
    private static final int SIZE = 10;
    /** The one frame starts right after block 0's header; its payload after the fragment header. */
    private static final int FRAGMENT = LogFormat.BLOCK_HEADER_SIZE;

    private static final int PAYLOAD = FRAGMENT + LogFormat.FRAGMENT_HEADER_SIZE;

    @Test
    void aRecordLengthOneBytePastTheFrameIsCorrupt() {
        // The first record claims every byte after its length, and one more.
        assertCorrupt((media, frameLength) -> media.set(JAVA_BYTE, PAYLOAD, (byte) frameLength));
    }

    @Test
    void aRecordLengthRunningPastTheFrameIsCorrupt() {
        // The second record ends one byte before the frame; there a length starts that says
        // another byte follows.
        assertCorrupt((media, frameLength) -> {
            int second = PAYLOAD + 1 + SIZE;
            media.set(JAVA_BYTE, second, (byte) (frameLength - (1 + SIZE) - 1 - 1));
            media.set(JAVA_BYTE, PAYLOAD + frameLength - 1, (byte) 0x80);
        });
    }

    /** Changes the bytes of a frame holding {@code frameLength} bytes of records. */
    private interface Edit {
        void apply(MemorySegment media, int frameLength);
    }

    /** Writes {@code RECORDS} records into one frame, edits it, reseals it and reads it. */
    private static void assertCorrupt(Edit edit) {
        try (MemoryDevice dev = new MemoryDevice("malformed", 8L * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 0, 8, 7, 2);
            try (RecordLog log = RecordLog.format(spec, 1, false, Runnable::run)) {
                for (int i = 0; i < RECORDS; i++) {
                    log.append(Records.make(9, i, SIZE), false);
                }
            }
            MemorySegment media = dev.media();
            MemorySegment fragment = media.asSlice(FRAGMENT, LogFormat.FRAGMENT_HEADER_SIZE + 1000);
            int frameLength = LogFormat.fragmentLength(fragment);
            assertThat(frameLength).as("one frame of the records").isEqualTo(RECORDS * (1 + SIZE));
            int original = LogFormat.fragmentCrc(fragment);
            Reseal.fragmentAt(spec, media, FRAGMENT);
            assertThat(LogFormat.fragmentCrc(fragment))
                    .as("resealing the unchanged frame gives its CRC")
                    .isEqualTo(original);

            edit.apply(media, frameLength);
            Reseal.fragmentAt(spec, media, FRAGMENT);

            MpoolException e = catchThrowableOfType(MpoolException.class, () -> {
                try (LogReader reader = RecordLog.read(spec)) {
                    reader.readAll();
                }
            });
            assertThat(e).as("reading a frame with a malformed record").isNotNull();
            assertThat(e.code()).as("%s", e).isEqualTo(ErrorCode.CORRUPT);
            assertThat(e.getMessage()).contains("at log position " + FRAGMENT, "malformed record");
        }
    }
}
