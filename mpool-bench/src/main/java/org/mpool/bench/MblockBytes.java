package org.mpool.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mpool.MblockWriter;
import org.mpool.Mpool;

/**
 * Whole mblocks as a client writes and reads them: up to their capacity, not their zone. Since
 * format version 3 the end of every mblock's zone holds the table of its page checksums, so an
 * mblock holds less than its zone ({@link Mpool#mblockCapacity}, {@link MblockWriter#capacityBytes}:
 * 1,044,480 bytes in a 1 MiB zone, 33,517,568 in a 32 MiB one). Capacities are whole 4 KiB
 * pages, so the last, shorter piece of a whole mblock is still page-aligned.
 */
final class MblockBytes {
    private MblockBytes() {}

    /** Writes {@code buf} into {@code w} while it has room, then the part of it that fills {@code w} exactly. */
    static long fill(MblockWriter w, MemorySegment buf) {
        long written = 0;
        long room;
        while ((room = w.capacityBytes() - w.writtenBytes()) > 0) {
            MemorySegment piece = room >= buf.byteSize() ? buf : buf.asSlice(0, room);
            w.write(piece);
            written += piece.byteSize();
        }
        return written;
    }

    /**
     * The reads of whole mblocks of {@code capacityBytes}, {@code chunkBytes} at a time, in order:
     * read {@code i} is read {@code i % perMblock()} of mblock {@code i / perMblock()}; the last of
     * each mblock is shorter (the rest of its capacity).
     */
    record Chunks(long capacityBytes, long chunkBytes) {
        Chunks {
            if (capacityBytes <= 0 || chunkBytes <= 0 || capacityBytes % 4096 != 0 || chunkBytes % 4096 != 0) {
                throw new IllegalArgumentException(
                        "chunks of " + chunkBytes + " bytes over mblocks of " + capacityBytes + " bytes");
            }
        }

        long perMblock() {
            return (capacityBytes + chunkBytes - 1) / chunkBytes;
        }

        /** The mblock of read {@code i} among {@code mblocks} (reads go round them). */
        int mblock(long i, int mblocks) {
            return (int) ((i / perMblock()) % mblocks);
        }

        /** Offset of read {@code i} in its mblock. */
        long offset(long i) {
            return (i % perMblock()) * chunkBytes;
        }

        /** Length of read {@code i}. */
        long length(long i) {
            return Math.min(chunkBytes, capacityBytes - offset(i));
        }
    }

    /**
     * Opens {@code file} for reading with O_DIRECT, as plain Java does it: a {@link FileChannel}
     * with {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}. The constant is looked up by name:
     * naming the class in code is a warning about internal API, and the build turns warnings into
     * errors. Reads then need buffers, positions and lengths aligned to the file system's block
     * size ({@link Mpool#allocateBuffer} gives 4096-aligned memory).
     */
    static FileChannel openDirect(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, directOption());
    }

    private static OpenOption directOption() {
        try {
            Class<?> options = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            for (Object o : options.getEnumConstants()) {
                if (((Enum<?>) o).name().equals("DIRECT")) {
                    return (OpenOption) o;
                }
            }
            throw new IllegalStateException("com.sun.nio.file.ExtendedOpenOption has no DIRECT on this JDK");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("com.sun.nio.file.ExtendedOpenOption is missing on this JDK", e);
        }
    }

    /**
     * Reads {@code buf}'s remaining bytes at {@code position} of {@code ch} (positional reads,
     * pread); {@code buf} comes from {@code Mpool.allocateBuffer(arena, n).asByteBuffer()}, made
     * once so that no read allocates.
     */
    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("end of file at " + at);
            }
            at += n;
        }
    }
}
