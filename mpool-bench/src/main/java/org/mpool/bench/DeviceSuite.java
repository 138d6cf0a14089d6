package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mpool.device.NativeDevice;

/**
 * The native device layer against fio on the same file: 1 MiB sequential write and read, and
 * 4 KiB write + fdatasync into written blocks. Each round runs both sides of every case, the
 * order alternating between rounds so neither side always gets the warmer cache or device.
 * The 1 MiB cases are also compared with fio on huge-page buffers, as ours are (see
 * AlignedBuffers): fio's default buffers split each 1 MiB request in two on virtio-blk.
 */
final class DeviceSuite implements Suite {
    private static final long FILE_BYTES = 1L << 30;
    private static final long SYNC_REGION = 64L << 20;

    @Override
    public String name() {
        return "device";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = Files2.writtenFile(c.dir(), "device.img", FILE_BYTES);
        int n = c.rounds();
        double[][] ours = new double[3][n];
        double[][] fio = new double[3][n];
        double[][] fioHuge = new double[2][n];
        boolean huge = Fio.hugeBuffers();
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double[] fioP99 = new double[n];
        try (NativeDevice d = NativeDevice.open(file, NativeDevice.OpenOptions.SHARED); Arena arena = Arena.ofConfined()) {
            MemorySegment mib = Files2.randomBuffer(arena, 1 << 20, 1);
            MemorySegment page = mib.asSlice(0, 4096);
            for (int r = 0; r < n; r++) {
                int round = r;
                boolean fioFirst = r % 2 == 1;
                Pair.run(file, fioFirst, () -> ours[0][round] = Measure.timed(c.seconds(), i -> {
                    d.write((i << 20) % FILE_BYTES, mib);
                    return 1 << 20;
                }).perSecond(), () -> fioSequential(file, "write", c.seconds(), huge, fio[0], fioHuge[0], round));
                Pair.run(file, fioFirst, () -> ours[1][round] = Measure.timed(c.seconds(), i -> {
                    d.read((i << 20) % FILE_BYTES, mib);
                    return 1 << 20;
                }).perSecond(), () -> fioSequential(file, "read", c.seconds(), huge, fio[1], fioHuge[1], round));
                Pair.run(file, fioFirst, () -> {
                    Measure.Run sync = Measure.timed(c.seconds(), i -> {
                        d.write((i << 12) % SYNC_REGION, page);
                        d.flush();
                        return 1;
                    });
                    ours[2][round] = sync.perSecond();
                    p50[round] = sync.p50();
                    p99[round] = sync.p99();
                }, () -> {
                    Fio.Run f = Fio.run(file, SYNC_REGION, c.seconds(), "--rw=write", "--bs=4k", "--fdatasync=1");
                    fio[2][round] = f.iops();
                    fioP99[round] = f.writeSyncP99();
                });
            }
        }
        double mb = 1 << 20;
        List<Result> out = new ArrayList<>();
        out.add(ratio("1 MiB sequential direct write, QD1", "MiB/s", Measure.median(ours[0]) / mb, "fio write bs=1m",
                Measure.median(fio[0]) / mb));
        out.add(ratio("1 MiB sequential direct read, QD1", "MiB/s", Measure.median(ours[1]) / mb, "fio read bs=1m",
                Measure.median(fio[1]) / mb));
        if (huge) {
            out.add(ratio("1 MiB sequential direct write, QD1 (baseline on huge-page buffers too)", "MiB/s",
                    Measure.median(ours[0]) / mb, "fio write bs=1m mem=shmhuge", Measure.median(fioHuge[0]) / mb));
            out.add(ratio("1 MiB sequential direct read, QD1 (baseline on huge-page buffers too)", "MiB/s",
                    Measure.median(ours[1]) / mb, "fio read bs=1m mem=shmhuge", Measure.median(fioHuge[1]) / mb));
        }
        double o = Measure.median(ours[2]);
        double f = Measure.median(fio[2]);
        out.add(new Result("device", "4 KiB write + fdatasync, QD1 (written blocks)", "ops/s", o,
                "fio write bs=4k fdatasync=1", f, Measure.median(p50), Measure.median(p99), Measure.median(fioP99),
                "≥ 0.95× fio", f == 0 || o >= 0.95 * f));
        return out;
    }

    /**
     * fio's 1 MiB sequential {@code rw} on its default buffers into {@code plain[round]}, then,
     * when reserved huge pages allow, on huge-page buffers (as ours are) into {@code onHuge[round]}.
     */
    private static void fioSequential(Path file, String rw, int seconds, boolean huge, double[] plain, double[] onHuge,
                                      int round) throws Exception {
        plain[round] = Fio.run(file, FILE_BYTES, seconds, "--rw=" + rw, "--bs=1m").bytesPerSecond();
        if (huge) {
            Files2.settle(file); // the first run's unflushed writes must not slow the second
            onHuge[round] = Fio.run(file, FILE_BYTES, seconds, "--rw=" + rw, "--bs=1m", "--mem=shmhuge").bytesPerSecond();
        }
    }

    private static Result ratio(String name, String unit, double ours, String baseline, double fio) {
        return new Result("device", name, unit, ours, baseline, fio, Double.NaN, Double.NaN, Double.NaN, "≥ 0.95× fio",
                fio == 0 || ours >= 0.95 * fio);
    }
}
