package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.mpool.MblockWriter;
import org.mpool.Mcache;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/**
 * mcache: the time to map 64 mblocks; a warm sequential scan of a mapped collection against the
 * same scan over one FileChannel.map of the same bytes (the mblocks are adjacent zones of the
 * pool file, so one plain mapping covers them all); a cold scan with willNeed against fio
 * ({@link ColdScan}); and an LSM-style run, compaction next to queries on a hot set
 * ({@link LsmRun}).
 */
final class CacheSuite implements Suite {
    private static final int MBLOCKS = 64;
    private static final long MBLOCK = 1L << 20;
    private static final int MAP_SAMPLES = 5;
    /** Mblocks of the cold-scan and LSM cases: the pool's default size. */
    private static final long BIG_MBLOCK = CreateOptions.DEFAULT_MBLOCK_SIZE;
    /** The cold scan reads the first mblocks of the compaction input: enough that setup does not dominate. */
    private static final long COLD_SCAN_BYTES = 512L << 20;

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        List<Result> out = new ArrayList<>(mapAndWarmScan(c));
        Path file = c.dir().resolve("cache-lsm-pool.img");
        Files.deleteIfExists(file);
        long dataBytes = LsmRun.COMPACTION_BYTES + LsmRun.HOT_BYTES;
        try (Mpool pool = Mpool.create(
                        "benchlsm",
                        file,
                        new CreateOptions().size(dataBytes + (1L << 30)).mblockSize(BIG_MBLOCK));
                Arena arena = Arena.ofShared()) {
            MemorySegment buf = Files2.randomBuffer(arena, MBLOCK, 5);
            List<ObjectId> compaction = writeMblocks(pool, buf, (int) (LsmRun.COMPACTION_BYTES / BIG_MBLOCK));
            List<ObjectId> hot = writeMblocks(pool, buf, (int) (LsmRun.HOT_BYTES / BIG_MBLOCK));
            List<ObjectId> scanned = compaction.subList(0, (int) (COLD_SCAN_BYTES / BIG_MBLOCK));
            long first = pool.info(scanned.get(0)).offsetBytes();
            long last = pool.info(scanned.get(scanned.size() - 1)).offsetBytes();
            if (last != first + COLD_SCAN_BYTES - BIG_MBLOCK) {
                throw new IllegalStateException("cold scan: the mblocks are not adjacent zones of " + file
                        + ", so fio could not read the same bytes");
            }
            out.addAll(ColdScan.measure(pool, file, scanned, first, c.seconds(), c.rounds()));
            out.addAll(lsmResults(LsmRun.measure(pool, hot, compaction, c.rounds())));
        } finally {
            Files.deleteIfExists(file);
        }
        return out;
    }

    private static List<Result> lsmResults(LsmRun.Outcome[][] runs) {
        LsmRun.Outcome[] direct = runs[LsmRun.Compaction.DIRECT_IO.ordinal()];
        LsmRun.Outcome[] mapped = runs[LsmRun.Compaction.MMAP.ordinal()];
        String what = String.format(
                Locale.ROOT,
                "%d GiB compaction through mmap (COLD map, willNeed ahead),"
                        + " reaper budget = %d GiB hot set + %d MiB",
                LsmRun.COMPACTION_BYTES >> 30,
                LsmRun.HOT_BYTES >> 30,
                LsmRun.HEADROOM >> 20);
        String base = "same, compaction through direct I/O (readMblock)";
        String target = "report (no numeric target)";
        ToDoubleFunction<LsmRun.Outcome> p50 = o -> o.queries().getValueAtPercentile(50) / 1000.0;
        ToDoubleFunction<LsmRun.Outcome> p99 = o -> o.queries().getValueAtPercentile(99) / 1000.0;
        return List.of(
                new Result(
                        "cache",
                        "LSM: query p99, random 4 KiB reads of a HOT map during a " + what,
                        "µs",
                        median(mapped, p99),
                        base,
                        median(direct, p99),
                        median(mapped, p50),
                        median(mapped, p99),
                        median(direct, p99),
                        target,
                        true),
                new Result(
                        "cache",
                        String.format(
                                        Locale.ROOT,
                                        "LSM: hot set resident when the compaction ends (the reaper evicted %.0f MiB of the compaction's), ",
                                        median(mapped, o -> o.evictedBytes() / (double) (1 << 20)))
                                + what,
                        "%",
                        median(mapped, o -> 100 * o.hotResident()),
                        base,
                        median(direct, o -> 100 * o.hotResident()),
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        target,
                        true),
                new Result(
                        "cache",
                        "LSM: compaction read rate next to the queries, " + what,
                        "MiB/s",
                        median(mapped, LsmRun.Outcome::compactionMiBps),
                        base,
                        median(direct, LsmRun.Outcome::compactionMiBps),
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        target,
                        true));
    }

    private static double median(LsmRun.Outcome[] runs, ToDoubleFunction<LsmRun.Outcome> f) {
        double[] v = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            v[i] = f.applyAsDouble(runs[i]);
        }
        return Measure.median(v);
    }

    /** Writes {@code count} committed mblocks filled to capacity, {@code buf} repeated. */
    private static List<ObjectId> writeMblocks(Mpool pool, MemorySegment buf, int count) {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
            MblockBytes.fill(w, buf);
            w.commit();
            ids.add(w.id());
        }
        return ids;
    }

    /** The map of 64 mblocks and the warm scan, on a pool of 1 MiB mblocks. */
    private static List<Result> mapAndWarmScan(Config c) throws Exception {
        Path file = c.dir().resolve("cache-pool.img");
        Files.deleteIfExists(file);
        int n = c.rounds();
        double[] mapMillis = new double[n];
        double[] ours = new double[n];
        double[] plain = new double[n];
        try (Mpool pool = Mpool.create(
                        "benchcache", file, new CreateOptions().size(1L << 30).mblockSize(MBLOCK));
                Arena arena = Arena.ofShared()) {
            List<ObjectId> ids = writeMblocks(pool, Files2.randomBuffer(arena, MBLOCK, 3), MBLOCKS);
            long capacity = pool.mblockCapacity(MediaClass.CAPACITY);
            long first = pool.info(ids.get(0)).offsetBytes();
            boolean adjacent = pool.info(ids.get(MBLOCKS - 1)).offsetBytes() == first + (MBLOCKS - 1) * MBLOCK;
            // The first map of a process also loads classes and links the FFM downcalls (mmap,
            // madvise, mincore): tens of ms that a running program pays once, not per map.
            pool.map(ids, Advice.WARM).close();
            for (int r = 0; r < n; r++) {
                mapMillis[r] = mapMillis(pool, ids);
                try (Mcache map = pool.map(ids, Advice.WARM)) {
                    map.willNeed(0, map.segment().byteSize());
                    // Each 1 MiB slot holds an mblock's 1,044,480 data bytes, then zeros where
                    // the zone has its checksum table: both sides scan the data, mblock by mblock.
                    List<MemorySegment> mapped = ids.stream().map(map::segment).toList();
                    if (!adjacent) {
                        ours[r] = WarmScan.measure(mapped, mapped)[0];
                        continue;
                    }
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                            Arena a = Arena.ofConfined()) {
                        MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, first, MBLOCKS * MBLOCK, a);
                        List<MemorySegment> plainSlices = new ArrayList<>();
                        for (int i = 0; i < MBLOCKS; i++) {
                            plainSlices.add(whole.asSlice(i * MBLOCK, capacity));
                        }
                        double[] rates = WarmScan.measure(mapped, plainSlices);
                        ours[r] = rates[0];
                        plain[r] = rates[1];
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        double m = Measure.median(mapMillis);
        double o = Measure.median(ours);
        double p = Measure.median(plain);
        return List.of(
                new Result(
                        "cache",
                        "map of 64 mblocks (median of " + MAP_SAMPLES + " maps a round)",
                        "ms",
                        m,
                        "target",
                        10,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        "< 10 ms",
                        m < 10),
                new Result(
                        "cache",
                        "warm sequential scan of 64 mapped mblocks",
                        "MiB/s",
                        o,
                        "one FileChannel.map of their 64 zones, the same data bytes scanned mblock by mblock",
                        p,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        "≥ 0.90×",
                        p == 0 || o >= 0.9 * p));
    }

    /**
     * The median of {@link #MAP_SAMPLES} maps of {@code ids} (each closed untimed): one map takes
     * milliseconds, so a single sample per round would be mostly noise.
     */
    private static double mapMillis(Mpool pool, List<ObjectId> ids) {
        double[] millis = new double[MAP_SAMPLES];
        for (int i = 0; i < MAP_SAMPLES; i++) {
            long t0 = System.nanoTime();
            Mcache map = pool.map(ids, Advice.WARM); // HOT would also read ahead: not part of mapping
            millis[i] = (System.nanoTime() - t0) / 1e6;
            map.close();
        }
        return Measure.median(millis);
    }
}
