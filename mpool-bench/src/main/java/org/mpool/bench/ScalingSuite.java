package org.mpool.bench;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;

/**
 * How one pool scales with the threads that use it (docs/SCALING.md): durable small-object
 * commits against one file per object with fsync at the same thread count, and sync appends
 * to one shared mlog against one thread's rate (group commit). Each thread count runs both
 * sides interleaved, order alternating between rounds; the curves are drawn by
 * {@link Plots} from the results' names ("..., N threads"). Not in the default suites: name it.
 */
final class ScalingSuite implements Suite {
    static final int[] THREADS = {1, 2, 4, 8, 16};
    private static final long MIB = 1 << 20;

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = Files2.writtenFile(c.dir(), "scaling.img", 1L << 30);
        int n = c.rounds();
        double[][] commits = new double[THREADS.length][n];
        double[][] files = new double[THREADS.length][n];
        double[][] appends = new double[THREADS.length][n];
        byte[] record = new byte[100];
        try (Mpool pool = Mpool.create(
                        "scaling", file, new CreateOptions().mblockSize(MIB).force(true));
                Arena arena = Arena.ofShared()) {
            ObjectId logId = pool.allocateMlog(MediaClass.CAPACITY, 256 * MIB);
            pool.commit(logId, 0);
            try (Mlog log = pool.openMlog(logId)) {
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < THREADS.length; k++) {
                        int threads = THREADS[k];
                        int kk = k;
                        int rr = r;
                        PoolSuite.inOrder(
                                (r + k) % 2 == 1,
                                () -> commits[kk][rr] = PoolSuite.settled(
                                        file, () -> PoolSuite.smallCommits(pool, arena, threads, c.seconds())),
                                () -> files[kk][rr] = PoolSuite.settled(
                                        file, () -> PoolSuite.filePerObject(c.dir(), threads, c.seconds())));
                        log.erase();
                        appends[k][r] = PoolSuite.settled(
                                file, () -> LogSuite.concurrentSyncAppends(log, record, threads, c.seconds()));
                        System.err.printf(
                                "bench: scaling round %d, %d threads: %,.0f commits/s (files %,.0f), %,.0f sync appends/s%n",
                                r + 1, threads, commits[k][r], files[k][r], appends[k][r]);
                    }
                }
            }
        }
        List<Result> out = new ArrayList<>();
        double oneThread = Measure.median(appends[0]);
        for (int k = 0; k < THREADS.length; k++) {
            String t = THREADS[k] == 1 ? "1 thread" : THREADS[k] + " threads";
            out.add(report(
                    "small object commit (allocate + 4 KiB + commit), " + t,
                    "ops/s",
                    Measure.median(commits[k]),
                    "file per object (create, write 4 KiB, fsync, close), " + t,
                    Measure.median(files[k])));
            out.add(report(
                    "sync append 100 B to one mlog, " + t,
                    "ops/s",
                    Measure.median(appends[k]),
                    "sync append, 1 thread",
                    oneThread));
        }
        return out;
    }

    private static Result report(String name, String unit, double value, String baseline, double base) {
        return new Result(
                "scaling",
                name,
                unit,
                value,
                baseline,
                base,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "report (a curve)",
                true);
    }
}
