package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.ChunkTable;

/** Mblocks with contents derived from a seed, for tests that compare what they read back. */
final class MblockFixtures {
    private MblockFixtures() {}

    /** What one mblock of a 1 MiB zone holds: the zone less its page-checksum table. */
    static final long MIB_MBLOCK = ChunkTable.capacity(1 << 20);

    /** A file-backed pool's options: {@code sizeBytes} sparse, 1 MiB mblocks. */
    static CreateOptions oneMiBMblocks(long sizeBytes) {
        return new CreateOptions().size(sizeBytes).mblockSize(1 << 20);
    }

    /** Writes and commits an mblock of {@code lengthBytes} whose bytes follow from {@code seed}. */
    static ObjectId write(Mpool pool, MediaClass mediaClass, long lengthBytes, long seed) {
        try (Arena arena = Arena.ofConfined();
                MblockWriter w = pool.allocateMblock(mediaClass)) {
            if (lengthBytes > 0) {
                MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(lengthBytes, 4096));
                fill(buf, seed);
                w.write(buf.asSlice(0, lengthBytes));
            }
            w.commit();
            return w.id();
        }
    }

    /** Fills {@code buf} with a splitmix64 stream of {@code seed}: every mblock's bytes differ. */
    static void fill(MemorySegment buf, long seed) {
        long x = seed;
        long words = buf.byteSize() / 8;
        for (long i = 0; i < words; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, i * 8, z ^ (z >>> 31));
        }
    }

    /** The mblock's bytes read with direct I/O, its last page's padding included. */
    static MemorySegment readDirect(Mpool pool, ObjectId id, Arena arena) {
        long length = pool.info(id).lengthBytes();
        long padded = Math.max(4096, AlignedBuffers.alignUp(length, 4096));
        MemorySegment buf = AlignedBuffers.allocate(arena, padded);
        if (length > 0) {
            pool.readMblock(id, 0, buf);
        }
        return buf;
    }

    /** Reads one byte of every page, as a scan that faults the pages in would. */
    static long touchPages(MemorySegment segment) {
        long sum = 0;
        for (long off = 0; off < segment.byteSize(); off += 4096) {
            sum += segment.get(ValueLayout.JAVA_BYTE, off);
        }
        return sum;
    }
}
