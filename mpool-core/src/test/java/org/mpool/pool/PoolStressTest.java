package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.testing.Seeds;

/** 16 threads mix every object operation on one pool; afterwards and after reopen, all is consistent. */
class PoolStressTest {
    private static final int THREADS = 16;
    private static final int OPS_PER_THREAD = 150;

    @TempDir
    Path dir;

    @Test
    void sixteenThreadsMixingEverything() throws Exception {
        long seed = Seeds.base("PoolStressTest");
        Path device = dir.resolve("stress.img");
        Map<Long, Byte> live = new ConcurrentHashMap<>(); // mblock id → fill byte; mlogs map to 0
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Mpool pool = Mpool.create(
                "stress", device, new CreateOptions().size(1L << 30).mblockSize(1 << 20))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = new SplittableRandom(Seeds.derive(seed, t));
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment page = AlignedBuffers.allocate(arena, 8192);
                        for (int i = 0; i < OPS_PER_THREAD; i++) {
                            step(pool, live, page, random);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).as("seed %d", seed).isNull();
            check(pool, live, seed);
        }
        try (Mpool pool = Mpool.open(device)) {
            check(pool, live, seed);
        }
    }

    private static void step(Mpool pool, Map<Long, Byte> live, MemorySegment page, SplittableRandom random) {
        int op = random.nextInt(100);
        try {
            if (op < 45) {
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                byte fill = (byte) random.nextInt(256);
                page.fill(fill);
                w.write(page.asSlice(0, 4096 + random.nextInt(4096)));
                if (random.nextInt(8) == 0) {
                    w.abort();
                    return;
                }
                w.commit();
                live.put(w.id().value(), fill);
            } else if (op < 70) {
                Long id = any(live, random);
                if (id != null && new ObjectId(id).type() == ObjectId.Type.MBLOCK) {
                    pool.readMblock(new ObjectId(id), 0, page.asSlice(0, 4096));
                    Byte fill = live.get(id);
                    if (fill != null && page.get(ValueLayout.JAVA_BYTE, 100) != fill) {
                        throw new AssertionError("mblock " + new ObjectId(id) + " read other bytes");
                    }
                }
            } else if (op < 90) {
                Long id = any(live, random);
                if (id != null && live.remove(id) != null) {
                    pool.delete(new ObjectId(id));
                }
            } else {
                ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, 1);
                pool.commit(log, 0);
                try (Mlog m = pool.openMlog(log)) {
                    m.append(new byte[] {(byte) op}, true);
                }
                live.put(log.value(), (byte) 0);
            }
        } catch (MpoolException e) {
            // A read of an object another thread just deleted is fine; anything else is not.
            if (e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.NO_SPACE) {
                throw e;
            }
        }
    }

    private static Long any(Map<Long, Byte> live, SplittableRandom random) {
        Object[] ids = live.keySet().toArray();
        return ids.length == 0 ? null : (Long) ids[random.nextInt(ids.length)];
    }

    private static void check(Mpool pool, Map<Long, Byte> live, long seed) {
        List<ObjectInfo> objects = pool.objects();
        assertThat(objects).as("seed %d: objects", seed).hasSize(live.size());
        long mblocks = objects.stream()
                .filter(o -> o.id().type() == ObjectId.Type.MBLOCK)
                .count();
        assertThat(pool.stats().mblocks()).isEqualTo(mblocks);
        assertThat(pool.stats().mlogs()).isEqualTo(objects.size() - mblocks);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = AlignedBuffers.allocate(arena, 4096);
            for (ObjectInfo o : objects) {
                assertThat(live).as("seed %d: %s is live", seed, o.id()).containsKey(o.id().value());
                if (o.id().type() == ObjectId.Type.MBLOCK) {
                    pool.readMblock(o.id(), 0, page);
                    assertThat(page.get(ValueLayout.JAVA_BYTE, 4000)).isEqualTo(live.get(o.id().value()));
                }
            }
        }
        long usedZones = pool.stats().classes().get(MediaClass.CAPACITY).usedBytes() >> 20;
        assertThat(usedZones).as("zones in use cover the objects").isGreaterThanOrEqualTo(objects.size());
    }
}
