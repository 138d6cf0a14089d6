package org.mpool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;

/** Open of a cleanly closed pool holding 1,000,000 objects: time and heap per object. */
final class OpenSuite implements Suite {
    private static final int OBJECTS = 1_000_000;

    @Override
    public String name() {
        return "open";
    }

    @Override
    public List<Result> run(Config c) throws Exception {
        Path file = c.dir().resolve("million.img");
        Files.deleteIfExists(file);
        try (Mpool pool = Mpool.create(
                "million",
                file,
                new CreateOptions()
                        .size((long) (OBJECTS + 4096) << 20)
                        .mblockSize(1 << 20)
                        .sparePercent(0))) {
            List<MblockWriter> batch = new ArrayList<>();
            for (int i = 0; i < OBJECTS; i++) {
                batch.add(pool.allocateMblock(MediaClass.CAPACITY));
                if (batch.size() == 4000) {
                    pool.commit(batch);
                    batch.clear();
                }
            }
            pool.commit(batch);
        }
        double[] seconds = new double[c.rounds() + 1];
        double[] bytesPerObject = new double[c.rounds() + 1];
        for (int r = 0; r <= c.rounds(); r++) {
            long before = usedHeap();
            long t0 = System.nanoTime();
            Mpool pool = Mpool.open(file);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
            bytesPerObject[r] = (usedHeap() - before) / (double) OBJECTS;
            if (pool.stats().mblocks() != OBJECTS) {
                throw new IllegalStateException("opened " + pool.stats().mblocks() + " objects, expected " + OBJECTS);
            }
            pool.close();
        }
        Files.deleteIfExists(file);
        double s = Measure.median(seconds);
        double b = Measure.median(bytesPerObject);
        return List.of(
                new Result(
                        "open",
                        "open of a cleanly closed pool with 1,000,000 objects",
                        "s",
                        s,
                        "target",
                        2.0,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        "< 2 s",
                        s < 2.0),
                new Result(
                        "open",
                        "heap held per object after open",
                        "B/object",
                        b,
                        "target",
                        100,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        "≤ 100 B",
                        b <= 100));
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
