package org.mpool.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mpool.MblockWriter;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.PoolStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A tour of mpool on a file-backed pool: mblocks, mlogs, reopen, blkid. */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Create a pool on a sparse file, write, commit and read mblocks, append to an mlog, "
                + "reopen the pool and verify everything, then destroy it.",
        footer = {"", "Examples:", "  mpool quickstart", "  mpool quickstart --dir /mnt/fast --keep"})
final class QuickstartCommand implements Callable<Integer> {
    private static final int IO_SIZE = 1 << 20;

    @Option(names = "--dir", description = "Directory for the device file (default: a new temporary directory).")
    Path dir;

    @Option(
            names = "--mblocks",
            defaultValue = "8",
            description = "32 MiB mblocks to write (default: ${DEFAULT-VALUE}).")
    int mblocks;

    @Option(names = "--keep", description = "Keep the pool and its device file afterwards.")
    boolean keep;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        if (mblocks < 1 || mblocks > 64) {
            throw MpoolException.invalid("--mblocks must be 1 to 64, got " + mblocks);
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MpoolException.invalid("--dir " + dir + " is not a directory");
        }
        Path workDir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("mpool-quickstart");
        Path file = workDir.resolve("quickstart.img");
        if (Files.exists(file)) {
            throw new MpoolException(ErrorCode.EXISTS, file + " exists already; remove it or pick another --dir");
        }
        try {
            tour(file);
        } finally {
            if (!keep) {
                deleteTree(dir != null ? file : workDir);
            }
        }
        return 0;
    }

    private void tour(Path file) {
        long size = 64L << 30; // sparse: only what is written takes disk space
        out.printf(
                "mpool quickstart%n%n1. create pool 'quickstart' on %s (sparse %s file, 32 MiB mblocks)%n",
                file, Units.human(size));
        List<ObjectId> ids = new ArrayList<>();
        long capacity;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = Mpool.allocateBuffer(arena, IO_SIZE);
            MemorySegment small = Mpool.allocateBuffer(arena, 4096);
            long t0 = System.nanoTime();
            try (Mpool pool = Mpool.create(
                    "quickstart", file, new CreateOptions().size(size).label("quickstart tour"))) {
                out.printf("   created in %d ms, uuid %s%n", millis(t0), pool.uuid());
                capacity = pool.mblockCapacity(MediaClass.CAPACITY);

                out.printf(
                        "%n2. write %d mblocks (32 MiB zones: %s of data and their page checksums) in 1 MiB direct"
                                + " writes, commit each%n",
                        mblocks, Units.human(capacity));
                long t1 = System.nanoTime();
                for (int m = 0; m < mblocks; m++) {
                    try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
                        for (long off = 0; off < capacity; off += IO_SIZE) {
                            MemorySegment chunk = buf.asSlice(0, Math.min(IO_SIZE, capacity - off));
                            stamp(chunk, m, off);
                            w.write(chunk);
                        }
                        w.commit();
                        ids.add(w.id());
                    }
                }
                long writeNanos = System.nanoTime() - t1;
                out.printf(
                        "   %s committed at %s%n",
                        Units.human(mblocks * capacity), Units.rate(mblocks * capacity, writeNanos));

                int smallCount = 500;
                out.printf("%n3. commit %d small objects (allocate + 4 KiB write + commit, one thread)%n", smallCount);
                long t2 = System.nanoTime();
                List<ObjectId> smallIds = new ArrayList<>();
                for (int i = 0; i < smallCount; i++) {
                    small.fill((byte) i);
                    MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                    w.write(small);
                    w.commit();
                    smallIds.add(w.id());
                }
                long smallNanos = System.nanoTime() - t2;
                out.printf("   %.0f commits/s (each durable on return)%n", smallCount / (smallNanos / 1e9));
                for (ObjectId id : smallIds) {
                    pool.delete(id);
                }
                out.printf("   deleted them again: space returned%n");

                out.printf("%n4. an mlog: append 10,000 records of 100 bytes (async, one flush), read them back%n");
                ObjectId logId = pool.allocateMlog(MediaClass.CAPACITY, 1 << 20);
                pool.commit(logId, 0);
                try (Mlog log = pool.openMlog(logId)) {
                    byte[] rec = new byte[100];
                    long t3 = System.nanoTime();
                    for (int i = 0; i < 10_000; i++) {
                        rec[0] = (byte) i;
                        log.append(rec, false);
                    }
                    log.flush();
                    long appendNanos = System.nanoTime() - t3;
                    out.printf(
                            "   %.0f appends/s; %s of %s used%n",
                            10_000 / (appendNanos / 1e9),
                            Units.human(log.usedBytes()),
                            Units.human(log.capacityBytes()));
                }
                ids.add(logId);
            }

            out.printf("%n5. reopen the pool (recovery reads the catalog) and verify every byte%n");
            long t4 = System.nanoTime();
            try (Mpool pool = Mpool.open(file)) {
                out.printf(
                        "   opened in %d ms: %d mblocks, %d mlogs%n",
                        millis(t4), pool.stats().mblocks(), pool.stats().mlogs());
                long t5 = System.nanoTime();
                for (int m = 0; m < mblocks; m++) {
                    for (long off = 0; off < capacity; off += IO_SIZE) {
                        MemorySegment chunk = buf.asSlice(0, Math.min(IO_SIZE, capacity - off));
                        pool.readMblock(ids.get(m), off, chunk); // verified against the page checksums
                        verify(chunk, m, off, ids.get(m));
                    }
                }
                out.printf(
                        "   read %s back with direct I/O at %s, every page checked against its checksum%n",
                        Units.human(mblocks * capacity), Units.rate(mblocks * capacity, System.nanoTime() - t5));
                try (Mlog log = pool.openMlog(ids.get(ids.size() - 1))) {
                    out.printf(
                            "   the mlog holds %d records%n",
                            log.reader().readAll().size());
                }
                PoolStats.ClassStats cap = pool.stats().classes().get(MediaClass.CAPACITY);
                out.printf(
                        "   capacity class: %s used of %s (%s spare for metadata)%n",
                        Units.human(cap.usedBytes()), Units.human(cap.totalBytes()), Units.human(cap.spareBytes()));
            }
        }
        blkid(file);
        if (keep) {
            out.printf("%nkept %s (open it again with Mpool.open)%n", file);
        } else {
            try (Mpool pool = Mpool.open(file)) {
                pool.destroy();
            }
            out.printf("%n6. destroyed the pool and removed its file%n");
        }
    }

    private void blkid(Path file) {
        try {
            Process p = new ProcessBuilder("blkid", "-p", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                out.printf("%n   blkid -p recognises it: %s%n", text);
            }
        } catch (IOException | InterruptedException e) {
            // blkid is optional: the tour goes on without it
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Fills the buffer with a pattern that encodes the mblock number and each word's offset. */
    private static void stamp(MemorySegment buf, int mblock, long offset) {
        long base = ((long) mblock << 40) + offset;
        for (long i = 0; i < buf.byteSize(); i += 8) {
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, i, (base + i) * 0x9E3779B97F4A7C15L);
        }
    }

    private static void verify(MemorySegment buf, int mblock, long offset, ObjectId id) {
        long base = ((long) mblock << 40) + offset;
        for (long i = 0; i < buf.byteSize(); i += 8) {
            if (buf.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != (base + i) * 0x9E3779B97F4A7C15L) {
                throw MpoolException.corrupt("mblock " + id + " read back wrong bytes at offset " + (offset + i));
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
