package org.mpool.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
        // Laid out with direct I/O (dd oflag=direct), so gigabytes are neither left dirty for
        // the first case to drain nor left cached for the first direct writes to invalidate.
        // The JDK's own direct flag is internal API; dd is on every Linux.
        Process dd = new ProcessBuilder(
                        "dd",
                        "if=/dev/zero",
                        "of=" + file,
                        "bs=1M",
                        "count=" + (size >> 20),
                        "oflag=direct",
                        "conv=fsync",
                        "status=none")
                .redirectErrorStream(true)
                .start();
        String out = new String(dd.getInputStream().readAllBytes());
        try {
            if (dd.waitFor() != 0 || Files.size(file) != size) {
                throw new IOException("laying out " + file + " with dd failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted laying out " + file, e);
        }
        Files.createFile(marker);
        return file;
    }

    /** The bytes the file system allocated for {@code file}: st_blocks × 512 ({@code stat -c %b}). */
    static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        if (p.waitFor() != 0) {
            throw new IOException("stat " + file + " failed: " + out);
        }
        return Long.parseLong(out) * 512;
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
