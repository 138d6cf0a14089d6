package org.mpool.lucene.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.Reaper;
import org.mpool.lucene.MpoolDirectory;
import org.mpool.lucene.MpoolDirectoryOptions;
import org.mpool.lucene.MpoolLockFactory;

/**
 * {@code ./bench lucene [--docs N] [--rounds N] [--threads N] [--queries N] [--mblock SIZE]
 * [--dir DIR] [--out DIR] [--seed N]}: the same generated corpus indexed into an MpoolDirectory
 * and into an MMapDirectory on the same file system, in the same run, alternating which goes
 * first between rounds; medians of the rounds are reported as ratios (docs/PERFORMANCE.md).
 *
 * <p>Each side, each round, from an empty folder: index with commits (indexing time), then
 * {@code forceMerge(1)} while the hot set of a reader stays in use (merge time, and how much of
 * the hot set stays in the page cache during the merge), then the query mix on the merged index
 * after a warm-up pass (p50/p99 per kind).
 */
public final class LuceneBench {
    enum Side {
        MPOOL,
        MMAP
    }

    /** One side's figures from one round. */
    record Run(
            double indexSeconds,
            double mergeSeconds,
            double[] p50Micros,
            double[] p99Micros,
            double hotMinResident,
            long hotBytes,
            long mergeCacheGrowthBytes,
            long indexBytes,
            long docs) {}

    private final Corpus corpus;
    private final List<Queries.Q> queries;
    private final Path base;
    private final int threads;
    private final int commitEvery;
    private final long mblockBytes;
    private final PrintStream log = System.err;

    private LuceneBench(Corpus corpus, List<Queries.Q> queries, Path base, int threads, int commitEvery, long mblock) {
        this.corpus = corpus;
        this.queries = queries;
        this.base = base;
        this.threads = threads;
        this.commitEvery = commitEvery;
        this.mblockBytes = mblock;
    }

    public static void main(String[] args) throws Exception {
        int docs = 200_000;
        int rounds = 3;
        int threads = 2;
        int perKind = 1000;
        long mblock = 4L << 20;
        long seed = 42;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mpool-bench", "lucene");
        Path out = null;
        List<Side> sides = List.of(Side.MMAP, Side.MPOOL);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "lucene" -> {} // the suite's name, as ./bench passes it
                case "--docs" -> docs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--queries" -> perKind = Integer.parseInt(args[++i]);
                case "--mblock" -> mblock = parseSize(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--dir" -> dir = Path.of(args[++i], "lucene");
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> sides = List.of(Side.valueOf(args[++i].toUpperCase(Locale.ROOT))); // for profiling
                case "-h", "--help" -> {
                    System.out.println("usage: bench lucene [--docs N] [--rounds N] [--threads N] [--queries N]"
                            + " [--mblock SIZE] [--dir DIR] [--out DIR] [--seed N]");
                    return;
                }
                default -> {
                    System.err.println("bench lucene: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        String started = now();
        long t0 = System.nanoTime();
        Corpus corpus = Corpus.generate(docs, 100_000, seed);
        System.err.printf(
                Locale.ROOT,
                "bench lucene: %,d documents, %,d MiB of text, generated in %.1f s; %d rounds in %s%n",
                docs,
                corpus.chars() >> 20,
                (System.nanoTime() - t0) / 1e9,
                rounds,
                dir);
        LuceneBench bench = new LuceneBench(
                corpus, Queries.make(corpus, perKind, seed), dir, threads, Math.max(1, docs / 10), mblock);
        // Untimed: a fifth of the corpus through both sides, so that neither pays for the JIT.
        Corpus small = new Corpus(corpus.vocabulary, corpus.cdf(), corpus.docs.subList(0, Math.max(1, docs / 5)));
        LuceneBench warmUp = new LuceneBench(
                small,
                Queries.make(corpus, Math.max(1, perKind / 5), seed + 1),
                dir,
                threads,
                Math.max(1, docs / 50),
                mblock);
        for (Side s : sides) {
            warmUp.run(s);
        }
        System.err.printf(Locale.ROOT, "bench lucene: warmed up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<Run> mpool = new ArrayList<>();
        List<Run> mmap = new ArrayList<>();
        List<Double> inMemory = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            if (sides.size() > 1) {
                inMemory.add(bench.indexInMemory());
                System.err.printf(
                        Locale.ROOT, "  round %d MEMORY index %.1f s (no I/O at all)%n", r + 1, inMemory.getLast());
            }
            Side[] order = r % 2 == 0 ? new Side[] {Side.MMAP, Side.MPOOL} : new Side[] {Side.MPOOL, Side.MMAP};
            for (Side s : order) {
                if (!sides.contains(s)) {
                    continue;
                }
                Run run = bench.run(s);
                (s == Side.MPOOL ? mpool : mmap).add(run);
                System.err.printf(
                        Locale.ROOT,
                        "  round %d %-5s index %.1f s, merge %.1f s, p99 term/phrase/sorted %.0f/%.0f/%.0f µs,"
                                + " hot set min %.1f%% resident of %,d MiB, merge took %,d MiB of page cache%n",
                        r + 1,
                        s,
                        run.indexSeconds(),
                        run.mergeSeconds(),
                        run.p99Micros()[0],
                        run.p99Micros()[1],
                        run.p99Micros()[2],
                        100 * run.hotMinResident(),
                        run.hotBytes() >> 20,
                        run.mergeCacheGrowthBytes() >> 20);
            }
        }
        if (mpool.isEmpty() || mmap.isEmpty()) {
            return; // one side only (--only): no ratios
        }
        List<String> table = Report.table(mpool, mmap, inMemory, docs);
        String header = "`./bench lucene --docs " + docs + " --rounds " + rounds + " --threads " + threads
                + " --mblock " + (mblock >> 20) + "m`, " + started + " to " + now() + ", in " + dir;
        System.out.println(header);
        System.out.println();
        table.forEach(System.out::println);
        if (out != null) {
            Files.createDirectories(out);
            Path md = out.resolve("lucene-"
                    + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
            List<String> all = new ArrayList<>();
            all.add(header);
            all.add("");
            all.addAll(table);
            Files.write(md, all);
            System.err.println("bench lucene: wrote " + md);
        }
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }

    /**
     * The same indexing into a ByteBuffersDirectory: no I/O at all, so the ceiling of what any
     * Directory can give the indexing case on this machine (Lucene's own work alone).
     */
    private double indexInMemory() throws Exception {
        try (Directory dir = new ByteBuffersDirectory();
                IndexWriter w = Indexer.open(dir)) {
            return Indexer.index(w, corpus, threads, commitEvery);
        }
    }

    private Run run(Side side) throws Exception {
        Path folder = base.resolve(side.name().toLowerCase(Locale.ROOT));
        deleteTree(folder);
        Files.createDirectories(folder);
        try (Directory dir = side == Side.MMAP
                ? new MMapDirectory(folder)
                : new MpoolDirectory(
                        folder, MpoolLockFactory.INSTANCE, new MpoolDirectoryOptions().mblockSizeBytes(mblockBytes))) {
            double indexSeconds;
            double mergeSeconds;
            Merge merge;
            try (IndexWriter w = Indexer.open(dir)) {
                indexSeconds = Indexer.index(w, corpus, threads, commitEvery);
                merge = mergeWithHotSet(side, folder, dir, w);
                mergeSeconds = merge.seconds();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                if (reader.numDocs() != corpus.docs.size()) {
                    throw new IllegalStateException(
                            side + " holds " + reader.numDocs() + " documents, not " + corpus.docs.size());
                }
                IndexSearcher searcher = new IndexSearcher(reader);
                Queries.run(searcher, queries); // warm-up: the page cache and the JIT
                Queries.run(searcher, queries);
                long[][] all = new long[Queries.Kind.values().length][0];
                for (int pass = 0; pass < 3; pass++) {
                    long[][] lat = Queries.run(searcher, queries);
                    for (int k = 0; k < all.length; k++) {
                        long[] joined = Arrays.copyOf(all[k], all[k].length + lat[k].length);
                        System.arraycopy(lat[k], 0, joined, all[k].length, lat[k].length);
                        all[k] = joined;
                    }
                }
                double[] p50 = new double[all.length];
                double[] p99 = new double[all.length];
                for (int k = 0; k < all.length; k++) {
                    p50[k] = Queries.percentileMicros(all[k], 50);
                    p99[k] = Queries.percentileMicros(all[k], 99);
                }
                long bytes = 0;
                for (String f : dir.listAll()) {
                    bytes += dir.fileLength(f);
                }
                return new Run(
                        indexSeconds,
                        mergeSeconds,
                        p50,
                        p99,
                        merge.hotMinResident(),
                        merge.hotBytes(),
                        merge.cacheGrowthBytes(),
                        bytes,
                        reader.numDocs());
            }
        } finally {
            deleteTree(folder);
        }
    }

    record Merge(double seconds, double hotMinResident, long hotBytes, long cacheGrowthBytes) {}

    /**
     * Drops the index from the page cache, opens a reader and runs the query mix once: the pages
     * that brings in are the hot set. Then forceMerge(1) runs while a sampler watches how much
     * of the hot set stays resident and how much page cache the index takes. For mpool the
     * reaper's budget is the hot set plus 256 MiB during the merge (docs/PERFORMANCE.md: with
     * this much RAM nothing else would compete).
     */
    private Merge mergeWithHotSet(Side side, Path folder, Directory dir, IndexWriter w) throws Exception {
        Path poolFile = side == Side.MPOOL ? ((MpoolDirectory) dir).pool().devicePath(MediaClass.CAPACITY) : null;
        dropCache(side, folder, poolFile);
        try (DirectoryReader reader = DirectoryReader.open(dir);
                PageProbe hotProbe = new PageProbe(ranges(side, folder, dir, reader))) {
            Queries.run(new IndexSearcher(reader), queries);
            BitSet hot = hotProbe.resident();
            long hotBytes = hot.cardinality() * PageProbe.PAGE;
            Mpool pool = side == Side.MPOOL ? ((MpoolDirectory) dir).pool() : null;
            Reaper.Config before = pool == null ? null : pool.reaperConfig();
            if (pool != null) {
                pool.setReaperConfig(
                        before.withBudgetBytes(hotBytes + (256L << 20)).withTtl(Duration.ZERO));
            }
            long cacheBefore = indexCacheBytes(side, folder, pool);
            AtomicBoolean done = new AtomicBoolean();
            double[] minResident = {1.0};
            long[] maxCache = {cacheBefore};
            Thread sampler = Thread.ofPlatform().name("residency-sampler").start(() -> {
                int tick = 0;
                while (!done.get()) {
                    BitSet now = hotProbe.resident();
                    now.and(hot);
                    minResident[0] = Math.min(
                            minResident[0], hot.isEmpty() ? 1.0 : (double) now.cardinality() / hot.cardinality());
                    if (tick++ % 5 == 0) {
                        try {
                            maxCache[0] = Math.max(maxCache[0], indexCacheBytes(side, folder, pool));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long t0 = System.nanoTime();
            double seconds;
            try {
                w.forceMerge(1);
                w.commit();
                seconds = (System.nanoTime() - t0) / 1e9;
            } finally {
                done.set(true);
                sampler.join();
                if (pool != null) {
                    pool.setReaperConfig(before);
                }
            }
            BitSet now = hotProbe.resident();
            now.and(hot);
            minResident[0] =
                    Math.min(minResident[0], hot.isEmpty() ? 1.0 : (double) now.cardinality() / hot.cardinality());
            maxCache[0] = Math.max(maxCache[0], indexCacheBytes(side, folder, pool));
            return new Merge(seconds, minResident[0], hotBytes, maxCache[0] - cacheBefore);
        }
    }

    /** The byte ranges of the reader's files: the files themselves, or their mblocks in the pool file. */
    private static List<PageProbe.Range> ranges(Side side, Path folder, Directory dir, DirectoryReader reader)
            throws IOException {
        List<String> files = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            files.addAll(((SegmentReader) leaf.reader()).getSegmentInfo().files());
        }
        List<PageProbe.Range> out = new ArrayList<>();
        for (String f : files) {
            if (side == Side.MMAP) {
                long len = dir.fileLength(f);
                if (len > 0) {
                    out.add(new PageProbe.Range(folder.resolve(f), 0, len));
                }
            } else {
                MpoolDirectory md = (MpoolDirectory) dir;
                for (ObjectId id : md.mblocks(f)) {
                    ObjectInfo info = md.pool().info(id);
                    out.add(new PageProbe.Range(
                            md.pool().devicePath(MediaClass.CAPACITY), info.offsetBytes(), info.lengthBytes()));
                }
            }
        }
        return out;
    }

    /** Every page of the index out of the page cache (it is synced: commits). */
    private static void dropCache(Side side, Path folder, Path poolFile) throws IOException {
        if (side == Side.MPOOL) {
            PageProbe.dropCache(poolFile, 0, 0);
            return;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                PageProbe.dropCache(p, 0, 0);
            }
        }
    }

    /**
     * Page cache held by the index now: every file of the folder, or every object of the pool
     * (what is not an object — free zones, a merge's output until it is committed — is never
     * cached: deletes drop their pages and mblocks are written with direct I/O).
     */
    private static long indexCacheBytes(Side side, Path folder, Mpool pool) throws IOException {
        List<PageProbe.Range> ranges = new ArrayList<>();
        if (side == Side.MPOOL) {
            Path poolFile = pool.devicePath(MediaClass.CAPACITY);
            for (ObjectInfo o : pool.objects()) {
                if (o.id().type() == ObjectId.Type.MBLOCK && o.lengthBytes() > 0) {
                    ranges.add(new PageProbe.Range(poolFile, o.offsetBytes(), o.lengthBytes()));
                }
            }
        } else {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    try {
                        long size = Files.size(p);
                        if (size > 0) {
                            ranges.add(new PageProbe.Range(p, 0, size));
                        }
                    } catch (IOException gone) {
                        // deleted by the merge meanwhile
                    }
                }
            }
        }
        try (PageProbe p = new PageProbe(ranges)) {
            return p.resident().cardinality() * PageProbe.PAGE;
        } catch (IOException | IllegalArgumentException gone) {
            return 0; // a file the merge deleted between the listing and the probe: sampled again next time
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    static long parseSize(String t) {
        String s = t.toLowerCase(Locale.ROOT);
        long mult = s.endsWith("k") ? 1 << 10 : s.endsWith("m") ? 1 << 20 : s.endsWith("g") ? 1L << 30 : 1;
        return Long.parseLong(mult == 1 ? s : s.substring(0, s.length() - 1)) * mult;
    }
}
