package org.mpool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.ObjectId;
import org.mpool.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Write an mblock's bytes to standard output (direct I/O). Needs no lock.",
        footer = {"", "Example:", "  mpool mblock get mp1 0x0000000000001101 > copy.sst"})
final class MblockGetCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @Parameters(index = "0", paramLabel = "POOL")
    String pool;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws IOException {
        ObjectId oid = ObjectId.parse(id);
        OutputStream out = System.out;
        try (Mpool p = Cli.inspect(pool); Arena arena = Arena.ofConfined()) {
            ObjectInfo info = p.info(oid);
            MemorySegment buf = AlignedBuffers.allocate(arena, CHUNK);
            byte[] bytes = new byte[CHUNK];
            for (long off = 0; off < info.lengthBytes(); off += CHUNK) {
                long len = Math.min(CHUNK, info.lengthBytes() - off);
                p.readMblock(oid, off, buf.asSlice(0, AlignedBuffers.alignUp(len, 4096)));
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
                out.write(bytes, 0, (int) len);
            }
        }
        out.flush();
        return 0;
    }
}
