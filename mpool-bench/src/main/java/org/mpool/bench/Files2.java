package org.mpool.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.NativeDevice;

/** Benchmark files: laid out by writing every block, as fio does, so no case writes into holes. */
final class Files2 {
    private Files2() {}

    /** A file of {@code size} bytes, every block written (kept between runs when it already is). */
    static Path writtenFile(Path dir, String name, long size) throws Exception {
        Path file = dir.resolve(name);
        Path marker = dir.resolve(name + ".written");
        if (Files.exists(file) && Files.size(file) == size && Files.exists(marker)) {
            return file;
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(marker);
        try (NativeDevice d = NativeDevice.createFile(file, size, NativeDevice.OpenOptions.SHARED);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = randomBuffer(arena, 1 << 20, 1);
            for (long off = 0; off < size; off += buf.byteSize()) {
                d.write(off, buf);
            }
            d.flush();
        }
        Files.createFile(marker);
        return file;
    }

    /**
     * Makes everything written to {@code file} so far durable (fsync), so the next case does not
     * pay for the previous one's unflushed writes: a run that ends with gigabytes in the device's
     * write cache would otherwise make the next case's first flush drain them.
     */
    static void settle(Path file) throws java.io.IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }

    static MemorySegment randomBuffer(Arena arena, long size, long seed) {
        MemorySegment buf = AlignedBuffers.allocate(arena, size);
        byte[] bytes = new byte[(int) size];
        new Random(seed).nextBytes(bytes);
        MemorySegment.copy(bytes, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return buf;
    }
}
