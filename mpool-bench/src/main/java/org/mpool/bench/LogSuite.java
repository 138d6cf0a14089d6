package org.mpool.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.MpoolException;
import org.mpool.device.NativeDevice;
import org.mpool.log.LogSpec;
import org.mpool.log.RecordLog;

/**
 * The record log against fio on the same file: synced 100-byte appends (1 and 8 threads) and
 * async appends flushed every MiB. A full log is erased and the run goes on (erase is timed too).
 */
final class LogSuite implements Suite {
    private static final long FILE_BYTES = 1L << 30;
    private static final long LOG_BYTES = 512L << 20;
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
        for (int r = 0; r < n; r++) {
            try (NativeDevice d = NativeDevice.open(file, NativeDevice.OpenOptions.SHARED)) {
                LogSpec spec = new LogSpec(d, 0, LOG_BYTES, UUID.randomUUID(), 1);
                try (RecordLog log = RecordLog.format(spec, 1, false)) {
                    int round = r;
                    // Side by side, order alternating: the device's synced-write rate drifts
                    // by half within an hour here. fio writes past the log's extent.
                    Pair.run(file, r % 2 == 1, () -> {
                        Measure.Run one = Measure.timed(c.seconds(), i -> {
                            appendOrErase(log, record, true);
                            return 1;
                        });
                        sync1[round] = one.perSecond();
                        p50[round] = one.p50();
                        p99[round] = one.p99();
                    }, () -> {
                        Fio.Run f = Fio.run(file, 64L << 20, c.seconds(), "--offset=" + LOG_BYTES, "--rw=write", "--bs=4k",
                                "--fdatasync=1");
                        fioSync[round] = f.iops();
                        fioSyncP99[round] = f.writeSyncP99();
                    });
                    sync8[r] = concurrentSyncAppends(log, record, 8, c.seconds());
                    // Side by side with fio doing the same flushes, for the same reason.
                    Pair.run(file, r % 2 == 0, () -> {
                        long[] bytes = {0};
                        async[round] = Measure.throughput(c.seconds(), i -> {
                            appendOrErase(log, record, false);
                            bytes[0] += RECORD;
                            if (bytes[0] % (1 << 20) < RECORD) {
                                log.flush();
                            }
                            return RECORD;
                        }) / (1 << 20);
                    }, () -> fioSeqSync[round] = Fio.run(file, LOG_BYTES, c.seconds(), "--offset=" + LOG_BYTES, "--rw=write",
                            "--bs=1m", "--fdatasync=1").bytesPerSecond() / (1 << 20));
                }
            }
            if (Fio.available()) {
                Files2.settle(file);
                fioSeq[r] = Fio.run(file, LOG_BYTES, c.seconds(), "--rw=write", "--bs=1m").bytesPerSecond() / (1 << 20);
                Files2.settle(file);
            }
        }
        double s1 = Measure.median(sync1);
        double fs = Measure.median(fioSync);
        double fp99 = Measure.median(fioSyncP99);
        double s8 = Measure.median(sync8);
        double as = Measure.median(async);
        double fseq = Measure.median(fioSeq);
        List<Result> out = new ArrayList<>();
        out.add(new Result("log", "sync append 100 B, 1 thread", "ops/s", s1, "fio write bs=4k fdatasync=1", fs,
                Measure.median(p50), Measure.median(p99), fp99, "≥ 0.90× fio ops/s, p99 ≤ 1.3× fio p99",
                fs == 0 || (s1 >= 0.9 * fs && Measure.median(p99) <= 1.3 * fp99)));
        out.add(new Result("log", "sync append 100 B, 8 threads, one mlog", "ops/s", s8, "sync append, 1 thread", s1,
                Double.NaN, Double.NaN, Double.NaN, "≥ 4× one thread", s8 >= 4 * s1));
        out.add(new Result("log", "async append 100 B, flush every MiB (record bytes)", "MiB/s", as,
                "fio write bs=1m", fseq, Double.NaN, Double.NaN, Double.NaN, "≥ 0.80× fio", fseq == 0 || as >= 0.8 * fseq));
        double fss = Measure.median(fioSeqSync);
        out.add(new Result("log", "async append 100 B, flush every MiB (same durability as the baseline)", "MiB/s", as,
                "fio write bs=1m fdatasync=1 (a flush per MiB)", fss, Double.NaN, Double.NaN, Double.NaN, "≥ 0.80× fio",
                fss == 0 || as >= 0.8 * fss));
        return out;
    }

    private static void appendOrErase(RecordLog log, byte[] record, boolean sync) {
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

    private static double concurrentSyncAppends(RecordLog log, byte[] record, int threads, int seconds) throws Exception {
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
