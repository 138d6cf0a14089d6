package org.mpool.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mpool.Advice;
import org.mpool.Mcache;
import org.mpool.Mpool;
import org.mpool.ObjectId;

/**
 * A page-cache-cold sequential scan of a mapped collection, reading ahead with willNeed
 * ({@link StreamingScan}), against fio reading the same bytes of the pool file with 1 MiB
 * O_DIRECT reads: both then go at the device's speed, neither is served by the page cache.
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
     * Runs {@code rounds} pairs of (our passes, fio) for {@code seconds} each on {@code ids}
     * (adjacent zones of {@code file}, starting at byte {@code fileOffset}).
     */
    static Result measure(Mpool pool, Path file, List<ObjectId> ids, long fileOffset, int seconds, int rounds)
            throws Exception {
        double[] ours = new double[rounds];
        double[] fio = new double[rounds];
        double[] worstResidentBefore = {0};
        long bytes;
        try (Mcache map = pool.map(ids, Advice.WARM)) {
            bytes = map.segment().byteSize();
            for (int r = 0; r < rounds; r++) {
                int round = r;
                Pair.run(file, r % 2 == 1,
                        () -> ours[round] = passes(map, seconds, worstResidentBefore),
                        () -> fio[round] = Fio.run(file, map.segment().byteSize(), seconds, "--offset=" + fileOffset,
                                "--rw=read", "--bs=1m").bytesPerSecond() / MIB);
            }
            map.purge(); // leave the mblocks cold for the cases after this one
        }
        double o = Measure.median(ours);
        double b = Measure.median(fio);
        boolean cold = worstResidentBefore[0] <= COLD_FRACTION;
        String name = String.format(Locale.ROOT,
                "cold sequential scan with willNeed %d MiB ahead, %d MiB of %d mapped mblocks (purge() first: %.1f%% resident)",
                StreamingScan.AHEAD >> 20, bytes >> 20, ids.size(), 100 * worstResidentBefore[0]);
        return new Result("cache", name, "MiB/s", o, "fio read bs=1m direct=1, same bytes (device speed)", b,
                Double.NaN, Double.NaN, Double.NaN, "≥ 0.80× fio", cold && (b == 0 || o >= 0.8 * b));
    }

    /**
     * Cold passes over the whole map for about {@code seconds}: each purges (untimed), checks
     * residency, then scans (timed). Returns MiB/s over the timed parts.
     */
    private static double passes(Mcache map, int seconds, double[] worstResidentBefore) {
        long length = map.segment().byteSize();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long scanned = 0;
        long nanos = 0;
        do {
            map.purge();
            worstResidentBefore[0] = Math.max(worstResidentBefore[0], (double) map.residentBytes() / length);
            long t0 = System.nanoTime();
            Scans.Blackhole.consume(StreamingScan.scan(map, length));
            nanos += System.nanoTime() - t0;
            scanned += length;
        } while (System.nanoTime() < end);
        return scanned / MIB / (nanos / 1e9);
    }
}
