package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.mpool.Advice;
import org.mpool.CreateOptions;
import org.mpool.MblockWriter;
import org.mpool.Mcache;
import org.mpool.MediaClass;
import org.mpool.Mpool;
import org.mpool.ObjectId;

/**
 * mcache: the time to map 64 mblocks, and a warm sequential scan of a mapped collection
 * against the same scan over one FileChannel.map of the same bytes (the mblocks are adjacent
 * zones of the pool file, so one plain mapping covers them all).
 */
final class CacheSuite implements Suite {
    private static final int MBLOCKS = 64;
    private static final long MBLOCK = 1L << 20;

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = c.dir().resolve("cache-pool.img");
        Files.deleteIfExists(file);
        int n = c.rounds();
        double[] mapMillis = new double[n];
        double[] ours = new double[n];
        double[] plain = new double[n];
        try (Mpool pool = Mpool.create("benchcache", file, new CreateOptions().size(1L << 30).mblockSize(MBLOCK));
             Arena arena = Arena.ofShared()) {
            List<ObjectId> ids = new ArrayList<>();
            MemorySegment buf = Files2.randomBuffer(arena, MBLOCK, 3);
            for (int i = 0; i < MBLOCKS; i++) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(buf);
                w.commit();
                ids.add(w.id());
            }
            long first = pool.info(ids.get(0)).offsetBytes();
            boolean adjacent = pool.info(ids.get(MBLOCKS - 1)).offsetBytes() == first + (MBLOCKS - 1) * MBLOCK;
            for (int r = 0; r < n; r++) {
                long t0 = System.nanoTime();
                try (Mcache map = pool.map(ids, Advice.WARM)) { // HOT would also read ahead: not part of mapping
                    mapMillis[r] = (System.nanoTime() - t0) / 1e6;
                    map.willNeed(0, map.segment().byteSize());
                    scan(map.segment(), ids.size(), map.slotBytes()); // warm it
                    long t1 = System.nanoTime();
                    long sum = 0;
                    for (int k = 0; k < 5; k++) {
                        sum += scan(map.segment(), ids.size(), map.slotBytes());
                    }
                    ours[r] = 5.0 * MBLOCKS * MBLOCK / ((System.nanoTime() - t1) / 1e9) / MBLOCK;
                    Blackhole.consume(sum);
                }
                if (adjacent) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena a = Arena.ofConfined()) {
                        MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, first, MBLOCKS * MBLOCK, a);
                        scan(whole, 1, MBLOCKS * MBLOCK);
                        long t1 = System.nanoTime();
                        long sum = 0;
                        for (int k = 0; k < 5; k++) {
                            sum += scan(whole, 1, MBLOCKS * MBLOCK);
                        }
                        plain[r] = 5.0 * MBLOCKS * MBLOCK / ((System.nanoTime() - t1) / 1e9) / MBLOCK;
                        Blackhole.consume(sum);
                    }
                }
            }
        }
        Files.deleteIfExists(file);
        double m = Measure.median(mapMillis);
        double o = Measure.median(ours);
        double p = Measure.median(plain);
        return List.of(
                new Result("cache", "map of 64 mblocks", "ms", m, "target", 10, Double.NaN, Double.NaN, Double.NaN,
                        "< 10 ms", m < 10),
                new Result("cache", "warm sequential scan of 64 mapped mblocks", "MiB/s", o,
                        "one FileChannel.map of the same bytes", p, Double.NaN, Double.NaN, Double.NaN, "≥ 0.90×",
                        p == 0 || o >= 0.9 * p));
    }

    /** Sums one long per 64 bytes of each of {@code pieces} pieces of {@code pieceBytes}. */
    private static long scan(MemorySegment s, int pieces, long pieceBytes) {
        long sum = 0;
        long perPiece = Math.min(pieceBytes, s.byteSize() / pieces);
        for (int p = 0; p < pieces; p++) {
            long base = p * pieceBytes;
            for (long off = 0; off + 8 <= Math.min(perPiece, MBLOCK * (pieces == 1 ? MBLOCKS : 1)); off += 64) {
                sum += s.get(ValueLayout.JAVA_LONG_UNALIGNED, base + off);
            }
        }
        return sum;
    }

    /** Keeps results alive so the JIT cannot drop the scans. */
    static final class Blackhole {
        static volatile long sink;

        static void consume(long v) {
            sink += v;
        }
    }
}
