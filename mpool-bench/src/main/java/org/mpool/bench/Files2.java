package org.mpool.bench;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.mpool.Mpool;

/** Benchmark files: laid out by writing every block, as fio does, so no case writes into holes. */
final class Files2 {
    private Files2() {}

    /** A file of {@code size} bytes (a multiple of 1 MiB), every block written (kept between runs when it already is). */
    static Path writtenFile(Path dir, String name, long size) throws IOException {
        Path file = dir.resolve(name);
        Path marker = dir.resolve(name + ".written");
        if (Files.exists(file) && Files.size(file) == size && Files.exists(marker)) {
            return file;
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(marker);
        // Direct I/O (javac warns that ExtendedOpenOption is JDK-specific), so laying out
        // gigabytes neither leaves them dirty for the first case to drain nor leaves cached
        // pages that the first direct writes over them would have to invalidate.
        try (FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                Arena arena = Arena.ofConfined()) {
            ByteBuffer buf = randomBuffer(arena, 1 << 20, 1).asByteBuffer();
            for (long off = 0; off < size; off += buf.capacity()) {
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf, off + buf.position());
                }
            }
            ch.force(true);
        }
        Files.createFile(marker);
        return file;
    }

    /**
     * Makes everything written to {@code file} so far durable (fsync), so the next case does not
     * pay for the previous one's unflushed writes: a run that ends with gigabytes in the device's
     * write cache would otherwise make the next case's first flush drain them.
     */
    static void settle(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }

    /** A direct-I/O buffer ({@link Mpool#allocateBuffer}) of {@code size} random bytes. */
    static MemorySegment randomBuffer(Arena arena, long size, long seed) {
        MemorySegment buf = Mpool.allocateBuffer(arena, size);
        byte[] bytes = new byte[(int) size];
        new Random(seed).nextBytes(bytes);
        MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return buf;
    }
}
