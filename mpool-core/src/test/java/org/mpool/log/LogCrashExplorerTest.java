package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpool.ErrorCode;
import org.mpool.MpoolException;
import org.mpool.device.FaultInjectingDevice;
import org.mpool.device.MemoryDevice;

/**
 * Crash explorer for mlogs: a seeded workload of sync and async appends (up to multi-block
 * records), flushes, erases and reopens runs on a device that loses power after its k-th
 * write, for every k; several crash images (unflushed writes kept, lost or torn at 512 bytes)
 * are recovered and checked against what was acknowledged. Each recovered log then takes more
 * appends and crashes again, so stale data from earlier epochs is exercised too. Replay one
 * seed with -Dmpool.seed=N.
 */
class LogCrashExplorerTest {
    static final UUID POOL = new UUID(0x5eed, 0x10c);
    private static final int DEVICE_BYTES = 512 * 1024;
    private static final long LOG_OFFSET = 64 * 1024;
    private static final int IMAGES_PER_POINT = 2;
    private static final java.util.concurrent.Executor BACKGROUND = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "explorer-write-behind");
        t.setDaemon(true);
        return t;
    });

    private static LogSpec spec(org.mpool.device.BlockDevice dev, long bufferBytes) {
        return new LogSpec(dev, LOG_OFFSET, 256 * 1024, POOL, 0x77, (int) bufferBytes);
    }

    /** Runs the seeded workload on {@code dev} until it ends or the power fails. */
    static void workload(long seed, FaultInjectingDevice dev, LogSpec spec, LogModel model, boolean format) {
        Random r = new Random(seed);
        boolean zeroFill = r.nextBoolean();
        try {
            // Odd seeds write behind on the real background thread (timing varies between runs);
            // even seeds inline, so every crash point of an even seed replays exactly.
            java.util.concurrent.Executor writeBehind = seed % 2 == 0 ? Runnable::run : BACKGROUND;
            Mlog log = format ? Mlog.format(spec, 1, zeroFill, writeBehind) : Mlog.open(spec, writeBehind);
            model.formatted = true;
            int ops = 20 + r.nextInt(40);
            for (int i = 0; i < ops; i++) {
                int op = r.nextInt(100);
                if (op < 70) {
                    byte[] rec = new byte[r.nextInt(10) == 0 ? r.nextInt(12_000) : r.nextInt(300)];
                    r.nextBytes(rec);
                    boolean sync = r.nextInt(3) == 0;
                    if (rec.length + 8 > log.remaining()) {
                        continue;
                    }
                    model.appended(rec);
                    log.append(rec, sync);
                    if (sync) {
                        model.synced();
                    }
                } else if (op < 85) {
                    log.flush();
                    model.synced();
                } else if (op < 92) {
                    model.eraseStarted();
                    log.erase();
                    model.eraseDone();
                } else {
                    log.close();
                    model.synced(); // close flushes
                    log = Mlog.open(spec, writeBehind);
                }
            }
            log.close();
            model.synced();
        } catch (MpoolException e) {
            if (!dev.crashed()) {
                throw e;
            }
        }
    }

    static int explorePoints() {
        return Integer.getInteger("mpool.explore.points", 10_000);
    }

    @Test
    void everyCrashPointRecoversAcknowledgedPrefix() {
        int target = explorePoints();
        Long only = Long.getLong("mpool.seed");
        int points = 0;
        long seed = only != null ? only : 1;
        while (points < target) {
            points += exploreSeed(seed, target - points);
            if (only != null) {
                break;
            }
            seed++;
        }
        System.out.printf("log crash explorer: %d crash points, seeds 1..%d, 0 violations%n", points, seed);
        assertThat(points).isGreaterThan(0);
    }

    /** Crashes the workload of {@code seed} after every write count; returns crash points checked. */
    private static int exploreSeed(long seed, int budget) {
        long totalWrites;
        try (MemoryDevice mem = new MemoryDevice("mem", DEVICE_BYTES)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(mem);
            workload(seed, dev, spec(dev, bufferFor(seed)), new LogModel(), true);
            totalWrites = dev.writeCount();
        }
        int points = 0;
        for (long k = 0; k <= totalWrites && points < budget; k++) {
            points += crashAt(seed, k);
        }
        return points;
    }

    private static long bufferFor(long seed) {
        return seed % 4 < 2 ? 8192 : 64 * 1024;
    }

    private static int crashAt(long seed, long k) {
        int points = 0;
        try (MemoryDevice mem = new MemoryDevice("mem", DEVICE_BYTES)) {
            FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(mem);
            dev.crashAfterWrites(k);
            LogModel model = new LogModel();
            workload(seed, dev, spec(dev, bufferFor(seed)), model, true);
            assertThat(dev.crashed() || k >= dev.writeCount()).as("seed %d: the workload stops at the crash", seed).isTrue();
            for (int image = 0; image < IMAGES_PER_POINT; image++) {
                long imageSeed = seed * 1_000_003 + k * 31 + image;
                try (MemoryDevice crashed = dev.crashImage(imageSeed)) {
                    points++;
                    if (!model.formatted && !formatted(crashed)) {
                        continue; // power failed before format returned: no log is a valid outcome
                    }
                    LogModel imageModel = model.copy();
                    recoverAndCheck(crashed, imageModel, "seed " + seed + " crash after write " + k + " image " + imageSeed);
                    if (image == 0) {
                        points += crashAgain(crashed, imageModel, seed, k);
                    }
                }
            }
        }
        return points;
    }

    /** Appends more to a recovered log and crashes it again mid-way. */
    private static int crashAgain(MemoryDevice recoveredImage, LogModel model, long seed, long k) {
        FaultInjectingDevice dev = FaultInjectingDevice.forCrashes(recoveredImage);
        long secondSeed = seed * 7919 + k;
        dev.crashAfterWrites(3 + new Random(secondSeed).nextInt(12));
        workload(secondSeed, dev, spec(dev, bufferFor(seed)), model, false);
        try (MemoryDevice crashed = dev.crashImage(secondSeed)) {
            recoverAndCheck(crashed, model, "seed " + seed + " crash after write " + k + ", then second seed " + secondSeed);
        }
        return 1;
    }

    private static boolean formatted(MemoryDevice dev) {
        try (LogReader r = Mlog.read(spec(dev, 8192))) {
            return true;
        } catch (MpoolException e) {
            return false;
        }
    }

    static void recoverAndCheck(MemoryDevice image, LogModel model, String where) {
        List<byte[]> recovered;
        try (Mlog log = Mlog.open(spec(image, 8192))) {
            recovered = log.reader().readAll();
        } catch (MpoolException e) {
            throw new AssertionError(where + ": recovery failed: " + e, e);
        }
        String violation = model.violation(recovered);
        assertThat(violation).as(where).isNull();
        model.recovered(recovered);
        model.formatted = true;
    }

    @Test
    void recoveryOfAnUnformattedExtentIsAClearError() {
        try (MemoryDevice mem = new MemoryDevice("mem", DEVICE_BYTES)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Mlog.open(spec(mem, 8192)))
                    .isInstanceOf(MpoolException.class)
                    .extracting(e -> ((MpoolException) e).code()).isEqualTo(ErrorCode.CORRUPT);
        }
    }
}
