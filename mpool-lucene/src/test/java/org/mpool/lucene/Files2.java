package org.mpool.lucene;

import java.io.IOException;
import java.util.Random;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/** Writing and reading whole files of seeded bytes, for the directory's own tests. */
final class Files2 {
    private Files2() {}

    /** The bytes of a file of {@code length} bytes made from {@code seed}. */
    static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} as {@code name} in pieces of random sizes (so buffers fill unevenly). */
    static void write(Directory dir, String name, byte[] data) throws IOException {
        Random r = new Random(data.length);
        try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
            int at = 0;
            while (at < data.length) {
                int n = Math.min(data.length - at, 1 + r.nextInt(100_000));
                if (n == 1) {
                    out.writeByte(data[at]);
                } else {
                    out.writeBytes(data, at, n);
                }
                at += n;
            }
        }
    }

    static byte[] read(Directory dir, String name) throws IOException {
        try (IndexInput in = dir.openInput(name, IOContext.READONCE)) {
            byte[] b = new byte[Math.toIntExact(in.length())];
            in.readBytes(b, 0, b.length);
            return b;
        }
    }
}
