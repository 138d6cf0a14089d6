package org.mpool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mcache;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.Reaper.Advice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Write an mblock's bytes to standard output: direct I/O, or with --map through an mcache "
                + "map (the same bytes). Needs no lock.",
        footer = {
            "",
            "Examples:",
            "  mpool mblock get mp1 0x0000000000001101 > copy.sst",
            "  mpool mblock get mp1 0x0000000000001101 --map | sha256sum"
        })
final class MblockGetCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Option(names = "--map", description = "Read through a memory map of the mblock (mcache) instead of direct I/O.")
    boolean map;

    @Override
    public Integer call() throws IOException {
        ObjectId oid = Cli.objectId(id, ObjectId.Type.MBLOCK);
        OutputStream out = Stdout.stream();
        try (Mpool p = Cli.inspect(pool);
                Arena arena = Arena.ofConfined()) {
            ObjectInfo info = p.info(oid);
            if (map) {
                copyMapped(p, oid, out);
                out.flush();
                return 0;
            }
            MemorySegment buf = Mpool.allocateBuffer(arena, CHUNK);
            byte[] bytes = new byte[CHUNK];
            for (long off = 0; off < info.lengthBytes(); off += CHUNK) {
                long len = Math.min(CHUNK, info.lengthBytes() - off);
                p.readMblock(oid, off, buf.asSlice(0, (len + 4095) / 4096 * 4096));
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
                out.write(bytes, 0, (int) len);
            }
        }
        out.flush();
        return 0;
    }

    private static void copyMapped(Mpool p, ObjectId oid, OutputStream out) throws IOException {
        try (Mcache m = p.map(List.of(oid), Advice.WARM)) {
            m.verify(); // maps check nothing as they are read: verify before a byte goes out
            MemorySegment bytes = m.segment(oid);
            byte[] chunk = new byte[CHUNK];
            for (long off = 0; off < bytes.byteSize(); off += CHUNK) {
                int len = (int) Math.min(CHUNK, bytes.byteSize() - off);
                m.willNeed(m.base(oid) + off, len); // maps read a page per fault without it
                MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, off, chunk, 0, len);
                out.write(chunk, 0, len);
            }
        }
    }
}
