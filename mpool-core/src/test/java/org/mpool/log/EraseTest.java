package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/** Erase starts a new generation; records of older generations never come back, also after reopen. */
class EraseTest {

    @Test
    void oldRecordsNeverComeBack() {
        long base = Seeds.base("EraseTest.oldRecordsNeverComeBack");
        for (int i = 0; i < 150; i++) {
            check(Seeds.derive(base, i));
        }
    }

    /**
     * Power fails while the flush of an erase is under way: the new block 0 may be kept, lost
     * or torn. Recovery must find the old generation with all its records, or the new one
     * empty. (Found by LogCrashExplorerTest, e.g. sequence 5244956055897785834:f5.)
     */
    @Test
    void eraseTornByPowerLossLeavesTheOldOrTheNewGeneration() {
        try (MemoryDevice mem = new MemoryDevice("mem", 16L * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(mem, 0, 16, 22, 4);
            List<byte[]> old = new ArrayList<>();
            try (RecordLog log = RecordLog.format(spec, 7, false)) {
                for (int i = 0; i < 12; i++) { // a record in every sector of block 0, and beyond
                    byte[] r = Records.make(3, i, 700);
                    log.append(r, true);
                    old.add(r);
                }
            }
            FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(mem);
            LogSpec faulty = TestLogs.on(dev, spec);
            RecordLog log = RecordLog.open(faulty);
            dev.inject(new Fault(Op.FLUSH, ErrorCode.IO, 0, 1)); // the erase's flush (skip counts from injection)
            MpoolException e = catchThrowableOfType(MpoolException.class, log::erase);
            assertThat(e.code()).isEqualTo(ErrorCode.IO);
            dev.crashNow();
            for (long seed = 0; seed < 300; seed++) {
                try (MemoryDevice image = dev.crashImage(seed);
                        RecordLog recovered = RecordLog.open(TestLogs.on(image, spec))) {
                    List<byte[]> read = recovered.reader().readAll();
                    if (recovered.generation() == 8) {
                        assertThat(read)
                                .as("new generation, image seed %d", seed)
                                .isEmpty();
                    } else {
                        assertThat(recovered.generation())
                                .as("generation, image seed %d", seed)
                                .isEqualTo(7);
                        assertThat(read)
                                .as("old generation, image seed %d", seed)
                                .containsExactlyElementsOf(old);
                    }
                }
            }
            try {
                log.close();
            } catch (MpoolException ignored) {
                // the device is gone
            }
        }
    }

    private static void check(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int blocks = 4 + r.nextInt(28);
        try (MemoryDevice dev = new MemoryDevice("mem", (blocks + 2) * (long) TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 2, blocks, 21, 2 + r.nextInt(6));
            long generation = 1 + r.nextInt(1000);
            long sequence = 0;
            List<byte[]> current = new ArrayList<>();
            RecordLog log = RecordLog.format(spec, generation, r.nextBoolean());
            try {
                for (int cycle = 0; cycle < 8; cycle++) {
                    String what = "seed " + seed + ", cycle " + cycle + ", generation " + generation;
                    // Fill a random part of the log; the last records may stay buffered.
                    int n = r.nextInt(40);
                    for (int k = 0; k < n; k++) {
                        int size = r.nextInt(5) == 0 ? r.nextInt(3 * TestLogs.BLOCK) : r.nextInt(300);
                        if (size + 5 > log.remaining()) {
                            break;
                        }
                        byte[] rec = Records.make(seed, sequence++, size);
                        log.append(rec, r.nextInt(3) == 0);
                        current.add(rec);
                    }
                    if (r.nextBoolean()) {
                        log.close();
                        log = RecordLog.open(spec);
                        assertThat(log.reader().readAll())
                                .as("before erase, %s", what)
                                .containsExactlyElementsOf(current);
                    }
                    if (r.nextInt(4) == 0) {
                        long to = generation + 1 + r.nextInt(5);
                        log.eraseTo(to);
                        generation = to;
                    } else {
                        log.erase();
                        generation++;
                    }
                    current.clear();
                    assertThat(log.generation())
                            .as("generation after erase, %s", what)
                            .isEqualTo(generation);
                    assertThat(log.reader().readAll())
                            .as("live read after erase, %s", what)
                            .isEmpty();
                    RecordLog erased = log;
                    MpoolException back =
                            catchThrowableOfType(MpoolException.class, () -> erased.eraseTo(erased.generation()));
                    assertThat(back.code())
                            .as("erase to the current generation, %s", what)
                            .isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    // A few new records, fewer than the old ones so old blocks stay behind them.
                    for (int k = r.nextInt(4); k > 0; k--) {
                        byte[] rec = Records.make(seed, sequence++, r.nextInt(200));
                        log.append(rec, r.nextBoolean());
                        current.add(rec);
                    }
                    log.close();
                    assertThat(RecordLog.read(spec).readAll())
                            .as("read-only read after erase, %s", what)
                            .containsExactlyElementsOf(current);
                    log = RecordLog.open(spec);
                    assertThat(log.generation())
                            .as("generation after reopen, %s", what)
                            .isEqualTo(generation);
                    assertThat(log.reader().readAll())
                            .as("read after reopen, %s", what)
                            .containsExactlyElementsOf(current);
                }
            } finally {
                log.close();
            }
        }
    }
}
