package org.mpool.log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MediaDamage;
import org.mpool.testing.MemoryDevice;

/**
 * A finished compaction's end marker vouches for the compacted records: {@code compactEnd}
 * flushes them before it appends the marker, so the marker's fragment says they were durable.
 * Damage to one of them, found before any close wrote a durable mark, is then CORRUPT. Were
 * they made durable in the marker's own flush, nothing would vouch for them: the damage would
 * read as a compaction torn before its marker, and open would silently take the older log,
 * without the records appended during the compaction.
 */
class MdcCompactionDamageTest {
    private static final int RECORDS_BEFORE = 20;
    private static final int COMPACTED = 30;
    private static final int SIZE = 120;

    @Test
    void damageToACompactedRecordAfterTheEndMarkerIsCorruptNotTheOlderLog() {
        try (MemoryDevice mem = new MemoryDevice("compact", 32L * TestLogs.BLOCK)) {
            MdcLogs logs = MdcLogs.halves(mem, 4);
            List<byte[]> compacted = new ArrayList<>();
            LogPair mdc = logs.create();
            for (int i = 0; i < RECORDS_BEFORE; i++) {
                mdc.append(Records.make(1, i, SIZE), true);
            }
            mdc.compactStart();
            for (int i = 0; i < COMPACTED; i++) {
                byte[] r = Records.make(2, i, SIZE); // the live state, with records the old log never had
                mdc.append(r, false);
                compacted.add(r);
            }
            mdc.compactEnd();
            // Power is lost here, with everything written: no close, so no durable mark.
            MemoryDevice crashed = MemoryDevice.copyOf(mem);
            byte[] image = crashed.media().toArray(JAVA_BYTE);
            mdc.close();
            try (crashed) {
                assertEachCompactedRecordDamagedIsCorrupt(logs, compacted, crashed, image);
            }
        }
    }

    private static void assertEachCompactedRecordDamagedIsCorrupt(
            MdcLogs logs, List<byte[]> compacted, MemoryDevice crashed, byte[] image) {
        for (int i = 0; i < COMPACTED; i++) {
            long at = indexOf(image, compacted.get(i), logs.second().offset());
            assertThat(at).as("compacted record %d on the media", i).isNotNegative();
            try (MemoryDevice damaged = MemoryDevice.copyOf(crashed)) {
                new MediaDamage(damaged.media()).flipBit(at + SIZE / 2, 4);
                try (LogPair reopened = logs.on(damaged).open()) {
                    fail(
                            "compacted record %d damaged: open read %d records, rolled back: %s",
                            i, reopened.readAll().size(), reopened.rolledBack());
                } catch (MpoolException e) {
                    assertThat(e.code())
                            .as("compacted record %d damaged: %s", i, e)
                            .isEqualTo(ErrorCode.CORRUPT);
                }
            }
        }
    }

    private static long indexOf(byte[] image, byte[] record, long from) {
        outer:
        for (long i = from; i + record.length <= image.length; i++) {
            for (int j = 0; j < record.length; j++) {
                if (image[(int) i + j] != record[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
