package org.mpool.testing;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;

/**
 * Crashes a {@link CrashScenario} at chosen device writes and checks every recovery.
 *
 * <p>A {@link Sequence} names a workload seed and, for each round, where power fails: when a
 * given write is issued ({@code crashAfterWrites(k)}), or while a given flush is under way
 * (that flush fails, leaving the writes before it unflushed). The workload runs on
 * {@link FaultInjectingDevice#forCrashes} until the device fails (or to its end, then power
 * fails there),
 * crash images are built from seeds derived from the sequence (each unflushed write kept,
 * torn at 512-byte sectors or lost, by the device's own model), and the scenario checks what
 * each recovers to. The first image of a round is the media of the next round, so a
 * sequence of several rounds crashes, recovers, works on and crashes again.
 *
 * <p>Everything follows from the sequence: a violation names it as {@link Sequence#replay()}.
 * Sequences may run in parallel.
 */
public final class CrashExplorer<M> {
    private final String name;
    private final CrashScenario<M> scenario;
    private final int imagesPerCrash;
    private final AtomicLong crashPoints = new AtomicLong();
    private final AtomicLong imagesChecked = new AtomicLong();
    private final AtomicLong enumeratedPoints = new AtomicLong();
    private final AtomicLong sampledPoints = new AtomicLong();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();

    /**
     * One crash sequence: the workload seed and, per round, its crash point: {@code k >= 0}
     * means power fails when write {@code k + 1} is issued; {@link #duringFlush} values mean
     * power fails while flush number {@code k + 1} is under way (it fails, so the writes
     * before it stay unflushed: kept, torn or lost).
     */
    public record Sequence(long seed, long... crashPoints) {
        public String replay() {
            return seed + ":"
                    + Arrays.stream(crashPoints)
                            .mapToObj(CrashExplorer::describePoint)
                            .collect(Collectors.joining(","));
        }

        /** Parses {@link #replay()}'s form, e.g. {@code 42:17,f3,5}. */
        public static Sequence parse(String s) {
            String[] parts = s.strip().split(":");
            return new Sequence(
                    Long.parseLong(parts[0]),
                    Arrays.stream(parts[1].split(","))
                            .mapToLong(p ->
                                    p.startsWith("f") ? duringFlush(Long.parseLong(p.substring(1))) : Long.parseLong(p))
                            .toArray());
        }
    }

    /** The crash point "during flush {@code k + 1}", after {@code k} flushes completed. */
    public static long duringFlush(long k) {
        return -1 - k;
    }

    static String describePoint(long point) {
        return point >= 0 ? Long.toString(point) : "f" + (-1 - point);
    }

    /** The writes and flushes one round of a workload issues when nothing fails. */
    public record Counts(long writes, long flushes) {
        /** Every crash point of the round: after each write, and during each flush. */
        public long points() {
            return writes + 1 + flushes;
        }

        /** Crash point number {@code i} of {@link #points()}. */
        public long point(long i) {
            return i <= writes ? i : duringFlush(i - writes - 1);
        }
    }

    /**
     * @param imagesPerCrash crash images checked after the last round's crash (earlier rounds
     *                       check one: the one the next round continues on)
     */
    public CrashExplorer(String name, CrashScenario<M> scenario, int imagesPerCrash) {
        this.name = name;
        this.scenario = scenario;
        this.imagesPerCrash = imagesPerCrash;
    }

    /**
     * The writes and flushes one round of the workload of {@code seed} issues when nothing
     * fails. Runs it twice and records a violation if the runs differ (the workload is not
     * deterministic).
     */
    public Counts countsOf(long seed) {
        long[] writes = new long[2];
        long[] flushes = new long[2];
        byte[][][] media = new byte[2][][];
        for (int run = 0; run < 2; run++) {
            CrashScenario.Start<M> start = scenario.start(seed);
            List<FaultInjectingDevice> devices = crashDevices(start.devices());
            List<AutoCloseable> cleanup = new ArrayList<>();
            try {
                scenario.run(
                        asBlockDevices(devices), start.model(), new SplittableRandom(Seeds.derive(seed, 0)), cleanup);
            } catch (RuntimeException | AssertionError e) {
                violations.add(name + " " + seed + ": the workload fails without any crash: " + describe(e));
                return new Counts(0, 0);
            } finally {
                closeAll(cleanup);
            }
            writes[run] = devices.getFirst().writeCount();
            flushes[run] = devices.getFirst().flushCount();
            media[run] = start.devices().stream()
                    .map(d -> d.media().toArray(ValueLayout.JAVA_BYTE))
                    .toArray(byte[][]::new);
            devices.forEach(FaultInjectingDevice::close);
        }
        if (writes[0] != writes[1] || flushes[0] != flushes[1] || !Arrays.deepEquals(media[0], media[1])) {
            violations.add(name + " " + seed + ": the workload is not deterministic (" + writes[0] + " vs " + writes[1]
                    + " writes): crash points cannot be replayed");
        }
        return new Counts(writes[0], flushes[0]);
    }

    /**
     * Explores {@code budget} crash sequences of the workloads of seeds derived from {@code base}:
     * every crash point of one seed's workload after another, each {@code secondCrashEvery}-th
     * followed by a second crash at a point drawn from the seed, after the recovery. Each
     * worker (one per core) takes the next seed. Stops early at the first violation. A long
     * run prints a line of progress every minute.
     */
    public void explore(long base, long budget, int secondCrashEvery) {
        AtomicLong nextSeed = new AtomicLong();
        AtomicLong planned = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-explorer-progress");
            t.setDaemon(true);
            return t;
        });
        progress.scheduleAtFixedRate(
                () -> System.out.println(progress(done.get(), budget, System.nanoTime() - started)),
                1,
                1,
                TimeUnit.MINUTES);
        try {
            IntStream.range(0, Runtime.getRuntime().availableProcessors())
                    .parallel()
                    .forEach(worker -> {
                        while (planned.get() < budget && violations.isEmpty()) {
                            long seed = Seeds.derive(base, nextSeed.getAndIncrement());
                            Counts counts = countsOf(seed);
                            SplittableRandom r = new SplittableRandom(seed);
                            for (long i = 0; i < counts.points() && violations.isEmpty(); i++) {
                                if (planned.getAndIncrement() >= budget) {
                                    return;
                                }
                                run(
                                        i % secondCrashEvery == 0
                                                ? new Sequence(
                                                        seed,
                                                        counts.point(i),
                                                        counts.point(r.nextLong(counts.points())))
                                                : new Sequence(seed, counts.point(i)));
                                done.incrementAndGet();
                            }
                        }
                    });
        } finally {
            progress.shutdownNow();
        }
    }

    /** {@code done} of {@code budget} sequences run; a sequence of two rounds is two crash points. */
    private String progress(long done, long budget, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        return String.format(
                "%s: %,d of %,d sequences, %,d crash points, %,d images, %d violations, %.0f min, %.0f sequences/s,"
                        + " about %.0f min to go",
                name,
                done,
                budget,
                crashPoints(),
                imagesChecked(),
                violations.size(),
                seconds / 60,
                rate,
                Math.max(0, budget - done) / Math.max(rate, 1e-9) / 60);
    }

    /** Runs one crash sequence and checks its recoveries; violations are recorded, not thrown. */
    public void run(Sequence sequence) {
        CrashScenario.Start<M> start = scenario.start(sequence.seed());
        List<MemoryDevice> media = start.devices();
        M model = start.model();
        int rounds = sequence.crashPoints().length;
        for (int round = 0; round < rounds; round++) {
            String where = name + " sequence " + sequence.replay() + ", round " + round;
            List<FaultInjectingDevice> devices = crashDevices(media);
            CrashClock clock = devices.getFirst().clock();
            long point = sequence.crashPoints()[round];
            if (point >= 0) {
                clock.crashAfterWrites(point);
            } else {
                clock.crashDuringFlush(-1 - point);
            }
            List<AutoCloseable> cleanup = new ArrayList<>();
            String failure = null;
            try {
                scenario.run(
                        asBlockDevices(devices),
                        model,
                        new SplittableRandom(Seeds.derive(sequence.seed(), round)),
                        cleanup);
            } catch (MpoolException e) {
                if (e.code() != ErrorCode.IO || !clock.crashed()) {
                    failure = "the workload failed, but not from the crash: " + describe(e);
                }
            } catch (RuntimeException | AssertionError e) {
                failure = "the workload failed: " + describe(e);
            } finally {
                if (!clock.crashed()) {
                    clock.crashNow(); // the workload ended: power fails now
                }
                closeAll(cleanup);
            }
            if (failure != null) {
                violations.add(where + ": " + failure);
                devices.forEach(FaultInjectingDevice::close);
                return;
            }
            crashPoints.incrementAndGet();
            boolean last = round == rounds - 1;
            Images images = last ? Images.of(devices, imagesPerCrash) : Images.sampled(1);
            (images.enumerated() ? enumeratedPoints : sampledPoints).incrementAndGet();
            List<MemoryDevice> next = null;
            M nextModel = null;
            for (int i = 0; i < images.count(); i++) {
                long imageSeed = Seeds.derive(sequence.seed(), 1_000L * (round + 1) + i);
                List<MemoryDevice> image = images.build(devices, i, imageSeed);
                try {
                    M recovered = scenario.recover(image, model);
                    imagesChecked.incrementAndGet();
                    if (i == 0 && !last) {
                        next = image;
                        nextModel = recovered;
                        continue;
                    }
                } catch (RuntimeException | AssertionError e) {
                    violations.add(where + ", crash image " + images.describe(devices, i, imageSeed) + " ("
                            + unflushed(devices) + " unflushed writes): " + describe(e));
                    image.forEach(CrashExplorer::closeQuietly);
                    if (next != null) {
                        next.forEach(CrashExplorer::closeQuietly);
                    }
                    devices.forEach(FaultInjectingDevice::close);
                    return;
                }
                image.forEach(CrashExplorer::closeQuietly);
            }
            devices.forEach(FaultInjectingDevice::close); // also closes this round's media
            media = next;
            model = nextModel;
        }
        if (media != null) {
            media.forEach(CrashExplorer::closeQuietly);
        }
    }

    /** The scenario's devices wrapped on one crash clock, garbling where the scenario allows. */
    private List<FaultInjectingDevice> crashDevices(List<MemoryDevice> media) {
        List<FaultInjectingDevice> devices = FaultInjectingDevice.forCrashes(media);
        for (int i = 0; i < devices.size(); i++) {
            int index = i;
            devices.get(i).garbling(offset -> scenario.mayGarble(index, offset));
        }
        return devices;
    }

    private static List<BlockDevice> asBlockDevices(List<FaultInjectingDevice> devices) {
        return List.copyOf(devices);
    }

    private static int unflushed(List<FaultInjectingDevice> devices) {
        return devices.stream()
                .mapToInt(FaultInjectingDevice::unflushedWriteCount)
                .sum();
    }

    /** Crash points whose images covered every combination of fates of their unflushed writes. */
    public long enumeratedPoints() {
        return enumeratedPoints.get();
    }

    /** Crash points whose images were a sample (more combinations than {@link Images#ENUMERATE_AT_MOST}). */
    public long sampledPoints() {
        return sampledPoints.get();
    }

    public long crashPoints() {
        return crashPoints.get();
    }

    public long imagesChecked() {
        return imagesChecked.get();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** A summary line, and the first violations if there are any. */
    public String report(long elapsedNanos) {
        StringBuilder s = new StringBuilder(name + ": " + crashPoints() + " crash points (" + enumeratedPoints()
                + " with every combination of fates, " + sampledPoints() + " sampled), " + imagesChecked()
                + " crash images checked, " + violations.size() + " violations, " + elapsedNanos / 1_000_000 + " ms");
        violations.stream().limit(10).forEach(v -> s.append("\n  ").append(v));
        return s.toString();
    }

    private static String describe(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        String at = trace.length > 0 ? " at " + trace[0] : "";
        return e + at;
    }

    private static void closeAll(List<AutoCloseable> cleanup) {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            closeQuietly(cleanup.get(i));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // After a crash closing fails with IO; it still releases the object's memory.
        }
    }
}
