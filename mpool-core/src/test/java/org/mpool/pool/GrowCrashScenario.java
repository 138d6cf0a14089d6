package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.PoolStats;
import org.mpool.device.AlignedBuffers;
import org.mpool.log.WriteBehind;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.CrashScenario;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;
import org.mpool.testing.Seeds;

/**
 * Growing a pool, for the crash explorer: a 6 MiB pool of 1 MiB mblocks (one data zone) on a 10 MiB device
 * (a volume grown under it, as by lvextend) commits and deletes mblocks, with {@code discard=on},
 * and grows onto the whole device at a random point of the round (again in a later round if a
 * crash took the grow back). After any crash the pool must open with its old size or its new
 * one — the new one once the grow returned, the old one if it never started — with every
 * acknowledged mblock and its bytes, nothing else, no zone owned twice, MDC-0 recording the size
 * the superblock says once a read-write open ran, and every free zone (the new ones too)
 * usable: filled to NO_SPACE, read back.
 */
final class GrowCrashScenario implements CrashScenario<GrowCrashScenario.Model> {
    static final long ZONE = 1L << 20;
    static final long POOL_BYTES = 6 * ZONE;
    static final long DEVICE_BYTES = 10 * ZONE;
    private static final int BLOCK = 4096;
    /** Pool creation draws random UUIDs: each seed's pool is made once and kept (its non-zero blocks). */
    private static final Map<Long, Map<Long, byte[]>> CREATED = Seeds.recentlyUsed(64);

    /** What the pool must hold; see the class comment. */
    static final class Model {
        /** Committed and not deleted: id → bytes. */
        final Map<Long, byte[]> objects = new HashMap<>();
        /** What a commit or delete in flight may or may not have done: id → bytes. */
        final Map<Long, byte[]> maybe = new HashMap<>();
        /** A grow was called (it may have taken effect). */
        boolean growStarted;
        /** A grow returned: the pool must have its new size. */
        boolean grown;
    }

    @Override
    public Start<Model> start(long seed) {
        Map<Long, byte[]> blocks = CREATED.computeIfAbsent(seed, s -> {
            try (MemoryDevice small = new MemoryDevice("pool", POOL_BYTES)) {
                MemoryDevices devices = MemoryDevices.serving(small);
                try (Mpool pool = Mpool.create(
                        "grow",
                        MemoryDevices.DEFAULT_PATH,
                        new CreateOptions().mblockSize(ZONE).shards(1).sparePercent(0),
                        devices)) {
                    pool.setProperty(Mpool.PROP_DISCARD, "on");
                }
                Map<Long, byte[]> nonZero = new HashMap<>();
                for (long off = 0; off < POOL_BYTES; off += BLOCK) {
                    MemorySegment block = small.media().asSlice(off, BLOCK);
                    if (block.mismatch(MemorySegment.ofArray(new byte[BLOCK])) >= 0) {
                        nonZero.put(off, block.toArray(ValueLayout.JAVA_BYTE));
                    }
                }
                return nonZero;
            }
        });
        // The device is twice the pool: grown under it, as a volume by lvextend.
        MemoryDevice media = new MemoryDevice("pool", DEVICE_BYTES);
        blocks.forEach((off, bytes) ->
                MemorySegment.copy(bytes, 0, media.region(off, BLOCK), ValueLayout.JAVA_BYTE, 0, BLOCK));
        return new Start<>(media, new Model());
    }

    @Override
    public void run(BlockDevice device, Model model, SplittableRandom random, List<AutoCloseable> cleanup) {
        WriteBehind.inlineOnThisThread(true); // the same device writes in the same order on every run
        try {
            Arena arena = Arena.ofShared();
            cleanup.add(arena);
            Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(device));
            cleanup.add(pool);
            int ops = 6 + random.nextInt(10);
            int growAt = random.nextInt(ops);
            for (int i = 0; i < ops; i++) {
                if (i == growAt && !model.grown) {
                    model.growStarted = true;
                    long size = pool.grow(MediaClass.CAPACITY, 0);
                    if (size != DEVICE_BYTES) {
                        throw new AssertionError("grow returned " + size + " bytes, the device has " + DEVICE_BYTES);
                    }
                    model.grown = true;
                } else if (random.nextInt(10) < 6) {
                    commitOne(pool, model, arena, random);
                } else {
                    deleteOne(pool, model, random);
                }
            }
        } finally {
            WriteBehind.inlineOnThisThread(false);
        }
    }

    private static void commitOne(Mpool pool, Model model, Arena arena, SplittableRandom random) {
        MblockWriter w;
        try {
            w = pool.allocateMblock(MediaClass.CAPACITY);
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NO_SPACE) {
                return;
            }
            throw e;
        }
        int length = 1 + random.nextInt(3 * BLOCK);
        byte[] data = new byte[length];
        random.nextBytes(data);
        MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(length, BLOCK));
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
        w.write(buf.asSlice(0, length));
        model.maybe.put(w.id().value(), data);
        w.commit();
        model.objects.put(w.id().value(), model.maybe.remove(w.id().value()));
    }

    private static void deleteOne(Mpool pool, Model model, SplittableRandom random) {
        if (model.objects.isEmpty()) {
            return;
        }
        Long[] ids = model.objects.keySet().stream().sorted().toArray(Long[]::new);
        long id = ids[random.nextInt(ids.length)];
        model.maybe.put(id, model.objects.remove(id));
        pool.delete(new ObjectId(id));
        model.maybe.remove(id);
    }

    @Override
    public Model recover(MemoryDevice image, Model model) {
        Model next = new Model();
        try (MemoryDevice copy = MemoryDevice.copyOf(image)) {
            MemoryDevices devices = MemoryDevices.serving(copy);
            long total;
            try (Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, devices);
                    Arena arena = Arena.ofConfined()) {
                PoolStats.ClassStats stats = pool.stats().classes().get(MediaClass.CAPACITY);
                total = stats.totalBytes();
                if (total != POOL_BYTES && total != DEVICE_BYTES) {
                    throw new AssertionError("the pool has " + total + " bytes: neither its old size nor its new one");
                }
                if (model.grown && total != DEVICE_BYTES) {
                    throw new AssertionError("a grow returned, yet the pool has its old size");
                }
                if (!model.growStarted && total != POOL_BYTES) {
                    throw new AssertionError("the pool grew without a grow");
                }
                checkObjects(pool, arena, model, next);
                fillFreeZones(pool, arena, stats);
            }
            checkRecorded(devices, total);
            next.grown = total == DEVICE_BYTES;
            next.growStarted = next.grown;
        }
        return next;
    }

    /** Every acknowledged mblock with its bytes, nothing unknown, no zone twice or past the end. */
    private static void checkObjects(Mpool pool, Arena arena, Model model, Model next) {
        for (long id : model.objects.keySet()) {
            try {
                pool.info(new ObjectId(id));
            } catch (MpoolException e) {
                throw new AssertionError("acknowledged mblock " + new ObjectId(id) + " is missing: " + e.getMessage());
            }
        }
        Set<Long> offsets = new HashSet<>();
        long total = pool.stats().classes().get(MediaClass.CAPACITY).totalBytes();
        for (ObjectInfo o : pool.objects()) {
            long id = o.id().value();
            byte[] expected = model.objects.containsKey(id) ? model.objects.get(id) : model.maybe.get(id);
            if (expected == null) {
                throw new AssertionError("mblock " + o.id() + " was never acknowledged nor in flight");
            }
            if (!offsets.add(o.offsetBytes()) || o.offsetBytes() + o.capacityBytes() > total) {
                throw new AssertionError("mblock " + o.id() + " at offset " + o.offsetBytes()
                        + " shares its zone or lies past the pool's end (" + total + " bytes)");
            }
            MemorySegment read = pool.readMblock(o.id(), arena);
            if (!Arrays.equals(read.toArray(ValueLayout.JAVA_BYTE), expected)) {
                throw new AssertionError("mblock " + o.id() + " reads back other bytes than were committed");
            }
            next.objects.put(id, expected);
        }
    }

    /**
     * Every free zone can take an mblock (the grown ones too): allocation goes on until
     * NO_SPACE after exactly the free zones; each reads back; a grown pool uses its new zones.
     */
    private static void fillFreeZones(Mpool pool, Arena arena, PoolStats.ClassStats stats) {
        long free = stats.freeBytes() / ZONE;
        List<ObjectId> filled = new ArrayList<>();
        MemorySegment page = AlignedBuffers.allocate(arena, BLOCK);
        while (true) {
            MblockWriter w;
            try {
                w = pool.allocateMblock(MediaClass.CAPACITY);
            } catch (MpoolException e) {
                if (e.code() == ErrorCode.NO_SPACE) {
                    break;
                }
                throw e;
            }
            page.fill((byte) filled.size());
            w.write(page);
            w.commit();
            filled.add(w.id());
        }
        if (filled.size() != free) {
            throw new AssertionError(free + " zones were free, " + filled.size() + " took an mblock");
        }
        if (stats.totalBytes() == DEVICE_BYTES) {
            Set<Long> occupied = new HashSet<>();
            pool.objects().forEach(o -> occupied.add(o.offsetBytes()));
            for (long off = POOL_BYTES; off < DEVICE_BYTES; off += ZONE) {
                if (!occupied.contains(off)) {
                    throw new AssertionError("grown zone at " + off + " took no mblock though the pool is full");
                }
            }
        }
        for (int i = 0; i < filled.size(); i++) {
            MemorySegment read = pool.readMblock(filled.get(i), arena);
            if (read.byteSize() != BLOCK || read.get(ValueLayout.JAVA_BYTE, BLOCK - 1) != (byte) i) {
                throw new AssertionError("mblock " + filled.get(i) + " in a free zone reads back wrong");
            }
        }
    }

    /** After a read-write open MDC-0 records the size the superblock says (a grow cut short was recorded). */
    private static void checkRecorded(MemoryDevices devices, long total) {
        try (Pool pool = PoolOpener.open(MemoryDevices.DEFAULT_PATH, devices, true)) {
            long recorded =
                    pool.config().mediaClasses().get(MediaClass.CAPACITY).zoneCount();
            if (recorded * ZONE != total) {
                throw new AssertionError(
                        "MDC-0 records " + recorded + " zones after a read-write open; the pool has " + total / ZONE);
            }
            if (pool.recovery().stream().anyMatch(f -> f.what() == RecoveryCase.GROWN_DEVICE_RECORDED)) {
                throw new AssertionError("a second open still finds the grow unrecorded");
            }
        }
    }
}
