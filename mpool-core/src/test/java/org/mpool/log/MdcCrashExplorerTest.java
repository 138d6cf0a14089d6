package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.mpool.MpoolException;
import org.mpool.device.BlockDevice;
import org.mpool.device.FaultInjectingDevice;
import org.mpool.device.MemoryDevice;

/**
 * Crash explorer for MDCs: seeded appends, flushes, reopens and compactions (start, rewrite
 * of a live subset, end) crash after every device write; the recovered content must be the
 * complete old state (a prefix holding everything durable) or the complete new one — never a
 * mix. Replay one seed with -Dmpool.seed=N.
 */
class MdcCrashExplorerTest {
    private static final int DEVICE_BYTES = 256 * 1024;

    private static LogSpec spec(BlockDevice dev, int which) {
        return new LogSpec(dev, which * 96 * 1024, 96 * 1024, LogCrashExplorerTest.POOL, 0x40 + which, 8192);
    }

    static void workload(long seed, FaultInjectingDevice dev, MdcModel model, boolean create) {
        Random r = new Random(seed);
        Executor writeBehind = Runnable::run; // deterministic: every crash point replays exactly
        try {
            Mdc mdc = create ? Mdc.create(spec(dev, 0), spec(dev, 1), false, writeBehind)
                    : Mdc.open(spec(dev, 0), spec(dev, 1), writeBehind);
            model.created = true;
            int ops = 15 + r.nextInt(30);
            for (int i = 0; i < ops; i++) {
                int op = r.nextInt(100);
                if (op < 60) {
                    byte[] rec = new byte[r.nextInt(8) == 0 ? r.nextInt(6000) : r.nextInt(200)];
                    r.nextBytes(rec);
                    if (rec.length + 64 > mdc.remaining()) {
                        continue;
                    }
                    boolean sync = r.nextInt(3) == 0;
                    model.appended(rec);
                    mdc.append(rec, sync);
                    if (sync) {
                        model.synced();
                    }
                } else if (op < 70) {
                    mdc.flush();
                    model.synced();
                } else if (op < 88) {
                    mdc.compactStart();
                    model.compacted = new ArrayList<>();
                    for (byte[] live : model.content) {
                        if (r.nextInt(4) != 0) {
                            model.appended(live);
                            mdc.append(live, false);
                        }
                    }
                    model.endInFlight = true;
                    mdc.compactEnd();
                    model.compactionEnded();
                } else {
                    mdc.close();
                    model.synced();
                    mdc = Mdc.open(spec(dev, 0), spec(dev, 1), writeBehind);
                }
            }
            mdc.close();
            model.synced();
        } catch (MpoolException e) {
            if (!dev.crashed()) {
                throw e;
            }
        }
    }

    @Test
    void compactionsAreAllOrNothingAtEveryCrashPoint() {
        int target = Math.max(1, LogCrashExplorerTest.explorePoints() / 4);
        Long only = Long.getLong("mpool.seed");
        int points = 0;
        long seed = only != null ? only : 1;
        while (points < target) {
            long writes;
            try (MemoryDevice mem = new MemoryDevice("mem", DEVICE_BYTES)) {
                FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(mem);
                workload(seed, dev, new MdcModel(), true);
                writes = dev.writeCount();
            }
            for (long k = 0; k <= writes && points < target; k++) {
                points += crashAt(seed, k);
            }
            if (only != null) {
                break;
            }
            seed++;
        }
        System.out.printf("MDC crash explorer: %d crash points, seeds 1..%d, 0 violations%n", points, seed);
        assertThat(points).isGreaterThan(0);
    }

    private static int crashAt(long seed, long k) {
        int points = 0;
        try (MemoryDevice mem = new MemoryDevice("mem", DEVICE_BYTES)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(mem);
            dev.crashAfterWrites(k);
            MdcModel model = new MdcModel();
            workload(seed, dev, model, true);
            for (int image = 0; image < 2; image++) {
                long imageSeed = seed * 1_000_003 + k * 31 + image;
                try (MemoryDevice crashed = dev.crashImage(imageSeed)) {
                    points++;
                    String where = "seed " + seed + " crash after write " + k + " image " + imageSeed;
                    List<byte[]> recovered;
                    try (Mdc mdc = Mdc.open(spec(crashed, 0), spec(crashed, 1))) {
                        recovered = mdc.readAll();
                    } catch (MpoolException e) {
                        if (!model.created) {
                            continue; // create had not returned: no MDC is a valid outcome
                        }
                        throw new AssertionError(where + ": recovery failed: " + e, e);
                    }
                    MdcModel m = model.copy();
                    assertThat(m.violation(recovered)).as(where).isNull();
                }
            }
        }
        return points;
    }
}
