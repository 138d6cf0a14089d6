package org.mpool.pool;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.zip.CRC32;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;

/**
 * The workload {@link KillNineTest} kills: commits and deletes mblocks on a file-backed pool
 * forever, printing a line at each step — {@code W id} when a commit starts, {@code C id crc
 * length} when it returned, {@code X id} when a delete starts, {@code D id} when it returned.
 */
public final class KillNineChild {
    private KillNineChild() {}

    public static void main(String[] args) {
        Path device = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(System.out, true);
        try (Mpool pool = Mpool.open(device);
                Arena arena = Arena.ofConfined()) {
            Deque<ObjectInfo> live = new ArrayDeque<>(pool.objects());
            out.println("READY");
            MemorySegment buf = AlignedBuffers.allocate(arena, 64 * 1024);
            while (true) {
                if (live.size() > 150 || (random.nextInt(4) == 0 && !live.isEmpty())) {
                    ObjectInfo victim = live.poll();
                    out.println("X " + victim.id());
                    pool.delete(victim.id());
                    out.println("D " + victim.id());
                    continue;
                }
                int length = 1 + random.nextInt(64 * 1024);
                byte[] data = new byte[length];
                random.nextBytes(data);
                MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(buf.asSlice(0, length));
                out.println("W " + w.id());
                w.commit();
                CRC32 crc = new CRC32();
                crc.update(data);
                out.println("C " + w.id() + " " + crc.getValue() + " " + length);
                live.add(pool.info(w.id()));
            }
        }
    }
}
