package org.mpool.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.mpool.Mcache;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/**
 * A page-cache-cold sequential scan of a mapped collection, reading ahead with willNeed
 * ({@link StreamingScan}), against fio reading the same bytes of the pool file in 1 MiB reads,
 * with O_DIRECT and buffered from a cold page cache.
 *
 * <p>The bytes: fio reads the mblocks' zones, whole (their data and, at each zone's end, its
 * page-checksum table: 36 KiB of a 32 MiB zone), and counts them all. Ours scans the map's
 * whole range, where a slot holds its mblock's data and then zeros (the map does not map the
 * table: no I/O), and counts the data bytes only. Both rates are bytes read from the device
 * per second.
 *
 * <p>Cold is made with {@link Mcache#purge()} before every pass (MADV_DONTNEED on the map, then
 * POSIX_FADV_DONTNEED on the file range: docs/MCACHE.md measured that this pair drops the
 * pages and that either call alone does not) and checked with {@link Mcache#residentBytes()}.
 * {@code /proc/sys/vm/drop_caches} would drop them too, but it drops every file's cache on a
 * machine shared with other benchmarks, so it is not used.
 */
final class ColdScan {
    /** A pass counts as cold when at most this fraction of the range is resident before it. */
    static final double COLD_FRACTION = 0.01;

    private static final double MIB = 1 << 20;

    private ColdScan() {}

    /**
     * Runs {@code rounds} rounds of (our passes, fio direct, fio buffered), in an order that
     * rotates between rounds, for about {@code seconds} each on {@code ids} (adjacent zones of
     * {@code file}, starting at byte {@code fileOffset}). Two results: against fio with
     * O_DIRECT (the device's speed) and against fio's default buffered read, one cold pass
     * (its invalidate=1 drops the range from the page cache first), which goes through the
     * page cache as a mapped scan does.
     */
    static List<Result> measure(Mpool pool, Path file, List<ObjectId> ids, long fileOffset, int seconds, int rounds)
            throws Exception {
        double[] ours = new double[rounds];
        double[] direct = new double[rounds];
        double[] buffered = new double[rounds];
        double[] worstResidentBefore = {0};
        long bytes;
        long dataBytes;
        try (Mcache map = pool.map(ids, Advice.WARM)) {
            bytes = map.segment().byteSize();
            dataBytes = dataBytes(map);
            for (int r = 0; r < rounds; r++) {
                int round = r;
                List<Pair.Side> sides = new ArrayList<>(List.of(
                        () -> ours[round] = passes(map, seconds, worstResidentBefore),
                        () -> direct[round] = Fio.available()
                                ? Fio.run(file, bytes, seconds, "--offset=" + fileOffset, "--rw=read", "--bs=1m")
                                                .bytesPerSecond()
                                        / MIB
                                : 0,
                        () -> buffered[round] = Fio.available()
                                ? bufferedFio(map, file, fileOffset, seconds, worstResidentBefore)
                                : 0));
                Collections.rotate(sides, r);
                for (Pair.Side side : sides) {
                    Files2.settle(file);
                    side.run();
                }
            }
            map.purge(); // leave the mblocks cold for the cases after this one
        }
        double o = Measure.median(ours);
        boolean cold = worstResidentBefore[0] <= COLD_FRACTION;
        String name = String.format(
                Locale.ROOT,
                "cold sequential scan with willNeed %d MiB ahead, %d MiB of data in %d mapped mblocks (purge() first: %.1f%% resident)",
                StreamingScan.AHEAD >> 20,
                dataBytes >> 20,
                ids.size(),
                100 * worstResidentBefore[0]);
        return List.of(
                result(
                        name,
                        o,
                        "fio read bs=1m direct=1 of their zones, tables too (device speed)",
                        Measure.median(direct),
                        cold),
                result(
                        name,
                        o,
                        "fio read bs=1m buffered (fio's default), one cold pass of their zones",
                        Measure.median(buffered),
                        cold));
    }

    /**
     * fio's buffered read from a cold page cache. Its invalidate=1 cannot drop pages a mapping
     * still holds (our passes leave the range mapped in), so the map is purged first and the
     * range checked cold, as before our own passes.
     */
    private static double bufferedFio(
            Mcache map, Path file, long fileOffset, int seconds, double[] worstResidentBefore) {
        purgeAndRecordResidency(map, worstResidentBefore);
        return Fio.run(
                                file,
                                map.segment().byteSize(),
                                seconds,
                                "--offset=" + fileOffset,
                                "--rw=read",
                                "--bs=1m",
                                "--direct=0",
                                "--invalidate=1",
                                "--time_based=0")
                        .bytesPerSecond()
                / MIB;
    }

    /** Drops the map's pages, and keeps the highest fraction of it found still resident afterwards. */
    private static void purgeAndRecordResidency(Mcache map, double[] worstResidentBefore) {
        map.purge();
        worstResidentBefore[0] = Math.max(worstResidentBefore[0], (double) map.residentBytes() / dataBytes(map));
    }

    private static Result result(String name, double ours, String baselineName, double baseline, boolean cold) {
        return new Result(
                "cache",
                name,
                "MiB/s",
                ours,
                baselineName,
                baseline,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "≥ 0.80× fio",
                cold && (baseline == 0 || ours >= 0.8 * baseline));
    }

    /** The mapped mblocks' data in whole pages: what the map reads from the device. */
    static long dataBytes(Mcache map) {
        return map.mblocks().stream()
                .mapToLong(id -> (map.length(id) + 4095) / 4096 * 4096)
                .sum();
    }

    /**
     * Cold passes over the whole map for about {@code seconds}: each purges (untimed), checks
     * residency, then scans (timed). Returns MiB/s of data over the timed parts.
     */
    private static double passes(Mcache map, int seconds, double[] worstResidentBefore) {
        long length = map.segment().byteSize();
        long data = dataBytes(map);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long scanned = 0;
        long nanos = 0;
        do {
            purgeAndRecordResidency(map, worstResidentBefore);
            long t0 = System.nanoTime();
            Scans.Blackhole.consume(StreamingScan.scan(map, length));
            nanos += System.nanoTime() - t0;
            scanned += data;
        } while (System.nanoTime() < end);
        return scanned / MIB / (nanos / 1e9);
    }
}
