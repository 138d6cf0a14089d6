package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/**
 * Sequential 1 MiB I/O at QD1 through the API against fio on the same file: how close a
 * client streaming data through mblocks gets to the device.
 *
 * <ul>
 *   <li><b>Write.</b> Ours: {@link MblockWriter#write} calls filling mblocks of 32 MiB zones,
 *       each committed when full (a commit makes the mblock durable: a device flush and a
 *       metadata record), one after the other. An mblock holds its capacity, 33,517,568 bytes
 *       (the zone less its page-checksum table), written as 31 writes of 1 MiB and one of
 *       988 KiB. fio: sequential 1 MiB direct writes with an fdatasync every 32 writes
 *       ({@code --fdatasync=32}: the same number of requests per flush as a commit's), into a
 *       1 GiB region of the same pool file that the pool reserves as an mlog (so fio never
 *       overwrites pool data). Space is recycled when the pool runs out (all kept mblocks
 *       deleted, about every 1.5 GiB written); that time is counted.</li>
 *   <li><b>Read.</b> Ours: {@link Mpool#readMblock} calls in order over 32 committed mblocks
 *       (adjacent zones), 31 of 1 MiB and one of 988 KiB per mblock (its capacity). fio:
 *       sequential 1 MiB direct reads of the same 32 zones of the file, 32 per zone, so its last
 *       read of each zone also reads the 36 KiB checksum table: the same requests, and 0.11% more
 *       bytes on fio's side.</li>
 * </ul>
 *
 * Both cases are also compared with fio on huge-page buffers ({@code --mem=shmhuge}), as ours
 * are ({@link Mpool#allocateBuffer}): fio's default buffers split each 1 MiB request in two on
 * virtio-blk. That baseline needs reserved huge pages ({@code ./bench --hugepages}); without
 * them it is skipped, with a message. Each round runs both sides of every case, the order
 * alternating between rounds so neither side always gets the warmer cache or device.
 *
 * <p>Until the suite went through the exported API it measured the raw device layer instead
 * (pwrite/pread with no pool), and a 4 KiB write + fdatasync case. That one has no counterpart
 * in the API (nothing there is a bare synced 4 KiB overwrite); synced small writes are measured
 * against fio by {@link LogSuite} (synced appends) and against a file per object by
 * {@link PoolSuite} (small commits).
 */
final class DeviceSuite implements Suite {
    private static final long FILE_BYTES = 4L << 30;
    private static final long MBLOCK = 32L << 20;
    private static final int MIB = 1 << 20;
    /**
     * fio's flush cadence: one fdatasync per 32 writes of 1 MiB, as a commit follows the 32
     * writes that fill an mblock (31 of 1 MiB, then the rest of its capacity).
     */
    private static final long WRITES_PER_MBLOCK = MBLOCK / MIB;

    private static final int READ_MBLOCKS = 32;
    private static final long FIO_REGION = 1L << 30;

    @Override
    public String name() {
        return "device";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = Files2.writtenFile(c.dir(), "device.img", FILE_BYTES);
        int n = c.rounds();
        double[][] ours = new double[2][n];
        double[][] fio = new double[2][n];
        double[][] fioHuge = new double[2][n];
        boolean huge = Fio.hugeBuffers();
        if (Fio.available() && !huge) {
            System.err.println(
                    "bench: no free reserved huge pages (HugePages_Free in /proc/meminfo): the fair fio baseline on huge-page buffers"
                            + " (--mem=shmhuge) is skipped; run './bench --hugepages' as root to reserve some for the run");
        }
        try (Mpool pool = Mpool.create(
                        "benchdevice",
                        file,
                        new CreateOptions().mblockSize(MBLOCK).force(true));
                Arena arena = Arena.ofConfined()) {
            MemorySegment mib = Files2.randomBuffer(arena, MIB, 1);
            MemorySegment readBuf = Mpool.allocateBuffer(arena, MIB);
            List<ObjectId> readSet = new ArrayList<>();
            for (int i = 0; i < READ_MBLOCKS; i++) {
                try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
                    MblockBytes.fill(w, mib);
                    w.commit();
                    readSet.add(w.id());
                }
            }
            Range readRange = bytesOf(pool, readSet);
            MblockBytes.Chunks reads = new MblockBytes.Chunks(pool.mblockCapacity(MediaClass.CAPACITY), MIB);
            ObjectId region = pool.allocateMlog(MediaClass.CAPACITY, FIO_REGION);
            pool.commit(region, 0);
            ObjectInfo info = pool.info(region);
            Range writeRange = new Range(info.offsetBytes(), info.capacityBytes());
            for (int r = 0; r < n; r++) {
                int round = r;
                boolean fioFirst = r % 2 == 1;
                Pair.run(
                        file,
                        fioFirst,
                        () -> ours[0][round] = streamWrites(pool, mib, c.seconds()),
                        () -> fioSequential(
                                file,
                                writeRange,
                                "write",
                                c.seconds(),
                                huge,
                                fio[0],
                                fioHuge[0],
                                round,
                                "--fdatasync=" + WRITES_PER_MBLOCK));
                Pair.run(
                        file,
                        fioFirst,
                        () -> ours[1][round] = Measure.timed(c.seconds(), i -> {
                                    long length = reads.length(i);
                                    pool.readMblock(
                                            readSet.get(reads.mblock(i, READ_MBLOCKS)),
                                            reads.offset(i),
                                            length == MIB ? readBuf : readBuf.asSlice(0, length));
                                    return length;
                                })
                                .perSecond(),
                        () -> fioSequential(file, readRange, "read", c.seconds(), huge, fio[1], fioHuge[1], round));
            }
        }
        double mb = MIB;
        String sync = " fdatasync=" + WRITES_PER_MBLOCK;
        String write = "1 MiB mblock stream write (32 MiB zones filled to capacity, commit each), QD1";
        String read = "1 MiB mblock sequential read (readMblock, to capacity), QD1";
        List<Result> out = new ArrayList<>();
        out.add(ratio(
                write,
                Measure.median(ours[0]) / mb,
                "fio write bs=1m" + sync + " (a flush per 32 MiB)",
                Measure.median(fio[0]) / mb));
        out.add(ratio(
                read,
                Measure.median(ours[1]) / mb,
                "fio read bs=1m of the same zones (data + checksum tables)",
                Measure.median(fio[1]) / mb));
        if (huge) {
            out.add(ratio(
                    write + " (baseline on huge-page buffers too)",
                    Measure.median(ours[0]) / mb,
                    "fio write bs=1m" + sync + " mem=shmhuge",
                    Measure.median(fioHuge[0]) / mb));
            out.add(ratio(
                    read + " (baseline on huge-page buffers too)",
                    Measure.median(ours[1]) / mb,
                    "fio read bs=1m mem=shmhuge, same zones",
                    Measure.median(fioHuge[1]) / mb));
        }
        return out;
    }

    /** A byte range of the pool file. */
    private record Range(long offset, long bytes) {}

    /** The file range the mblocks occupy; they must be adjacent zones (allocated in a row on a fresh pool). */
    private static Range bytesOf(Mpool pool, List<ObjectId> ids) {
        long first = pool.info(ids.get(0)).offsetBytes();
        for (int i = 1; i < ids.size(); i++) {
            if (pool.info(ids.get(i)).offsetBytes() != first + i * MBLOCK) {
                throw new IllegalStateException("bench: the read set's mblocks are not adjacent zones");
            }
        }
        return new Range(first, ids.size() * MBLOCK);
    }

    /**
     * 1 MiB writes into mblocks for {@code seconds} (the last one of each mblock shorter, to its
     * capacity), committing each full one; returns bytes per second. When the pool is full, every mblock this run made is deleted (timed) and the stream
     * goes on; what is left is deleted after the timed run, and the last, partial mblock aborted.
     */
    private static double streamWrites(Mpool pool, MemorySegment mib, int seconds) throws Exception {
        Deque<ObjectId> kept = new ArrayDeque<>();
        MblockWriter[] current = {null};
        try {
            return Measure.timed(seconds, i -> {
                        if (current[0] == null) {
                            current[0] = allocate(pool, kept);
                        }
                        MblockWriter w = current[0];
                        long room = w.capacityBytes() - w.writtenBytes();
                        long length = Math.min(room, MIB);
                        w.write(length == MIB ? mib : mib.asSlice(0, length));
                        if (length == room) {
                            w.commit();
                            kept.add(w.id());
                            current[0] = null;
                        }
                        return length;
                    })
                    .perSecond();
        } finally {
            if (current[0] != null) {
                current[0].abort();
            }
            kept.forEach(pool::delete);
        }
    }

    private static MblockWriter allocate(Mpool pool, Deque<ObjectId> kept) {
        try {
            return pool.allocateMblock(MediaClass.CAPACITY);
        } catch (MpoolException e) {
            if (e.code() != MpoolException.ErrorCode.NO_SPACE || kept.isEmpty()) {
                throw e;
            }
            while (!kept.isEmpty()) {
                pool.delete(kept.poll());
            }
            return pool.allocateMblock(MediaClass.CAPACITY);
        }
    }

    /**
     * fio's 1 MiB sequential {@code rw} over {@code range} on its default buffers into
     * {@code plain[round]}, then, when reserved huge pages allow, on huge-page buffers (as ours
     * are) into {@code onHuge[round]}.
     */
    private static void fioSequential(
            Path file,
            Range range,
            String rw,
            int seconds,
            boolean huge,
            double[] plain,
            double[] onHuge,
            int round,
            String... extra)
            throws Exception {
        List<String> options = new ArrayList<>(List.of("--offset=" + range.offset(), "--rw=" + rw, "--bs=1m"));
        options.addAll(List.of(extra));
        plain[round] = Fio.run(file, range.bytes(), seconds, options.toArray(String[]::new))
                .bytesPerSecond();
        if (huge) {
            Files2.settle(file); // the first run's unflushed writes must not slow the second
            options.add("--mem=shmhuge");
            onHuge[round] = Fio.run(file, range.bytes(), seconds, options.toArray(String[]::new))
                    .bytesPerSecond();
        }
    }

    private static Result ratio(String name, double ours, String baseline, double fio) {
        return new Result(
                "device",
                name,
                "MiB/s",
                ours,
                baseline,
                fio,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "≥ 0.95× fio",
                fio == 0 || ours >= 0.95 * fio);
    }
}
