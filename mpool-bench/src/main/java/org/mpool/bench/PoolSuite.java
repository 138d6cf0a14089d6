package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/**
 * Mblocks against fio on the same file: the pool sits on a fully written file and reserves a
 * 2 GiB region for fio as an mlog, so both write the same kind of blocks. Mblocks are written
 * and read to their capacity, the zone less its page-checksum table ({@link MblockBytes}); fio
 * reads whole zones, tables included. Verified direct reads ({@code readMblock} checks a CRC32C
 * per 4 KiB page) are also compared with plain, unverified O_DIRECT reads of the very same
 * bytes of the pool file, side by side. Small commits are
 * compared with a file per object (create, write 4 KiB, fsync, close) on the same file system.
 * Groups of 64 small objects made durable together ({@link SmallGroups}): deferred commits and
 * one flush, against durable commits, a batch commit, and 64 files with an fsync each and one
 * of their directory.
 */
final class PoolSuite implements Suite {
    private static final long FILE_BYTES = 6L << 30;
    private static final long FIO_REGION = 2L << 30;
    private static final long MBLOCK = 32L << 20;
    private static final int MIB = 1 << 20;
    private static final int KEEP = 24;
    /** Threads of the random 4 KiB read cases. */
    private static final int RANDOM_THREADS = 16;

    private static final String[] GROUP_SIDES = {"deferred + flush", "durable commits", "batch commit", "files + fsync"
    };

    @Override
    public String name() {
        return "pool";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = Files2.writtenFile(c.dir(), "pool.img", FILE_BYTES);
        // Small objects: 1 MiB mblocks on a written file, as on a block device or once zones are reused.
        Path small = Files2.writtenFile(c.dir(), "small-objects.img", 1L << 30);
        Path sparse = c.dir().resolve("small-objects-sparse.img");
        Files.deleteIfExists(sparse);
        int n = c.rounds();
        double[][] m = new double[21][n];
        // Groups of 64 small objects (SmallGroups): deferred, durable, batch, files.
        SmallGroups.Run[][] g = new SmallGroups.Run[4][n];
        // Deletes of full 1 MiB mblocks, discard on [0] and off [1]: rate, and MiB the file holds after.
        double[][] trim = new double[2][n];
        double[][] trimAllocated = new double[2][n];
        try (Mpool pool = Mpool.create(
                        "bench", file, new CreateOptions().mblockSize(MBLOCK).force(true));
                Mpool smallPool = Mpool.create(
                        "benchsmall", small, new CreateOptions().mblockSize(MIB).force(true));
                Mpool sparsePool = Mpool.create(
                        "benchsparse",
                        sparse,
                        new CreateOptions().size(64L << 30).mblockSize(MIB));
                Arena arena = Arena.ofShared();
                ExecutorService deleters = Executors.newFixedThreadPool(8)) {
            ObjectId region = pool.allocateMlog(MediaClass.CAPACITY, FIO_REGION);
            pool.commit(region, 0);
            ObjectInfo info = pool.info(region);
            Range fioRegion = new Range(info.offsetBytes(), info.capacityBytes());
            MemorySegment buf = Files2.randomBuffer(arena, MIB, 7);
            List<ObjectId> readSet = writeMblocks(pool, buf, 16);
            // fio reads the very bytes our reads do: a range read over and over may be served
            // from the host's cache of the virtual disk, and the two sides must get the same.
            Range readRange = bytesOf(pool, readSet);
            MemorySegment page = Files2.randomBuffer(arena, 4096, 5);
            long[] readOffsets = readSet.stream()
                    .mapToLong(id -> pool.info(id).offsetBytes())
                    .toArray();
            long capacity = pool.mblockCapacity(MediaClass.CAPACITY);
            for (int r = 0; r < n; r++) {
                int round = r;
                m[0][r] = settled(file, () -> mblockWrites(pool, arena, 1, c.seconds()));
                m[1][r] = settled(file, () -> fio(file, fioRegion, c.seconds(), "--rw=write", "--bs=1m") / MIB);
                m[2][r] = settled(file, () -> mblockWrites(pool, arena, 2, c.seconds()));
                m[3][r] = settled(
                        file,
                        () -> fio(
                                        file,
                                        fioRegion,
                                        c.seconds(),
                                        "--rw=write",
                                        "--bs=1m",
                                        "--numjobs=2",
                                        "--offset_increment=" + FIO_REGION / 2,
                                        "--size=" + FIO_REGION / 2)
                                / MIB);
                m[4][r] = settled(file, () -> sequentialReads(pool, readSet, buf, c.seconds()) / MIB);
                m[5][r] = settled(file, () -> fio(file, readRange, c.seconds(), "--rw=read", "--bs=1m") / MIB);
                m[6][r] = settled(file, () -> verifiedRandomReads(pool, readSet, arena, c.seconds(), round));
                m[7][r] = settled(
                        file, () -> fioIops(file, readRange, c.seconds(), "--rw=randread", "--bs=4k", "--numjobs=16"));
                // Verified reads against plain O_DIRECT reads of the same bytes, order alternating.
                boolean plainFirst = r % 2 == 1;
                inOrder(
                        plainFirst,
                        () -> m[16][round] =
                                settled(file, () -> sequentialReads(pool, readSet, buf, c.seconds()) / MIB),
                        () -> m[17][round] = settled(
                                file,
                                () -> plainSequentialReads(file, readOffsets, capacity, buf, false, c.seconds())
                                        / MIB));
                // The least any verification costs: one checksum pass over what a plain read brought in.
                m[20][r] = settled(
                        file, () -> plainSequentialReads(file, readOffsets, capacity, buf, true, c.seconds()) / MIB);
                inOrder(
                        plainFirst,
                        () -> m[18][round] =
                                settled(file, () -> verifiedRandomReads(pool, readSet, arena, c.seconds(), round)),
                        () -> m[19][round] = settled(
                                file, () -> plainRandomReads(file, readOffsets, capacity, arena, c.seconds(), round)));
                System.err.printf(
                        Locale.ROOT,
                        "bench: pool round %d, verified vs plain O_DIRECT reads (%s first): 1 MiB %,.0f vs %,.0f MiB/s (%.2f;"
                                + " plain + a CRC32C pass %,.0f: %.2f), 4 KiB random, 16 threads %,.0f vs %,.0f reads/s (%.2f)%n",
                        r + 1,
                        plainFirst ? "plain" : "verified",
                        m[16][r],
                        m[17][r],
                        m[16][r] / m[17][r],
                        m[20][r],
                        m[16][r] / m[20][r],
                        m[18][r],
                        m[19][r],
                        m[18][r] / m[19][r]);
                m[8][r] = settled(file, () -> smallCommits(smallPool, arena, 1, c.seconds()));
                m[9][r] = settled(file, () -> filePerObject(c.dir(), 1, c.seconds()));
                m[10][r] = settled(file, () -> smallCommits(smallPool, arena, 16, c.seconds()));
                m[11][r] = settled(file, () -> filePerObject(c.dir(), 16, c.seconds()));
                m[12][r] = settled(file, () -> smallCommits(sparsePool, arena, 1, c.seconds()));
                // The four ways to make a group of 64 durable, each from a settled device, in an
                // order that rotates between rounds.
                for (int k = 0; k < g.length; k++) {
                    int side = (r + k) % g.length;
                    Files2.settle(small);
                    g[side][r] = switch (side) {
                        case 0 -> SmallGroups.deferred(smallPool, page, deleters, c.seconds());
                        case 1 -> SmallGroups.durable(smallPool, page, deleters, c.seconds());
                        case 2 -> SmallGroups.batch(smallPool, page, deleters, c.seconds());
                        default -> SmallGroups.files(c.dir(), c.seconds());
                    };
                    System.err.printf(
                            Locale.ROOT,
                            "bench: pool round %d, groups of 64, %s: %,.1f groups/s, p50 %,.0f µs, p99 %,.0f µs%n",
                            r + 1,
                            GROUP_SIDES[side],
                            g[side][r].groupsPerSecond(),
                            g[side][r].p50Micros(),
                            g[side][r].p99Micros());
                }
                m[14][r] = settled(
                        file, () -> fio(file, fioRegion, c.seconds(), "--rw=write", "--bs=1m", "--fdatasync=32") / MIB);
                m[15][r] = settled(
                        file,
                        () -> fio(
                                        file,
                                        fioRegion,
                                        c.seconds(),
                                        "--rw=write",
                                        "--bs=1m",
                                        "--numjobs=2",
                                        "--fdatasync=32",
                                        "--offset_increment=" + FIO_REGION / 2,
                                        "--size=" + FIO_REGION / 2)
                                / MIB);
                m[13][r] = m[9][r];
                // Deletes with discard on and off, alternating which goes first.
                for (int k = 0; k < 2; k++) {
                    boolean on = (r + k) % 2 == 0;
                    Deletes d = deletes(c.dir(), on, arena);
                    trim[on ? 0 : 1][r] = d.perSecond();
                    trimAllocated[on ? 0 : 1][r] = d.allocatedAfterMib();
                    System.err.printf(
                            Locale.ROOT,
                            "bench: pool round %d, %d deletes with discard=%s: %,.0f deletes/s, %.1f MiB allocated"
                                    + " before, %.1f after%n",
                            r + 1,
                            DELETES,
                            on ? "on" : "off",
                            d.perSecond(),
                            d.allocatedBeforeMib(),
                            d.allocatedAfterMib());
                }
            }
        }
        Files.deleteIfExists(c.dir().resolve("object-groups"));
        Files.deleteIfExists(sparse);
        List<Result> out = new ArrayList<>();
        out.add(result(
                "mblock write, 32 MiB zones to capacity in 1 MiB writes + commit, 1 thread",
                "MiB/s",
                m[0],
                "fio write bs=1m",
                m[1],
                0.95));
        out.add(result(
                "mblock write, 1 thread (same durability as the baseline)",
                "MiB/s",
                m[0],
                "fio write bs=1m fdatasync=32 (a flush per 32 MiB)",
                m[14],
                0.95));
        out.add(result("mblock write, 2 threads", "MiB/s", m[2], "fio write bs=1m numjobs=2", m[3], 0.95));
        out.add(result(
                "mblock write, 2 threads (same durability as the baseline)",
                "MiB/s",
                m[2],
                "fio write bs=1m numjobs=2 fdatasync=32 (each job a flush per 32 MiB)",
                m[15],
                0.95));
        out.add(result(
                "mblock direct read 1 MiB, 1 thread",
                "MiB/s",
                m[4],
                "fio read bs=1m of the same zones (data + checksum tables)",
                m[5],
                0.95));
        out.add(result(
                "mblock random 4 KiB reads, 16 threads",
                "ops/s",
                m[6],
                "fio randread bs=4k psync numjobs=16 over the same zones",
                m[7],
                0.90));
        out.add(result(
                "verified direct read 1 MiB, 1 thread (readMblock: CRC32C of every 4 KiB page checked)",
                "MiB/s",
                m[16],
                "plain O_DIRECT FileChannel reads of the same bytes, unverified",
                m[17],
                0.95));
        out.add(result(
                "verified direct read 1 MiB, 1 thread, against equal work",
                "MiB/s",
                m[16],
                "plain O_DIRECT FileChannel reads of the same bytes + one CRC32C pass over each (what any check of"
                        + " the bytes costs)",
                m[20],
                0.95));
        out.add(result(
                "verified random 4 KiB reads, 16 threads (readMblock: CRC32C of the page checked)",
                "ops/s",
                m[18],
                "plain O_DIRECT FileChannel preads of the same pages, 16 threads, unverified",
                m[19],
                0.95));
        out.add(result(
                "small object commit (allocate + 4 KiB + commit), 1 thread",
                "ops/s",
                m[8],
                "file per object (create, write 4 KiB, fsync, close)",
                m[9],
                1.5));
        out.add(result("small object commit, 16 threads", "ops/s", m[10], "file per object, 16 threads", m[11], 3.0));
        out.add(result(
                "small object commit, 1 thread, fresh sparse file (zones are holes)",
                "ops/s",
                m[12],
                "file per object (create, write 4 KiB, fsync, close)",
                m[13],
                1.5));
        String deferred = "64 × (allocate + 4 KiB + commitDeferred) + one pool.flush(), 1 thread, per group";
        out.add(groups(
                "deferred vs durable: " + deferred,
                g[0],
                "64 × (allocate + 4 KiB + commit()), a flush per object",
                g[1]));
        out.add(groups(
                "deferred vs batch: " + deferred,
                g[0],
                "64 × (allocate + 4 KiB), then pool.commit(the 64 writers), one flush",
                g[2]));
        out.add(groups(
                "deferred vs files: " + deferred,
                g[0],
                "64 files: create + write 4 KiB each, then fsync + close each, then one fsync of the directory",
                g[3]));
        out.add(new Result(
                "pool",
                "delete of " + DELETES + " full 1 MiB mblocks, discard=on (each zone punched out of the file after its"
                        + " DELETE is durable), 1 thread",
                "deletes/s",
                Measure.median(trim[0]),
                "the same deletes, discard=off",
                Measure.median(trim[1]),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "report (no numeric target)",
                true));
        out.add(new Result(
                "pool",
                "pool file's allocated blocks (st_blocks) after deleting " + DELETES + " full 1 MiB mblocks,"
                        + " discard=on",
                "MiB",
                Measure.median(trimAllocated[0]),
                "the same after the deletes with discard=off",
                Measure.median(trimAllocated[1]),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "report (no numeric target)",
                true));
        double perObject = SmallGroups.SIZE * Measure.median(rates(g[0]));
        out.add(new Result(
                "pool",
                "deferred vs file per object: " + deferred + ", in objects",
                "objects/s",
                perObject,
                "file per object (create, write 4 KiB, fsync, close), the 1-thread case above",
                Measure.median(m[9]),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "report (no numeric target)",
                true));
        return out;
    }

    private static double[] rates(SmallGroups.Run[] runs) {
        return Arrays.stream(runs).mapToDouble(SmallGroups.Run::groupsPerSecond).toArray();
    }

    /** A group case against another, in groups/s; the names carry objects/s (64 per group). */
    private static Result groups(String name, SmallGroups.Run[] ours, String baseline, SmallGroups.Run[] base) {
        double o = Measure.median(rates(ours));
        double b = Measure.median(rates(base));
        return new Result(
                "pool",
                String.format(Locale.ROOT, "%s (%,.0f objects/s)", name, SmallGroups.SIZE * o),
                "groups/s",
                o,
                String.format(Locale.ROOT, "%s (%,.0f objects/s)", baseline, SmallGroups.SIZE * b),
                b,
                Measure.median(Arrays.stream(ours)
                        .mapToDouble(SmallGroups.Run::p50Micros)
                        .toArray()),
                Measure.median(Arrays.stream(ours)
                        .mapToDouble(SmallGroups.Run::p99Micros)
                        .toArray()),
                Measure.median(Arrays.stream(base)
                        .mapToDouble(SmallGroups.Run::p99Micros)
                        .toArray()),
                "report (no numeric target)",
                true);
    }

    /** Runs one case from a settled device (see {@link Files2#settle}). */
    static double settled(Path file, java.util.concurrent.Callable<Double> run) throws Exception {
        Files2.settle(file);
        return run.call();
    }

    /** Runs two sides, {@code b} first when asked (the order alternates between rounds). */
    static void inOrder(boolean bFirst, Pair.Side a, Pair.Side b) throws Exception {
        if (bFirst) {
            b.run();
            a.run();
        } else {
            a.run();
            b.run();
        }
    }

    private static Result result(
            String name, String unit, double[] ours, String baseline, double[] base, double factor) {
        double o = Measure.median(ours);
        double b = Measure.median(base);
        return new Result(
                "pool",
                name,
                unit,
                o,
                baseline,
                b,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "≥ " + factor + "× baseline",
                b == 0 || o >= factor * b);
    }

    /** Full 1 MiB mblocks written, then deleted and timed, per discard setting and round. */
    private static final int DELETES = 256;

    /** One run of the deletes: their rate, and the file's allocated MiB before and after them. */
    private record Deletes(double perSecond, double allocatedBeforeMib, double allocatedAfterMib) {}

    /**
     * A fresh sparse pool file with {@value #DELETES} full 1 MiB mblocks, then their deletes, timed,
     * with {@code discard} on or off: what a discard costs a delete, and what it gives back to the
     * file system (st_blocks).
     */
    private static Deletes deletes(Path dir, boolean discard, Arena arena) throws Exception {
        Path file = dir.resolve("trim.img");
        Files.deleteIfExists(file);
        try (Mpool pool = Mpool.create(
                "benchtrim",
                file,
                new CreateOptions().size(512L * MIB).mblockSize(MIB).shards(1))) {
            pool.setProperty(Mpool.PROP_DISCARD, discard ? "on" : "off");
            MemorySegment data = Files2.randomBuffer(arena, pool.mblockCapacity(MediaClass.CAPACITY), 11);
            List<ObjectId> ids = new ArrayList<>();
            for (int i = 0; i < DELETES; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(data);
                w.commit();
                ids.add(w.id());
            }
            Files2.settle(file);
            double before = Files2.allocatedBytes(file) / (double) MIB;
            long start = System.nanoTime();
            for (ObjectId id : ids) {
                pool.delete(id);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Deletes(DELETES / seconds, before, Files2.allocatedBytes(file) / (double) MIB);
        } finally {
            Files.deleteIfExists(file);
        }
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

    private static double fio(Path file, Range range, int seconds, String... options) {
        return Fio.available()
                ? Fio.run(file, range.bytes(), seconds, with(range, options)).bytesPerSecond()
                : 0;
    }

    private static double fioIops(Path file, Range range, int seconds, String... options) {
        return Fio.available()
                ? Fio.run(file, range.bytes(), seconds, with(range, options)).iops()
                : 0;
    }

    private static String[] with(Range range, String... options) {
        String[] all = new String[options.length + 1];
        all[0] = "--offset=" + range.offset();
        System.arraycopy(options, 0, all, 1, options.length);
        return all;
    }

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

    /**
     * Threads each write whole mblocks (to capacity: 31 writes of 1 MiB, then one of the rest)
     * and commit them. Space is recycled only when the pool
     * runs out (rarely, and counted), and after the timed run.
     */
    private static double mblockWrites(Mpool pool, Arena arena, int threads, int seconds) throws Exception {
        AtomicLong bytes = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<ObjectId> made = java.util.Collections.synchronizedList(new ArrayList<>());
        MemorySegment[] bufs = new MemorySegment[threads];
        for (int t = 0; t < threads; t++) {
            bufs[t] = Files2.randomBuffer(arena, MIB, t);
        }
        long start = System.nanoTime();
        Workers.run(threads, t -> {
            MemorySegment buf = bufs[t];
            Deque<ObjectId> kept = new ArrayDeque<>();
            while (System.nanoTime() < end) {
                MblockWriter w;
                try {
                    w = pool.allocateMblock(MediaClass.CAPACITY);
                } catch (org.mpool.common.MpoolException e) {
                    for (int i = 0; i < KEEP && !kept.isEmpty(); i++) {
                        pool.delete(kept.poll());
                    }
                    continue;
                }
                long written = MblockBytes.fill(w, buf);
                w.commit();
                bytes.addAndGet(written);
                kept.add(w.id());
            }
            made.addAll(kept);
        });
        double rate = bytes.get() / ((System.nanoTime() - start) / 1e9) / MIB;
        made.forEach(pool::delete);
        return rate;
    }

    /** 1 MiB reads of whole mblocks (to capacity: the last read of each shorter), in order; bytes per second. */
    private static double sequentialReads(Mpool pool, List<ObjectId> ids, MemorySegment buf, int seconds)
            throws Exception {
        MblockBytes.Chunks reads = new MblockBytes.Chunks(pool.mblockCapacity(MediaClass.CAPACITY), MIB);
        return Measure.timed(seconds, i -> {
                    long length = reads.length(i);
                    pool.readMblock(
                            ids.get(reads.mblock(i, ids.size())),
                            reads.offset(i),
                            length == MIB ? buf : buf.asSlice(0, length));
                    return length;
                })
                .perSecond();
    }

    /**
     * The unverified baseline of {@link #sequentialReads}: the same reads of the same bytes of
     * the pool file ({@code offsets}: where each mblock starts), with a plain O_DIRECT
     * FileChannel into the same buffer; with {@code checksum}, one CRC32C pass over each read's
     * bytes too (equal work: freshly read bytes come from memory, not the CPU's caches, and a
     * check of them costs that pass whatever the checksum layout).
     */
    private static double plainSequentialReads(
            Path file, long[] offsets, long capacity, MemorySegment buf, boolean checksum, int seconds)
            throws Exception {
        MblockBytes.Chunks reads = new MblockBytes.Chunks(capacity, MIB);
        ByteBuffer bb = buf.asByteBuffer();
        CRC32C crc = new CRC32C();
        try (FileChannel ch = MblockBytes.openDirect(file)) {
            return Measure.timed(seconds, i -> {
                        long length = reads.length(i);
                        bb.clear().limit((int) length);
                        MblockBytes.readFully(ch, bb, offsets[reads.mblock(i, offsets.length)] + reads.offset(i));
                        if (checksum) {
                            crc.reset();
                            crc.update(bb.flip());
                            checksums += crc.getValue();
                        }
                        return length;
                    })
                    .perSecond();
        }
    }

    /** Where the checksum passes of the equal-work baseline go, so that the JIT keeps them. */
    static volatile long checksums;

    /** What one thread of a random-read case reads: 4 KiB at {@code offset} of mblock number {@code mblock}. */
    @FunctionalInterface
    private interface PageRead {
        void read(int thread, int mblock, long offset) throws Exception;
    }

    /**
     * 16 threads each reading random 4 KiB pages of the mblocks' data (their capacity) for
     * {@code seconds}; reads per second. Thread {@code t} of round {@code round} draws its
     * pages from a generator seeded by both, so two sides of a comparison read the same pages
     * in the same order.
     */
    private static double randomReads(int mblocks, long capacity, int seconds, int round, PageRead read)
            throws Exception {
        AtomicLong reads = new AtomicLong();
        long pages = capacity / 4096;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        Workers.run(RANDOM_THREADS, t -> {
            SplittableRandom rnd = new SplittableRandom(1_000L * round + t);
            long n = 0;
            while (System.nanoTime() < end) {
                read.read(t, rnd.nextInt(mblocks), rnd.nextLong(pages) * 4096);
                n++;
            }
            reads.addAndGet(n);
        });
        return reads.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** {@link #randomReads} through {@code readMblock}: each page verified against its checksum. */
    private static double verifiedRandomReads(Mpool pool, List<ObjectId> ids, Arena arena, int seconds, int round)
            throws Exception {
        MemorySegment[] pages = new MemorySegment[RANDOM_THREADS];
        for (int t = 0; t < RANDOM_THREADS; t++) {
            pages[t] = Mpool.allocateBuffer(arena, 4096);
        }
        return randomReads(
                ids.size(),
                pool.mblockCapacity(MediaClass.CAPACITY),
                seconds,
                round,
                (t, k, off) -> pool.readMblock(ids.get(k), off, pages[t]));
    }

    /**
     * {@link #randomReads} as plain O_DIRECT preads of the same pages of the pool file, a
     * FileChannel per thread (positional reads of a shared channel would also work; one each
     * keeps the baseline free of any shared state).
     */
    private static double plainRandomReads(
            Path file, long[] offsets, long capacity, Arena arena, int seconds, int round) throws Exception {
        FileChannel[] channels = new FileChannel[RANDOM_THREADS];
        ByteBuffer[] pages = new ByteBuffer[RANDOM_THREADS];
        try {
            for (int t = 0; t < RANDOM_THREADS; t++) {
                channels[t] = MblockBytes.openDirect(file);
                pages[t] = Mpool.allocateBuffer(arena, 4096).asByteBuffer();
            }
            return randomReads(offsets.length, capacity, seconds, round, (t, k, off) -> {
                pages[t].clear();
                MblockBytes.readFully(channels[t], pages[t], offsets[k] + off);
            });
        } finally {
            for (FileChannel ch : channels) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
    }

    /** allocate + 4 KiB + commit per object; objects are deleted outside the timed part to reuse zones. */
    static double smallCommits(Mpool pool, Arena arena, int threads, int seconds) throws Exception {
        AtomicLong commits = new AtomicLong();
        AtomicLong busyNanos = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        MemorySegment[] pages = new MemorySegment[threads];
        for (int t = 0; t < threads; t++) {
            pages[t] = Files2.randomBuffer(arena, 4096, t);
        }
        Workers.run(threads, t -> {
            MemorySegment page = pages[t];
            List<ObjectId> made = new ArrayList<>();
            long timed = 0;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 32; i++) {
                    MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                    w.write(page);
                    w.commit();
                    made.add(w.id());
                }
                timed += System.nanoTime() - t0;
                made.forEach(pool::delete);
                commits.addAndGet(made.size());
                made.clear();
            }
            busyNanos.addAndGet(timed);
        });
        return commits.get() / (busyNanos.get() / 1e9 / threads);
    }

    /** The alternative a user would pick: one file per object, each made durable with fsync. */
    static double filePerObject(Path dir, int threads, int seconds) throws Exception {
        Path objects = Files.createDirectories(dir.resolve("objects"));
        try (var left = Files.newDirectoryStream(objects)) {
            for (Path p : left) {
                Files.delete(p); // files an interrupted run left behind
            }
        }
        AtomicLong made = new AtomicLong();
        AtomicLong busyNanos = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Workers.run(threads, thread -> {
            ByteBuffer data = ByteBuffer.allocateDirect(4096);
            List<Path> files = new ArrayList<>();
            long timed = 0;
            for (long i = 0; System.nanoTime() < end; ) {
                long t0 = System.nanoTime();
                for (int k = 0; k < 200; k++, i++) {
                    Path p = objects.resolve(thread + "-" + i);
                    try (FileChannel ch =
                            FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        data.clear();
                        ch.write(data);
                        ch.force(true);
                    }
                    files.add(p);
                }
                timed += System.nanoTime() - t0;
                for (Path p : files) {
                    Files.delete(p);
                }
                made.addAndGet(files.size());
                files.clear();
            }
            busyNanos.addAndGet(timed);
        });
        return made.get() / (busyNanos.get() / 1e9 / threads);
    }
}
