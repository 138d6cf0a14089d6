package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpool.testing.MemoryDevice;

/**
 * What an MDC says of each record's durability ({@link LogPair.Record#unconfirmed}), which the
 * pool's recovery uses to decide which commits to check against their data. After a crash, a
 * record that no later fragment or durable mark vouches for is unconfirmed; the others are
 * confirmed. A read-only read and a read after open say the same.
 */
class MdcRecordDurabilityTest {
    private static final int RECORDS = 6;

    @Test
    void afterACrashOnlyTheRecordNothingVouchesForIsUnconfirmed() {
        try (MemoryDevice mem = new MemoryDevice("durability", 32L * TestLogs.BLOCK)) {
            MdcLogs logs = MdcLogs.halves(mem, 4);
            LogPair mdc = logs.create();
            for (int i = 0; i < RECORDS; i++) {
                mdc.append(Records.make(5, i, 40), true); // each in a frame of its own
            }
            // Power is lost here: the last frame was flushed, but no fragment after it says so.
            try (MemoryDevice crashed = MemoryDevice.copyOf(mem)) {
                assertThat(unconfirmed(logs.on(crashed).readOnly()))
                        .as("read-only, after the crash")
                        .containsExactly(false, false, false, false, false, true);
                try (LogPair reopened = logs.on(crashed).open()) {
                    assertThat(unconfirmed(reopened.readWithDurability()))
                            .as("after open, which vouches for nothing it did not write")
                            .containsExactly(false, false, false, false, false, true);
                }
            }
            mdc.close();
            assertThat(unconfirmed(logs.readOnly()))
                    .as("after a close: its durable mark vouches for every record")
                    .containsExactly(false, false, false, false, false, false);
        }
    }

    private static List<Boolean> unconfirmed(List<LogPair.Record> records) {
        assertThat(records).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(records.get(i).bytes()).isEqualTo(Records.make(5, i, 40));
        }
        return records.stream().map(LogPair.Record::unconfirmed).toList();
    }
}
