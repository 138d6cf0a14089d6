package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * A fragment that breaks a rule of the format (docs/FORMAT.md §3) ends the scan there, as a torn
 * write would, even when its checksum holds: a FIRST fragment runs to the end of its block, and
 * no fragment runs past it. The log is left as a power loss leaves it (no close, so no durable
 * mark): the outcome is the records before the fragment, or CORRUPT; never another exception.
 */
class FragmentRulesTest {
    private static final int FRAGMENT = LogFormat.BLOCK_HEADER_SIZE;
    /** The payload room of the first fragment in block 0. */
    private static final int ROOM = LogFormat.BLOCK_SIZE - FRAGMENT - LogFormat.FRAGMENT_HEADER_SIZE;
    /** A fragment header's payload length: a little-endian u16 at byte 4. */
    private static final ValueLayout.OfShort LENGTH_FIELD =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void aFragmentLengthOneBytePastItsBlockEndsTheScan() {
        assertEndsThere(100, fragment -> fragment.set(LENGTH_FIELD, 4, (short) (ROOM + 1)), false);
    }

    @Test
    void aFirstFragmentThatStopsShortOfItsBlockEndEndsTheScanEvenWithAValidChecksum() {
        assertEndsThere(6000, fragment -> fragment.set(LENGTH_FIELD, 4, (short) (ROOM - 1)), true);
    }

    private interface Edit {
        void apply(MemorySegment fragmentHeader);
    }

    /** One record of {@code size} bytes, synced; its first fragment edited (and resealed), then read. */
    private static void assertEndsThere(int size, Edit edit, boolean reseal) {
        try (MemoryDevice dev = new MemoryDevice("rules", 8L * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 0, 8, 5, 2);
            RecordLog crashed = RecordLog.format(spec, 1, false, Runnable::run);
            crashed.append(Records.make(6, 0, size), true);
            // Power is lost here: no close, no durable mark.
            MemorySegment media = dev.media();
            MemorySegment fragment = media.asSlice(FRAGMENT, LogFormat.BLOCK_SIZE - FRAGMENT);
            edit.apply(fragment);
            if (reseal) {
                Reseal.fragmentAt(spec, media, FRAGMENT);
            }
            for (ReadOutcome o :
                    List.of(ReadOutcome.of("read", () -> RecordLog.read(spec).readAll()), ReadOutcome.of("open", () -> {
                        try (RecordLog log = RecordLog.open(spec, Runnable::run)) {
                            return log.reader().readAll();
                        }
                    }))) {
                if (o.failed()) {
                    assertThat(o.code()).as("%s", o.error()).isEqualTo(ErrorCode.CORRUPT);
                } else {
                    assertThat(o.records())
                            .as("the scan ends at the broken fragment")
                            .isEmpty();
                }
            }
        }
    }
}
