package org.mpool.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.linux.LibC;

/**
 * Which call really drops mapped file pages from the page cache, measured with mincore (the
 * table in docs/MCACHE.md comes from this test's output). The reaper relies on the pair
 * {@link PageCache#evict} uses; the others are measured so a kernel that changes shows here.
 */
class PageCacheEvictionTest {
    private static final long LEN = 16L << 20;

    @TempDir
    Path dir;

    private int fd;
    private Arena arena;
    private MemorySegment vector;

    @BeforeEach
    void writeFile() throws IOException {
        Path file = dir.resolve("pages.img");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            for (long off = 0; off < LEN; off += b.capacity()) {
                b.clear();
                while (b.hasRemaining()) {
                    b.put((byte) (off >>> 20));
                }
                b.flip();
                ch.write(b, off);
            }
            ch.force(true);
        }
        fd = LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        arena = Arena.ofConfined();
        vector = arena.allocate(PageCache.MINCORE_PAGES);
    }

    @AfterEach
    void closeFile() {
        LibC.close(fd);
        arena.close();
    }

    /** Maps the file, faults every page in, applies {@code method}, returns the fraction still resident. */
    @SuppressWarnings("restricted") // a raw map of the test's own file
    private double residentAfter(String method) {
        long addr = LibC.mmap(0, LEN, LibC.PROT_READ, LibC.MAP_SHARED, fd, 0);
        assertThat(addr).isPositive();
        try {
            MemorySegment seg = MemorySegment.ofAddress(addr).reinterpret(LEN);
            for (long off = 0; off < LEN; off += LibC.PAGE_SIZE) {
                seg.get(ValueLayout.JAVA_BYTE, off);
            }
            long before = PageCache.residentPages(addr, LEN, vector);
            assumeTrue(before > 0, "mincore reports no resident pages after reading them all: skipped");
            switch (method) {
                case "MADV_DONTNEED" -> LibC.madvise(addr, LEN, LibC.MADV_DONTNEED);
                case "MADV_COLD" -> LibC.madvise(addr, LEN, LibC.MADV_COLD);
                case "MADV_PAGEOUT" -> LibC.madvise(addr, LEN, LibC.MADV_PAGEOUT);
                case "POSIX_FADV_DONTNEED" -> LibC.posixFadvise(fd, 0, LEN, LibC.POSIX_FADV_DONTNEED);
                case "MADV_COLD + POSIX_FADV_DONTNEED" -> {
                    LibC.madvise(addr, LEN, LibC.MADV_COLD);
                    LibC.posixFadvise(fd, 0, LEN, LibC.POSIX_FADV_DONTNEED);
                }
                case "PageCache.evict" -> PageCache.evict(addr, LEN, fd, 0);
                default -> throw new IllegalArgumentException(method);
            }
            return (double) PageCache.residentPages(addr, LEN, vector) / before;
        } finally {
            LibC.munmap(addr, LEN);
            LibC.posixFadvise(fd, 0, LEN, LibC.POSIX_FADV_DONTNEED); // next method starts cold
        }
    }

    @Test
    void madviseDontneedThenFadviseDontneedDropsMappedPages() {
        Map<String, Double> table = new LinkedHashMap<>();
        for (String m : new String[] {
            "MADV_DONTNEED",
            "MADV_COLD",
            "POSIX_FADV_DONTNEED",
            "MADV_COLD + POSIX_FADV_DONTNEED",
            "MADV_PAGEOUT",
            "PageCache.evict"
        }) {
            table.put(m, residentAfter(m));
        }
        table.forEach((m, f) -> System.out.printf("eviction by %-32s leaves %5.1f%% resident%n", m, 100 * f));
        assertThat(table.get("PageCache.evict"))
                .as("resident after MADV_DONTNEED + POSIX_FADV_DONTNEED")
                .isLessThan(0.01);
    }
}
