package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.mpool.MblockWriter;
import org.mpool.Mlog;
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
 * A whole-pool workload for the crash explorer, on a pool of two devices that lose power
 * together: a 12 MiB capacity device and a 4 MiB staging device, 1 MiB mblocks, two or three
 * metadata shards. Several clients interleave (drawn from the seed, so every run issues the same
 * writes): mblocks written across other clients' operations, committed singly, in batches or
 * deferred, with owner tags, in both classes ({@link MblockWorkload}); aborts and deletes;
 * mlogs and MDCs with appends, flushes, closes, compactions and erases, and the root MDC
 * ({@link LogWorkload}); pool flushes; label changes and renames; catalog compaction. A crash
 * may garble a superblock write (the two-copy protocol is for media that do not write sectors
 * atomically); other writes are torn at sectors or lost. Recovery must show exactly the
 * acknowledged state — what a deferred commit or an async append left unflushed may be missing,
 * never wrong — and account for every zone: each class's used space is its metadata plus its
 * objects, and no two objects overlap.
 */
final class PoolCrashScenario implements CrashScenario<PoolModel> {
    private static final long CAPACITY_BYTES = 12L << 20;
    private static final long STAGING_BYTES = 4L << 20;
    static final Path STAGING = Path.of("/memory/staging");
    private static final int BLOCK = 4096;

    /** A seed's new pool: the non-zero blocks of each device, and each class's used bytes empty. */
    private record Created(List<Map<Long, byte[]>> blocks, Map<MediaClass, Long> baseUsed) {}

    /**
     * Pool creation draws random UUIDs: each seed's new pool is made once and kept (only its
     * non-zero blocks: a new pool is mostly zeros), so every run of a seed starts alike.
     */
    private static final Map<Long, Created> CREATED = Seeds.recentlyUsed(64);

    @Override
    public Start<PoolModel> start(long seed) {
        Created created = CREATED.computeIfAbsent(seed, PoolCrashScenario::create);
        List<MemoryDevice> devices =
                List.of(new MemoryDevice("capacity", CAPACITY_BYTES), new MemoryDevice("staging", STAGING_BYTES));
        for (int d = 0; d < devices.size(); d++) {
            MemoryDevice media = devices.get(d);
            created.blocks()
                    .get(d)
                    .forEach((off, bytes) ->
                            MemorySegment.copy(bytes, 0, media.region(off, BLOCK), ValueLayout.JAVA_BYTE, 0, BLOCK));
        }
        PoolModel model = new PoolModel();
        model.baseUsed.putAll(created.baseUsed());
        return new Start<>(devices, model);
    }

    private static Created create(long seed) {
        try (MemoryDevice cap = new MemoryDevice("capacity", CAPACITY_BYTES);
                MemoryDevice staging = new MemoryDevice("staging", STAGING_BYTES)) {
            MemoryDevices provider = provider(cap, staging);
            Map<MediaClass, Long> baseUsed = new EnumMap<>(MediaClass.class);
            try (Mpool pool = Mpool.create(
                    "crash",
                    MemoryDevices.DEFAULT_PATH,
                    new CreateOptions()
                            .mblockSize(1 << 20)
                            .shards(2 + (int) Math.floorMod(seed, 2L))
                            .sparePercent(0)
                            .staging(STAGING, STAGING_BYTES, 1 << 20),
                    provider)) {
                pool.stats().classes().forEach((mc, c) -> baseUsed.put(mc, c.usedBytes()));
            }
            return new Created(List.of(nonZeroBlocks(cap), nonZeroBlocks(staging)), baseUsed);
        }
    }

    private static Map<Long, byte[]> nonZeroBlocks(MemoryDevice media) {
        Map<Long, byte[]> nonZero = new HashMap<>();
        for (long off = 0; off < media.sizeBytes(); off += BLOCK) {
            MemorySegment block = media.media().asSlice(off, BLOCK);
            if (block.mismatch(MemorySegment.ofArray(new byte[BLOCK])) >= 0) {
                nonZero.put(off, block.toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return nonZero;
    }

    private static MemoryDevices provider(BlockDevice capacity, BlockDevice staging) {
        return MemoryDevices.serving(capacity).put(STAGING, staging);
    }

    /** Superblock writes may be garbled: the protocol of two copies, each flushed, is for that. */
    @Override
    public boolean mayGarble(int device, long offset) {
        return offset < 2L * BLOCK;
    }

    @Override
    public void run(BlockDevice device, PoolModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        throw new UnsupportedOperationException("a pool with a staging device: run on both devices");
    }

    @Override
    public void run(List<BlockDevice> devices, PoolModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        WriteBehind.inlineOnThisThread(true); // the same device writes in the same order on every run
        try {
            runOps(devices, model, random, cleanup);
        } finally {
            WriteBehind.inlineOnThisThread(false);
        }
    }

    private void runOps(
            List<BlockDevice> devices, PoolModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        Arena arena = Arena.ofShared();
        cleanup.add(arena);
        Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, provider(devices.get(0), devices.get(1)));
        cleanup.add(pool);
        LogWorkload logs = new LogWorkload(pool, model, random, cleanup);
        MblockWorkload mblocks = new MblockWorkload(pool, model, random, arena);
        int ops = 10 + random.nextInt(14);
        for (int i = 0; i < ops; i++) {
            int client = random.nextInt(MblockWorkload.CLIENTS);
            int op = random.nextInt(100);
            if (TRACE) {
                System.out.printf(
                        "  op %d kind %d client %d objects %s maybe %s%n",
                        i, op, client, ids(model.objects.keySet()), ids(model.maybe.keySet()));
            }
            if (op < 14) {
                mblocks.start(client);
            } else if (op < 32) {
                mblocks.finish(client);
            } else if (op < 40) {
                mblocks.commitOne();
            } else if (op < 43) {
                mblocks.abortOne();
            } else if (op < 54) {
                deleteOne(pool, model, logs, random);
            } else if (op < 59) {
                logs.create();
            } else if (op < 71) {
                logs.append();
            } else if (op < 75) {
                logs.flushOrClose();
            } else if (op < 78) {
                pool.flush();
                model.deferred.forEach(id -> model.objects.put(id, model.maybe.remove(id)));
                model.deferred.clear();
                logs.poolFlushed();
            } else if (op < 81) {
                logs.compact();
            } else if (op < 83) {
                logs.erase();
            } else if (op < 89) {
                String label = "label-" + random.nextInt(1000);
                model.labels.add(label);
                pool.setProperty(Mpool.PROP_LABEL, label);
                model.labels.clear();
                model.labels.add(label);
            } else if (op < 94) {
                String name = "crash" + random.nextInt(1000);
                model.names.add(name);
                pool.rename(name);
                model.names.clear();
                model.names.add(name);
            } else {
                pool.compactMetadata();
            }
            // A zone leaked in the running pool would be found again only by its next open:
            // the books must balance after every operation, not only after recovery.
            checkSpace(pool, model, mblocks::pendingZones);
        }
    }

    private static final boolean TRACE = Boolean.getBoolean("mpool.trace");

    private static String ids(Collection<Long> ids) {
        return ids.stream()
                .sorted()
                .map(id -> new ObjectId(id).toString())
                .toList()
                .toString();
    }

    private static void deleteOne(Mpool pool, PoolModel model, LogWorkload logs, SplittableRandom random) {
        if (model.objects.isEmpty()) {
            return;
        }
        Long[] ids = model.objects.keySet().stream().sorted().toArray(Long[]::new);
        long id = ids[random.nextInt(ids.length)];
        logs.closeIfOpen(id);
        byte[] data = model.objects.remove(id);
        model.maybe.put(id, data);
        pool.delete(new ObjectId(id));
        model.maybe.remove(id);
        model.logs.remove(id);
    }

    @Override
    public PoolModel recover(MemoryDevice image, PoolModel model) {
        throw new UnsupportedOperationException("a pool with a staging device: recover from both images");
    }

    @Override
    public PoolModel recover(List<MemoryDevice> images, PoolModel model) {
        PoolModel next = new PoolModel();
        next.everIssued.addAll(model.everIssued);
        next.baseUsed.putAll(model.baseUsed);
        try (MemoryDevice capacity = MemoryDevice.copyOf(images.get(0));
                MemoryDevice staging = MemoryDevice.copyOf(images.get(1));
                Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, provider(capacity, staging));
                Arena arena = Arena.ofConfined()) {
            String label = pool.properties().get(Mpool.PROP_LABEL);
            if (!model.labels.contains(label)) {
                throw new AssertionError(
                        "label '" + label + "' was never acknowledged (expected one of " + model.labels + ")");
            }
            next.labels.clear();
            next.labels.add(label);
            if (!model.names.contains(pool.name())) {
                throw new AssertionError(
                        "name '" + pool.name() + "' was never acknowledged (expected one of " + model.names + ")");
            }
            next.names.clear();
            next.names.add(pool.name());
            for (Map.Entry<Long, byte[]> e : model.objects.entrySet()) {
                if (!exists(pool, e.getKey())) {
                    throw new AssertionError("acknowledged object " + new ObjectId(e.getKey()) + " is missing");
                }
            }
            if (TRACE) {
                System.out.printf(
                        "recover: model objects %s maybe %s; pool has %s%n",
                        ids(model.objects.keySet()),
                        ids(model.maybe.keySet()),
                        pool.objects().stream().map(o -> o.id().toString()).toList());
            }
            long mblocks = 0;
            long mlogs = 0;
            long mdcs = 0;
            for (ObjectInfo o : pool.objects()) {
                long id = o.id().value();
                byte[] expected = model.objects.containsKey(id) ? model.objects.get(id) : model.maybe.get(id);
                if (expected == null) {
                    throw new AssertionError("object " + o.id() + " was never acknowledged nor in flight");
                }
                if (o.owner() != model.owners.get(id)) {
                    throw new AssertionError("object " + o.id() + " has owner " + o.owner() + ", "
                            + model.owners.get(id) + " was committed");
                }
                switch (o.id().type()) {
                    case MBLOCK -> {
                        mblocks++;
                        checkBytes(pool, arena, o, expected);
                    }
                    case MLOG -> mlogs++;
                    case MDC -> mdcs++;
                }
                if (o.id().type() != ObjectId.Type.MBLOCK) {
                    checkRecords(pool, o.id(), model, next);
                }
                next.objects.put(id, expected);
                next.owners.put(id, o.owner());
            }
            checkRecords(pool, null, model, next);
            PoolStats stats = pool.stats();
            if (stats.mblocks() != mblocks || stats.mlogs() != mlogs || stats.mdcs() != mdcs) {
                throw new AssertionError("stats count " + stats.mblocks() + " mblocks, " + stats.mlogs() + " mlogs and "
                        + stats.mdcs() + " MDCs; the catalog lists " + mblocks + ", " + mlogs + " and " + mdcs);
            }
            checkSpace(pool, model, mc -> 0);
            checkNewIdsAreNew(pool, next);
        }
        return next;
    }

    /** The records of an mlog or MDC ({@code id}) or the root MDC (null) are ones the model allows. */
    private static void checkRecords(Mpool pool, ObjectId id, PoolModel model, PoolModel next) {
        long key = id == null ? PoolModel.ROOT : id.value();
        List<byte[]> found;
        try (Mlog.Reader reader = pool.read(id)) {
            found = reader.readAll();
        }
        String wrong = model.logs.get(key).check(found);
        if (wrong != null) {
            throw new AssertionError((id == null ? "the root MDC" : id.toString()) + " " + wrong);
        }
        next.logs.put(key, LogContents.recovered(found));
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

    private static void checkBytes(Mpool pool, Arena arena, ObjectInfo o, byte[] expected) {
        if (o.lengthBytes() != expected.length) {
            throw new AssertionError(
                    "mblock " + o.id() + " has length " + o.lengthBytes() + ", " + expected.length + " were committed");
        }
        MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(expected.length, 4096));
        pool.readMblock(o.id(), 0, buf);
        byte[] read = buf.asSlice(0, expected.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(read, expected)) {
            throw new AssertionError("mblock " + o.id() + " reads back other bytes than were committed");
        }
    }

    /**
     * Every zone is accounted for: each class's used bytes are its metadata's (as the new pool
     * had them) plus its objects' zones and those of mblocks being written ({@code pending}),
     * free is the rest, and no two objects share a zone.
     */
    private static void checkSpace(Mpool pool, PoolModel model, ToLongFunction<MediaClass> pending) {
        PoolStats stats = pool.stats();
        for (Map.Entry<MediaClass, PoolStats.ClassStats> e : stats.classes().entrySet()) {
            MediaClass mc = e.getKey();
            PoolStats.ClassStats c = e.getValue();
            List<ObjectInfo> objects = pool.objects().stream()
                    .filter(o -> o.mediaClass() == mc)
                    .sorted(Comparator.comparingLong(ObjectInfo::offsetBytes))
                    .toList();
            long live = objects.stream().mapToLong(ObjectInfo::capacityBytes).sum()
                    + pending.applyAsLong(mc) * c.mblockSizeBytes();
            long expected = model.baseUsed.get(mc) + live;
            if (c.usedBytes() != expected) {
                throw new AssertionError(mc.label() + " class: " + c.usedBytes() + " bytes used, but its metadata ("
                        + model.baseUsed.get(mc) + "), its " + objects.size() + " objects and "
                        + pending.applyAsLong(mc) + " mblocks being written (" + live + ") make " + expected
                        + ": a zone leaked or was freed twice");
            }
            if (c.freeBytes() != c.totalBytes() - c.usedBytes()) {
                throw new AssertionError(mc.label() + " class: free " + c.freeBytes() + " + used " + c.usedBytes()
                        + " != total " + c.totalBytes());
            }
            for (int i = 1; i < objects.size(); i++) {
                ObjectInfo before = objects.get(i - 1);
                if (before.offsetBytes() + before.capacityBytes()
                        > objects.get(i).offsetBytes()) {
                    throw new AssertionError(
                            "objects " + before.id() + " and " + objects.get(i).id() + " overlap");
                }
            }
        }
    }

    /** New ids after recovery never repeat one handed out before; the new zone is not owned twice. */
    private static void checkNewIdsAreNew(Mpool pool, PoolModel next) {
        MblockWriter w;
        try {
            w = pool.allocateMblock(MediaClass.CAPACITY);
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NO_SPACE) {
                return;
            }
            throw e;
        }
        if (next.everIssued.contains(w.id().value())) {
            throw new AssertionError("id " + w.id() + " was handed out again after recovery");
        }
        w.abort();
    }
}
