package org.mpool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description = "Write a file (or standard input) into a new mblock, commit it and print its id.",
        footer = {
            "",
            "Examples:",
            "  mpool mblock put mp1 data.sst",
            "  tar c dir | mpool mblock put mp1 - --class staging"
        })
final class MblockPutCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "FILE", defaultValue = "-", description = "The data; - for standard input.")
    String file;

    @Option(names = "--class", defaultValue = "capacity", description = "Media class: capacity or staging.")
    String mediaClass;

    @Override
    public Integer call() throws IOException {
        MediaClass mc = MediaClass.parse(mediaClass);
        if (!file.equals("-")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                throw new MpoolException(ErrorCode.NOT_FOUND, file + ": no such file");
            }
            if (Files.isDirectory(p)) {
                throw MpoolException.invalid(file + " is a directory: give a file, or - for standard input");
            }
            if (!Files.isReadable(p)) {
                throw new MpoolException(ErrorCode.PERMISSION, file + ": permission denied");
            }
        }
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
                Mpool p = Cli.open(pool);
                Arena arena = Arena.ofConfined()) {
            Cli.requireClass(p, mc);
            try (MblockWriter w = p.allocateMblock(mc)) {
                MemorySegment buf = Mpool.allocateBuffer(arena, CHUNK);
                byte[] chunk = new byte[CHUNK];
                while (true) {
                    int n = in.readNBytes(chunk, 0, CHUNK);
                    if (n == 0) {
                        break;
                    }
                    MemorySegment.copy(chunk, 0, buf, ValueLayout.JAVA_BYTE, 0, n);
                    w.write(buf.asSlice(0, n));
                    if (n < CHUNK) {
                        break;
                    }
                }
                w.commit();
                System.out.println(w.id());
            }
        }
        return 0;
    }
}
