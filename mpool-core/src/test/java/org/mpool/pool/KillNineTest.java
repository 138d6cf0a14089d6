package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.testing.Seeds;

/**
 * Real process crashes: a child JVM commits and deletes mblocks on a file-backed pool and
 * reports every acknowledgement; it is killed with SIGKILL at random moments, the pool is
 * reopened and everything acknowledged is verified — 20 times on the same pool.
 */
class KillNineTest {
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgementSurvivesKillNine() throws Exception {
        long seed = Seeds.base("KillNineTest");
        Random random = new Random(seed);
        Path device = dir.resolve("pool.img");
        Mpool.create(
                        "kill9",
                        device,
                        new CreateOptions().size(512L << 20).mblockSize(1 << 20).shards(2))
                .close();
        Map<Long, long[]> committed = new HashMap<>(); // id → crc, length
        Set<Long> deleted = new HashSet<>();
        for (int kill = 0; kill < KILLS; kill++) {
            String where = "seed " + seed + ", kill " + kill;
            Process child = new ProcessBuilder(javaCommand(device, random.nextLong()))
                    .redirectErrorStream(true)
                    .start();
            Long inFlight = null;
            Long deleting = null;
            int acks = 0;
            int killAfter = 1 + random.nextInt(60);
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "READY" -> {}
                        case "W" -> inFlight = ObjectId.parse(f[1]).value();
                        case "X" -> deleting = ObjectId.parse(f[1]).value();
                        case "C" -> {
                            long id = ObjectId.parse(f[1]).value();
                            committed.put(id, new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                            inFlight = null;
                            acks++;
                        }
                        case "D" -> {
                            long id = ObjectId.parse(f[1]).value();
                            committed.remove(id);
                            deleted.add(id);
                            deleting = null;
                            acks++;
                        }
                        default -> throw new AssertionError(where + ": the child failed: " + line);
                    }
                    if (acks == killAfter) {
                        // SIGKILL, mid-operation. Keep reading: lines the child wrote before it
                        // died are acknowledgements too.
                        child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroy, keeps the pipe open
                    }
                }
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(where).isTrue();
            verify(device, committed, deleted, inFlight, deleting, where);
        }
    }

    private static List<String> javaCommand(Path device, long childSeed) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                KillNineChild.class.getName(),
                device.toString(),
                Long.toString(childSeed));
    }

    /** Everything acknowledged is there with its bytes; deletes are gone; nothing else appeared. */
    private static void verify(
            Path device, Map<Long, long[]> committed, Set<Long> deleted, Long inFlight, Long deleting, String where) {
        try (Mpool pool = Mpool.open(device);
                Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, 64 * 1024);
            if (deleting != null && !exists(pool, deleting)) {
                committed.remove(deleting); // the delete in flight completed
                deleted.add(deleting);
            }
            for (Map.Entry<Long, long[]> e : committed.entrySet()) {
                ObjectId id = new ObjectId(e.getKey());
                ObjectInfo info = pool.info(id);
                assertThat(info.lengthBytes()).as("%s: length of %s", where, id).isEqualTo(e.getValue()[1]);
                int length = (int) info.lengthBytes();
                pool.readMblock(id, 0, buf.asSlice(0, AlignedBuffers.alignUp(length, 4096)));
                CRC32 crc = new CRC32();
                crc.update(buf.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
                assertThat(crc.getValue()).as("%s: bytes of %s", where, id).isEqualTo(e.getValue()[0]);
            }
            for (long id : deleted) {
                try {
                    pool.info(new ObjectId(id));
                    throw new AssertionError(where + ": deleted object " + new ObjectId(id) + " is back");
                } catch (MpoolException e) {
                    assertThat(e.code()).as(where).isEqualTo(ErrorCode.NOT_FOUND);
                }
            }
            for (ObjectInfo o : pool.objects()) {
                long id = o.id().value();
                boolean known = committed.containsKey(id) || (inFlight != null && inFlight == id);
                assertThat(known)
                        .as("%s: object %s was never acknowledged nor in flight", where, o.id())
                        .isTrue();
                if (!committed.containsKey(id)) {
                    committed.put(id, crcOf(pool, o, buf)); // the commit in flight completed: it is now durable
                }
            }
        }
    }

    private static boolean exists(Mpool pool, long id) {
        try {
            pool.info(new ObjectId(id));
            return true;
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static long[] crcOf(Mpool pool, ObjectInfo o, MemorySegment buf) {
        int length = (int) o.lengthBytes();
        pool.readMblock(o.id(), 0, buf.asSlice(0, AlignedBuffers.alignUp(length, 4096)));
        CRC32 crc = new CRC32();
        crc.update(buf.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        return new long[] {crc.getValue(), length};
    }
}
