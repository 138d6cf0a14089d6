package org.mpool.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mpool.ErrorCode;
import org.mpool.MpoolException;
import org.mpool.device.AlignedBuffers;
import org.mpool.device.NativeDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A short tour on a file-backed device: direct-I/O writes and reads, verified and timed. */
@Command(name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Create a sparse file device, write and read it with direct I/O, verify the bytes and print throughput.",
        footer = {"", "Examples:", "  mpool quickstart", "  mpool quickstart --dir /mnt/fast --size 1g --keep"})
final class QuickstartCommand implements Callable<Integer> {
    private static final int IO_SIZE = 1 << 20;

    @Option(names = "--dir", description = "Directory for the device file (default: a new temporary directory).")
    Path dir;

    @Option(names = "--size", defaultValue = "256m", converter = SizeConverter.class,
            description = "Bytes to write and read back (default: ${DEFAULT-VALUE}).")
    long sizeBytes;

    @Option(names = "--keep", description = "Keep the device file afterwards.")
    boolean keep;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        if (sizeBytes < IO_SIZE || sizeBytes % IO_SIZE != 0) {
            throw MpoolException.invalid("--size must be a positive multiple of 1 MiB, got " + sizeBytes);
        }
        Path workDir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("mpool-quickstart");
        Path file = workDir.resolve("capacity.img");
        if (Files.exists(file)) {
            throw new MpoolException(ErrorCode.EXISTS, file + " exists already; remove it or pick another --dir");
        }
        out.printf("mpool quickstart%n  device file: %s (sparse, %s)%n", file, Units.human(sizeBytes));
        try (NativeDevice device = NativeDevice.createFile(file, sizeBytes, NativeDevice.OpenOptions.EXCLUSIVE);
             Arena arena = Arena.ofConfined()) {
            out.printf("  block sizes: logical %d, physical %d; direct I/O (O_DIRECT), exclusive lock held%n",
                    device.logicalBlockSize(), device.physicalBlockSize());
            MemorySegment buf = AlignedBuffers.allocate(arena, IO_SIZE);

            long t0 = System.nanoTime();
            for (long off = 0; off < sizeBytes; off += IO_SIZE) {
                stamp(buf, off);
                device.write(off, buf);
            }
            device.flush();
            long writeNanos = System.nanoTime() - t0;
            out.printf("  wrote    %s in 1 MiB direct writes + fdatasync: %s%n",
                    Units.human(sizeBytes), Units.rate(sizeBytes, writeNanos));

            long t1 = System.nanoTime();
            for (long off = 0; off < sizeBytes; off += IO_SIZE) {
                device.read(off, buf);
                verify(buf, off, file);
            }
            long readNanos = System.nanoTime() - t1;
            out.printf("  read     %s back with direct reads and verified every byte: %s%n",
                    Units.human(sizeBytes), Units.rate(sizeBytes, readNanos));
        } finally {
            if (!keep) {
                deleteTree(dir != null ? file : workDir);
            }
        }
        out.println(keep ? "  kept " + file : "  removed the device file");
        return 0;
    }

    /** Fills the buffer with a pattern that encodes each 8-byte word's device offset. */
    private static void stamp(MemorySegment buf, long deviceOffset) {
        for (long i = 0; i < buf.byteSize(); i += 8) {
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, i, (deviceOffset + i) * 0x9E3779B97F4A7C15L);
        }
    }

    private static void verify(MemorySegment buf, long deviceOffset, Path file) {
        for (long i = 0; i < buf.byteSize(); i += 8) {
            if (buf.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != (deviceOffset + i) * 0x9E3779B97F4A7C15L) {
                throw MpoolException.corrupt("read back wrong bytes from " + file + " at offset " + (deviceOffset + i));
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
