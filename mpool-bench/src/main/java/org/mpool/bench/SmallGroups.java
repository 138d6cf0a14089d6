package org.mpool.bench;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;

/**
 * Small objects made durable in groups of {@value #SIZE}, one thread: each group is timed from
 * its first allocation (or file creation) until all of its objects are durable. The objects are
 * then deleted, untimed and durably (mpool deletes are synced; the files' unlinks are followed by
 * a directory fsync), so a group never pays for the previous one's cleanup, and mblocks reuse
 * the zones of a written file (steady state).
 */
final class SmallGroups {
    /** Objects per group. */
    static final int SIZE = 64;

    private static final int PAGE = 4096;

    /** Groups per second of timed work, and the latency of one whole group. */
    record Run(double groupsPerSecond, double p50Micros, double p99Micros) {}

    /** The timed part: makes one group durable and returns what to delete. */
    @FunctionalInterface
    private interface Group<T> {
        T make() throws Exception;
    }

    /** The untimed part: deletes a group. */
    @FunctionalInterface
    private interface Cleanup<T> {
        void delete(T made) throws Exception;
    }

    private SmallGroups() {}

    /** 64 × (allocate + write 4 KiB + {@code commitDeferred()}), then one {@code pool.flush()}. */
    static Run deferred(Mpool pool, MemorySegment page, ExecutorService deleters, int seconds) throws Exception {
        return run(
                seconds,
                () -> {
                    List<ObjectId> ids = new ArrayList<>(SIZE);
                    for (int i = 0; i < SIZE; i++) {
                        MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                        w.write(page);
                        w.commitDeferred();
                        ids.add(w.id());
                    }
                    pool.flush();
                    return ids;
                },
                ids -> deleteAll(pool, ids, deleters));
    }

    /** 64 × (allocate + write 4 KiB + {@code commit()}): a flush per object. */
    static Run durable(Mpool pool, MemorySegment page, ExecutorService deleters, int seconds) throws Exception {
        return run(
                seconds,
                () -> {
                    List<ObjectId> ids = new ArrayList<>(SIZE);
                    for (int i = 0; i < SIZE; i++) {
                        MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                        w.write(page);
                        w.commit();
                        ids.add(w.id());
                    }
                    return ids;
                },
                ids -> deleteAll(pool, ids, deleters));
    }

    /** 64 × (allocate + write 4 KiB), then {@code pool.commit(writers)}: one flush for all. */
    static Run batch(Mpool pool, MemorySegment page, ExecutorService deleters, int seconds) throws Exception {
        return run(
                seconds,
                () -> {
                    List<MblockWriter> writers = new ArrayList<>(SIZE);
                    for (int i = 0; i < SIZE; i++) {
                        MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                        w.write(page);
                        writers.add(w);
                    }
                    pool.commit(writers);
                    return writers.stream().map(MblockWriter::id).toList();
                },
                ids -> deleteAll(pool, ids, deleters));
    }

    /**
     * What a user does to make 64 new files durable together with POSIX calls: create each and
     * write its 4 KiB (buffered, the file kept open), then fsync and close each, then fsync the
     * directory once so that the 64 names are durable too. In {@code dir}, the pool's file system.
     */
    static Run files(Path dir, int seconds) throws Exception {
        Path objects = Files.createDirectories(dir.resolve("object-groups"));
        try (var left = Files.newDirectoryStream(objects)) {
            for (Path p : left) {
                Files.delete(p); // files an interrupted run left behind
            }
        }
        fsyncDirectory(objects);
        ByteBuffer data = ByteBuffer.allocateDirect(PAGE);
        byte[] bytes = new byte[PAGE];
        new Random(11).nextBytes(bytes);
        data.put(bytes);
        long[] next = {0};
        return run(
                seconds,
                () -> {
                    List<Path> paths = new ArrayList<>(SIZE);
                    List<FileChannel> open = new ArrayList<>(SIZE);
                    try {
                        for (int i = 0; i < SIZE; i++) {
                            Path p = objects.resolve(Long.toString(next[0]++));
                            FileChannel ch =
                                    FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                            open.add(ch);
                            paths.add(p);
                            data.clear();
                            while (data.hasRemaining()) {
                                ch.write(data);
                            }
                        }
                        for (FileChannel ch : open) {
                            ch.force(true);
                            ch.close();
                        }
                    } finally {
                        for (FileChannel ch : open) {
                            ch.close(); // after a failure; a no-op otherwise
                        }
                    }
                    fsyncDirectory(objects);
                    return paths;
                },
                paths -> {
                    for (Path p : paths) {
                        Files.delete(p);
                    }
                    fsyncDirectory(objects);
                });
    }

    private static void fsyncDirectory(Path dir) throws Exception {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /**
     * Deletes the group's objects from several threads: each delete is a synced append, so
     * done one by one they would take longer than the group itself; concurrent ones share
     * flushes (group commit).
     */
    private static void deleteAll(Mpool pool, List<ObjectId> ids, ExecutorService deleters) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (ObjectId id : ids) {
            done.add(deleters.submit(() -> pool.delete(id)));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    private static <T> Run run(int seconds, Group<T> group, Cleanup<T> cleanup) throws Exception {
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long busyNanos = 0;
        long groups = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            T made = group.make();
            long took = System.nanoTime() - t0;
            latency.recordValue(Math.max(1, took));
            busyNanos += took;
            groups++;
            cleanup.delete(made);
        }
        return new Run(
                groups / (busyNanos / 1e9),
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0);
    }
}
