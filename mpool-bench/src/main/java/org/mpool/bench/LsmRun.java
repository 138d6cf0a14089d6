package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.mpool.Mcache;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper;
import org.mpool.common.Reaper.Advice;

/**
 * An LSM-style run: a compaction thread reads {@link #COMPACTION_BYTES} of mblocks once,
 * sequentially, while a query thread reads random 4 KiB pages of a {@link #HOT_BYTES} hot set
 * (committed mblocks mapped with {@link Advice#HOT}, fully resident before the run). The
 * compaction reads either with direct I/O ({@link Mpool#readMblock}, O_DIRECT: no page cache)
 * or through a second map of its mblocks, advised {@link Advice#COLD} as a compaction input
 * should be, reading ahead with willNeed.
 *
 * <p>Why a reaper budget: this machine has 24 GiB of RAM, so the kernel would keep both the hot
 * set and the 4 GiB the compaction reads, and nothing would compete. The pool's budget is set
 * to the hot set plus {@link #HEADROOM}: the compaction's map then has to be evicted for the
 * hot set to stay, which is the decision the reaper exists to make (COLD before HOT). A cgroup
 * memory limit would have forced the same competition, but it needs the JVM moved into a new
 * cgroup (v1 here, under a managed hierarchy) and would measure the kernel's LRU rather than
 * mpool's policy.
 */
final class LsmRun {
    /** What the compaction reads; 4 GiB is about 3 s of device time here. */
    static final long COMPACTION_BYTES = 4L << 30;

    static final long HOT_BYTES = 1L << 30;
    /** Budget above the hot set: room for about three 32 MiB compaction mblocks and the readahead. */
    static final long HEADROOM = 256L << 20;

    static final long PAGE = 4096;
    /** Read size of the direct-I/O compaction, as the pool suite's mblock reads. */
    private static final long DIRECT_READ = 1L << 20;

    enum Compaction {
        DIRECT_IO,
        MMAP
    }

    /**
     * One run.
     *
     * @param queries latency of each 4 KiB query, ns
     * @param hotResident fraction of the hot set resident when the compaction ended
     * @param compactionMiBps the compaction's read rate
     * @param evictedBytes page cache the reaper evicted during the run
     * @param scans reaper scans during the run (mincore of every map, then evictions)
     */
    record Outcome(Histogram queries, double hotResident, double compactionMiBps, long evictedBytes, long scans) {}

    private LsmRun() {}

    /** Sets the budget, maps the hot set and runs both kinds of compaction {@code rounds} times, alternating. */
    static Outcome[][] measure(Mpool pool, List<ObjectId> hot, List<ObjectId> compaction, int rounds) throws Exception {
        Reaper.Config before = pool.reaperConfig();
        // No TTL: the hot set's last access is only its touch()es; the run is about the budget.
        pool.setReaperConfig(before.withBudgetBytes(HOT_BYTES + HEADROOM).withTtl(Duration.ZERO));
        Outcome[][] out = new Outcome[Compaction.values().length][rounds];
        try (Mcache hotMap = pool.map(hot, Advice.HOT)) {
            for (int r = 0; r < rounds; r++) {
                Compaction first = r % 2 == 0 ? Compaction.DIRECT_IO : Compaction.MMAP;
                Compaction second = first == Compaction.DIRECT_IO ? Compaction.MMAP : Compaction.DIRECT_IO;
                out[first.ordinal()][r] = once(pool, hotMap, compaction, first, r);
                out[second.ordinal()][r] = once(pool, hotMap, compaction, second, r);
            }
        } finally {
            pool.setReaperConfig(before);
        }
        return out;
    }

    private static Outcome once(Mpool pool, Mcache hot, List<ObjectId> compaction, Compaction how, int round)
            throws Exception {
        Scans.Blackhole.consume(StreamingScan.scan(hot, hot.segment().byteSize())); // resident, in our page tables
        long hotBytes = ColdScan.dataBytes(hot); // what can be resident: the slots' tails are zeros
        Mcache input = how == Compaction.MMAP ? pool.map(compaction, Advice.COLD) : null;
        try {
            if (input != null) {
                input.purge(); // cold, as a compaction's input is: nothing left over from an earlier run
                long t0 = System.nanoTime();
                long left = input.residentBytes();
                System.err.printf(
                        "bench: LSM compaction map after purge: %d MiB resident (mincore of its %d MiB took %.1f ms)%n",
                        left >> 20, input.segment().byteSize() >> 20, (System.nanoTime() - t0) / 1e6);
            }
            Reaper.Stats statsBefore = pool.stats().reaper();
            AtomicBoolean done = new AtomicBoolean();
            FutureTask<Histogram> queries = new FutureTask<>(() -> queries(hot, done, round));
            FutureTask<Double> compactor =
                    new FutureTask<>(() -> input == null ? compactDirect(pool, compaction) : compactMapped(input));
            Thread.ofPlatform().name("lsm-query").start(queries);
            Thread.ofPlatform().name("lsm-compaction").start(compactor);
            double rate;
            try {
                rate = compactor.get();
            } finally {
                done.set(true);
            }
            Histogram h = queries.get();
            double resident = (double) hot.residentBytes() / hotBytes;
            Reaper.Stats statsAfter = pool.stats().reaper();
            long evicted = statsAfter.evictedBytes() - statsBefore.evictedBytes();
            long scans = statsAfter.scans() - statsBefore.scans();
            System.err.printf(
                    "bench: LSM %s round %d: compaction %.0f MiB/s, query p99 %.1f µs, hot set %.1f%% resident,"
                            + " reaper: %d scans, %d MiB evicted%n",
                    how, round + 1, rate, h.getValueAtPercentile(99) / 1000.0, 100 * resident, scans, evicted >> 20);
            return new Outcome(h, resident, rate, evicted, scans);
        } finally {
            if (input != null) {
                input.purge();
                input.close();
            }
        }
    }

    /**
     * Random 4 KiB page reads of the hot set's data until {@code done} (a random mblock, then a
     * random page of its length); each read loads every line of its page.
     */
    private static Histogram queries(Mcache hot, AtomicBoolean done, int round) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        MemorySegment s = hot.segment();
        List<ObjectId> ids = hot.mblocks();
        long[] bases = ids.stream().mapToLong(hot::base).toArray();
        long[] pages = ids.stream().mapToLong(id -> hot.length(id) / PAGE).toArray();
        SplittableRandom random = new SplittableRandom(31 + round);
        long sum = 0;
        while (!done.get()) {
            int k = random.nextInt(bases.length);
            long offset = bases[k] + random.nextLong(pages[k]) * PAGE;
            long t0 = System.nanoTime();
            sum += Scans.sumLines(s, offset, PAGE);
            h.recordValue(Math.max(1, System.nanoTime() - t0));
            hot.touch(); // the reaper's record of use, as a real reader keeps it
        }
        Scans.Blackhole.consume(sum);
        return h;
    }

    /** Reads every mblock in 1 MiB direct reads (the last of each shorter) and loads every line; returns MiB/s. */
    private static double compactDirect(Mpool pool, List<ObjectId> ids) {
        long t0 = System.nanoTime();
        long bytes = 0;
        long sum = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = Mpool.allocateBuffer(arena, DIRECT_READ);
            for (ObjectId id : ids) {
                long length = pool.info(id).lengthBytes();
                for (long off = 0; off < length; off += DIRECT_READ) {
                    long n = Math.min(DIRECT_READ, length - off);
                    MemorySegment piece = n == DIRECT_READ ? buf : buf.asSlice(0, (n + PAGE - 1) / PAGE * PAGE);
                    pool.readMblock(id, off, piece);
                    sum += Scans.sumLines(piece, 0, n);
                    bytes += n;
                }
            }
        }
        Scans.Blackhole.consume(sum);
        return bytes / (double) (1 << 20) / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Reads the map of every mblock in order with willNeed ahead and loads every line; returns
     * MiB/s of data (the zeros at the end of each slot are read too, but come from no device).
     */
    private static double compactMapped(Mcache input) {
        long length = input.segment().byteSize();
        long t0 = System.nanoTime();
        Scans.Blackhole.consume(StreamingScan.scan(input, length));
        return ColdScan.dataBytes(input) / (double) (1 << 20) / ((System.nanoTime() - t0) / 1e9);
    }
}
