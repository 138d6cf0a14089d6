package org.mpool.lucene.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * Which pages of some file ranges are in the page cache, seen from outside the directory: each
 * range is mapped read-only by this probe (a mapping of its own, never read, so it faults
 * nothing) and asked with {@code mincore}. Works the same for an index file of MMapDirectory and
 * for the mblocks of an MpoolDirectory file in the pool file, so both are measured one way.
 * Also drops ranges from the page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)}).
 */
@SuppressWarnings("restricted") // mincore, open, close, posix_fadvise: the probe's own calls
final class PageProbe implements AutoCloseable {
    static final long PAGE = 4096;

    /** A byte range of a file. */
    record Range(Path file, long offset, long length) {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MINCORE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mincore").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS));
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FADVISE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_fadvise").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final int POSIX_FADV_DONTNEED = 4;

    private final Arena arena = Arena.ofShared();
    private final List<Range> ranges;
    private final MemorySegment[] maps;
    private final long pages;

    PageProbe(List<Range> ranges) throws IOException {
        this.ranges = List.copyOf(ranges);
        this.maps = new MemorySegment[ranges.size()];
        long p = 0;
        for (int i = 0; i < maps.length; i++) {
            Range r = ranges.get(i);
            long from = r.offset() / PAGE * PAGE;
            long len = Math.max(PAGE, (r.offset() + r.length() + PAGE - 1) / PAGE * PAGE - from);
            try (FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.READ)) {
                long mapped = Math.min(len, ch.size() - from);
                if (mapped <= 0) {
                    throw new IllegalArgumentException("range past the end of " + r.file() + ": " + r);
                }
                maps[i] = ch.map(FileChannel.MapMode.READ_ONLY, from, mapped, arena);
            }
            p += (maps[i].byteSize() + PAGE - 1) / PAGE;
        }
        this.pages = p;
    }

    /** Pages the ranges cover. */
    long pages() {
        return pages;
    }

    /** One bit per page of the ranges, in order: set when the page is in the page cache. */
    BitSet resident() {
        BitSet out = new BitSet((int) pages);
        int at = 0;
        try (Arena scratch = Arena.ofConfined()) {
            for (MemorySegment m : maps) {
                long n = (m.byteSize() + PAGE - 1) / PAGE;
                MemorySegment vec = scratch.allocate(n);
                int rc = (int) MINCORE.invokeExact(m.address(), m.byteSize(), vec);
                if (rc != 0) {
                    throw new IllegalStateException("mincore failed: " + rc);
                }
                for (long i = 0; i < n; i++) {
                    if ((vec.get(JAVA_BYTE, i) & 1) != 0) {
                        out.set(at + (int) i);
                    }
                }
                at += (int) n;
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return out;
    }

    /** Drops every page of the ranges from the page cache (they must be clean: synced). */
    void drop() {
        for (Range r : ranges) {
            dropCache(r.file(), r.offset(), r.length());
        }
    }

    /** posix_fadvise(DONTNEED) on a file range: pages no mapping holds leave the page cache. */
    static void dropCache(Path file, long offset, long length) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(a.allocateFrom(file.toString()), 0);
            if (fd < 0) {
                throw new IllegalStateException("open " + file + " failed");
            }
            try {
                int rc = (int) FADVISE.invokeExact(fd, offset, length, POSIX_FADV_DONTNEED);
                if (rc != 0) {
                    throw new IllegalStateException("posix_fadvise on " + file + " failed: " + rc);
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
                assert ignored == 0;
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
