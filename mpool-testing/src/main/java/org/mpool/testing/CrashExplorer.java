package org.mpool.testing;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;

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
        byte[][] media = new byte[2][];
        for (int run = 0; run < 2; run++) {
            CrashScenario.Start<M> start = scenario.start(seed);
            FaultInjectingDevice device = FaultInjectingDevice.forCrashes(start.media());
            List<AutoCloseable> cleanup = new ArrayList<>();
            try {
                scenario.run(device, start.model(), new SplittableRandom(Seeds.derive(seed, 0)), cleanup);
            } catch (RuntimeException | AssertionError e) {
                violations.add(name + " " + seed + ": the workload fails without any crash: " + describe(e));
                return new Counts(0, 0);
            } finally {
                closeAll(cleanup);
            }
            writes[run] = device.writeCount();
            flushes[run] = device.flushCount();
            media[run] = start.media().media().toArray(ValueLayout.JAVA_BYTE);
            device.close();
        }
        if (writes[0] != writes[1] || flushes[0] != flushes[1] || !Arrays.equals(media[0], media[1])) {
            violations.add(name + " " + seed + ": the workload is not deterministic (" + writes[0] + " vs " + writes[1]
                    + " writes): crash points cannot be replayed");
        }
        return new Counts(writes[0], flushes[0]);
    }

    /** Runs one crash sequence and checks its recoveries; violations are recorded, not thrown. */
    public void run(Sequence sequence) {
        CrashScenario.Start<M> start = scenario.start(sequence.seed());
        MemoryDevice media = start.media();
        M model = start.model();
        int rounds = sequence.crashPoints().length;
        for (int round = 0; round < rounds; round++) {
            String where = name + " sequence " + sequence.replay() + ", round " + round;
            FaultInjectingDevice device = FaultInjectingDevice.forCrashes(media);
            long point = sequence.crashPoints()[round];
            if (point >= 0) {
                device.crashAfterWrites(point);
            } else {
                device.inject(new Fault(Op.FLUSH, ErrorCode.IO, -1 - point, 1L << 40));
            }
            List<AutoCloseable> cleanup = new ArrayList<>();
            String failure = null;
            try {
                scenario.run(device, model, new SplittableRandom(Seeds.derive(sequence.seed(), round)), cleanup);
            } catch (MpoolException e) {
                boolean flushFailed = point < 0 && device.flushCount() == -1 - point;
                if (e.code() != ErrorCode.IO || !(device.crashed() || flushFailed)) {
                    failure = "the workload failed, but not from the crash: " + describe(e);
                }
            } catch (RuntimeException | AssertionError e) {
                failure = "the workload failed: " + describe(e);
            } finally {
                if (!device.crashed()) {
                    device.crashNow(); // the flush failed, or the workload ended: power fails now
                }
                closeAll(cleanup);
            }
            if (failure != null) {
                violations.add(where + ": " + failure);
                device.close();
                return;
            }
            crashPoints.incrementAndGet();
            int images = round == rounds - 1 ? imagesPerCrash : 1;
            MemoryDevice next = null;
            M nextModel = null;
            for (int i = 0; i < images; i++) {
                long imageSeed = Seeds.derive(sequence.seed(), 1_000L * (round + 1) + i);
                MemoryDevice image = device.crashImage(imageSeed);
                try {
                    M recovered = scenario.recover(image, model);
                    imagesChecked.incrementAndGet();
                    if (i == 0) {
                        next = image;
                        nextModel = recovered;
                        continue;
                    }
                } catch (RuntimeException | AssertionError e) {
                    violations.add(where + ", crash image seed " + imageSeed + " (" + device.unflushedWriteCount()
                            + " unflushed writes): " + describe(e));
                    image.close();
                    closeQuietly(next);
                    device.close();
                    return;
                }
                image.close();
            }
            device.close(); // also closes this round's media
            media = next;
            model = nextModel;
        }
        media.close();
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
        StringBuilder s = new StringBuilder(name + ": " + crashPoints() + " crash points, " + imagesChecked()
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
