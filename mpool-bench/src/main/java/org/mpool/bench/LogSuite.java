package org.mpool.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/**
 * An mlog against fio on the same file: synced 100-byte appends (1 and 8 threads) and async
 * appends flushed every MiB. The pool sits on a fully written file, so the mlog's appends are
 * overwrites of written blocks, as fio's are. The mlog (512 MiB) is made once; each round opens
 * it and erases it, so every round starts from an empty log. A full log is erased and the run
 * goes on (erase is timed too). fio writes in a region right past the mlog's end, which the pool
 * reserves as a second mlog, so fio never overwrites the log or pool metadata.
 */
final class LogSuite implements Suite {
    /** Room for zone 0, the metadata shards' logs, the spare reserve, the mlog and fio's region. */
    private static final long FILE_BYTES = 2L << 30;

    private static final long LOG_BYTES = 512L << 20;
    /** fio's region past the mlog: as large as the log, as fio's sequential runs used before. */
    private static final long FIO_BYTES = 512L << 20;

    private static final long FIO_SYNC_BYTES = 64L << 20;
    private static final int RECORD = 100;

    @Override
    public String name() {
        return "log";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = Files2.writtenFile(c.dir(), "log.img", FILE_BYTES);
        int n = c.rounds();
        double[] sync1 = new double[n];
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double[] sync8 = new double[n];
        double[] async = new double[n];
        double[] fioSync = new double[n];
        double[] fioSyncP99 = new double[n];
        double[] fioSeq = new double[n];
        double[] fioSeqSync = new double[n];
        byte[] record = new byte[RECORD];
        try (Mpool pool = Mpool.create("benchlog", file, new CreateOptions().force(true))) {
            ObjectId id = pool.allocateMlog(MediaClass.CAPACITY, LOG_BYTES);
            pool.commit(id, 0);
            ObjectInfo log = pool.info(id);
            ObjectId region = pool.allocateMlog(MediaClass.CAPACITY, FIO_BYTES);
            pool.commit(region, 0);
            long fioOffset = pool.info(region).offsetBytes();
            if (fioOffset < log.offsetBytes() + log.capacityBytes()) {
                throw new IllegalStateException("bench: fio's region lies before the end of the mlog");
            }
            for (int r = 0; r < n; r++) {
                try (Mlog mlog = pool.openMlog(id)) {
                    mlog.erase(); // every round starts from an empty log
                    int round = r;
                    // Side by side, order alternating: the device's synced-write rate drifts
                    // by half within an hour here. fio writes past the log's extent.
                    Pair.run(
                            file,
                            r % 2 == 1,
                            () -> {
                                Measure.Run one = Measure.timed(c.seconds(), i -> {
                                    appendOrErase(mlog, record, true);
                                    return 1;
                                });
                                sync1[round] = one.perSecond();
                                p50[round] = one.p50();
                                p99[round] = one.p99();
                            },
                            () -> {
                                Fio.Run f = Fio.run(
                                        file,
                                        FIO_SYNC_BYTES,
                                        c.seconds(),
                                        "--offset=" + fioOffset,
                                        "--rw=write",
                                        "--bs=4k",
                                        "--fdatasync=1");
                                fioSync[round] = f.iops();
                                fioSyncP99[round] = f.writeSyncP99();
                            });
                    sync8[r] = concurrentSyncAppends(mlog, record, 8, c.seconds());
                    // Side by side with fio doing the same flushes, for the same reason.
                    Pair.run(
                            file,
                            r % 2 == 0,
                            () -> {
                                long[] bytes = {0};
                                async[round] = Measure.throughput(c.seconds(), i -> {
                                            appendOrErase(mlog, record, false);
                                            bytes[0] += RECORD;
                                            if (bytes[0] % (1 << 20) < RECORD) {
                                                mlog.flush();
                                            }
                                            return RECORD;
                                        })
                                        / (1 << 20);
                            },
                            () -> fioSeqSync[round] = Fio.run(
                                                    file,
                                                    FIO_BYTES,
                                                    c.seconds(),
                                                    "--offset=" + fioOffset,
                                                    "--rw=write",
                                                    "--bs=1m",
                                                    "--fdatasync=1")
                                            .bytesPerSecond()
                                    / (1 << 20));
                }
                if (Fio.available()) {
                    Files2.settle(file);
                    fioSeq[r] = Fio.run(file, FIO_BYTES, c.seconds(), "--offset=" + fioOffset, "--rw=write", "--bs=1m")
                                    .bytesPerSecond()
                            / (1 << 20);
                    Files2.settle(file);
                }
            }
        }
        double s1 = Measure.median(sync1);
        double fs = Measure.median(fioSync);
        double fp99 = Measure.median(fioSyncP99);
        double s8 = Measure.median(sync8);
        double as = Measure.median(async);
        double fseq = Measure.median(fioSeq);
        List<Result> out = new ArrayList<>();
        out.add(new Result(
                "log",
                "sync append 100 B, 1 thread",
                "ops/s",
                s1,
                "fio write bs=4k fdatasync=1",
                fs,
                Measure.median(p50),
                Measure.median(p99),
                fp99,
                "≥ 0.90× fio ops/s, p99 ≤ 1.3× fio p99",
                fs == 0 || (s1 >= 0.9 * fs && Measure.median(p99) <= 1.3 * fp99)));
        out.add(new Result(
                "log",
                "sync append 100 B, 8 threads, one mlog",
                "ops/s",
                s8,
                "sync append, 1 thread",
                s1,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "≥ 4× one thread",
                s8 >= 4 * s1));
        out.add(new Result(
                "log",
                "async append 100 B, flush every MiB (record bytes)",
                "MiB/s",
                as,
                "fio write bs=1m",
                fseq,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "≥ 0.80× fio",
                fseq == 0 || as >= 0.8 * fseq));
        double fss = Measure.median(fioSeqSync);
        out.add(new Result(
                "log",
                "async append 100 B, flush every MiB (same durability as the baseline)",
                "MiB/s",
                as,
                "fio write bs=1m fdatasync=1 (a flush per MiB)",
                fss,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "≥ 0.80× fio",
                fss == 0 || as >= 0.8 * fss));
        return out;
    }

    private static void appendOrErase(Mlog log, byte[] record, boolean sync) {
        try {
            log.append(record, sync);
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.LOG_FULL) {
                throw e;
            }
            synchronized (log) {
                if (log.remaining() < 4096) {
                    log.erase();
                }
            }
            log.append(record, sync);
        }
    }

    static double concurrentSyncAppends(Mlog log, byte[] record, int threads, int seconds) throws Exception {
        AtomicLong appends = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        Workers.run(threads, t -> {
            while (System.nanoTime() < end) {
                appendOrErase(log, record, true);
                appends.incrementAndGet();
            }
        });
        return appends.get() / ((System.nanoTime() - start) / 1e9);
    }
}
