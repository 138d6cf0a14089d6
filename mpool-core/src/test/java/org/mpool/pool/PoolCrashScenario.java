package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * A whole-pool workload for the crash explorer: allocate, write (partial last pages too),
 * commit (single, batched and deferred, with owner tags), abort, delete, mlogs and MDCs with
 * appends, flushes, closes, compactions and erases (see {@link LogWorkload}), root MDC appends,
 * pool flushes, label changes and metadata compaction on an 8 MiB pool of 1 MiB mblocks.
 * Recovery must show exactly the acknowledged state: what a deferred commit or an async
 * append left unflushed may be missing, never wrong.
 */
final class PoolCrashScenario implements CrashScenario<PoolModel> {
    private static final long DEVICE_BYTES = 8L << 20;
    private static final int BLOCK = 4096;
    /**
     * Pool creation draws random UUIDs: each seed's new pool is made once and kept (only its
     * non-zero blocks: a new pool is mostly zeros), so every run of a seed starts alike.
     */
    private static final Map<Long, Map<Long, byte[]>> CREATED = new ConcurrentHashMap<>();

    @Override
    public Start<PoolModel> start(long seed) {
        Map<Long, byte[]> blocks = CREATED.computeIfAbsent(seed, s -> {
            try (MemoryDevice media = new MemoryDevice("pool", DEVICE_BYTES)) {
                Mpool.create(
                                "crash",
                                MemoryDevices.DEFAULT_PATH,
                                new CreateOptions()
                                        .mblockSize(1 << 20)
                                        .shards(1)
                                        .sparePercent(0),
                                MemoryDevices.serving(media))
                        .close();
                Map<Long, byte[]> nonZero = new HashMap<>();
                for (long off = 0; off < DEVICE_BYTES; off += BLOCK) {
                    MemorySegment block = media.media().asSlice(off, BLOCK);
                    if (block.mismatch(MemorySegment.ofArray(new byte[BLOCK])) >= 0) {
                        nonZero.put(off, block.toArray(ValueLayout.JAVA_BYTE));
                    }
                }
                return nonZero;
            }
        });
        MemoryDevice media = new MemoryDevice("pool", DEVICE_BYTES);
        blocks.forEach((off, bytes) -> MemorySegment.copy(bytes, 0, media.media(), ValueLayout.JAVA_BYTE, off, BLOCK));
        return new Start<>(media, new PoolModel());
    }

    @Override
    public void run(BlockDevice device, PoolModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        WriteBehind.inlineOnThisThread(true); // the same device writes in the same order on every run
        try {
            runOps(device, model, random, cleanup);
        } finally {
            WriteBehind.inlineOnThisThread(false);
        }
    }

    private void runOps(BlockDevice device, PoolModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        Arena arena = Arena.ofShared();
        cleanup.add(arena);
        Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(device));
        cleanup.add(pool);
        LogWorkload logs = new LogWorkload(pool, model, random, cleanup);
        int ops = 8 + random.nextInt(12);
        for (int i = 0; i < ops; i++) {
            int op = random.nextInt(100);
            if (TRACE) {
                System.out.printf(
                        "  op %d kind %d objects %s maybe %s%n",
                        i, op, ids(model.objects.keySet()), ids(model.maybe.keySet()));
            }
            if (op < 30) {
                commitOne(pool, model, arena, random);
            } else if (op < 37) {
                commitBatch(pool, model, arena, random);
            } else if (op < 42) {
                MblockWriter w = allocate(pool, model, random);
                if (w != null) {
                    w.abort();
                }
            } else if (op < 54) {
                deleteOne(pool, model, logs, random);
            } else if (op < 60) {
                logs.create();
            } else if (op < 74) {
                logs.append();
            } else if (op < 78) {
                logs.flushOrClose();
            } else if (op < 81) {
                pool.flush();
                model.deferred.forEach(id -> model.objects.put(id, model.maybe.remove(id)));
                model.deferred.clear();
                logs.poolFlushed();
            } else if (op < 84) {
                logs.compact();
            } else if (op < 86) {
                logs.erase();
            } else if (op < 93) {
                String label = "label-" + random.nextInt(1000);
                model.labels.add(label);
                pool.setProperty(Mpool.PROP_LABEL, label);
                model.labels.clear();
                model.labels.add(label);
            } else {
                pool.compactMetadata();
            }
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

    /** A new mblock writer with an owner tag (0 a quarter of the time), or null when the pool is full. */
    private static MblockWriter allocate(Mpool pool, PoolModel model, SplittableRandom random) {
        try {
            MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
            model.everIssued.add(w.id().value());
            long owner = random.nextInt(4) == 0 ? 0 : random.nextLong(1, Long.MAX_VALUE);
            w.owner(owner);
            model.owners.put(w.id().value(), owner);
            return w;
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NO_SPACE) {
                return null;
            }
            throw e;
        }
    }

    private static byte[] write(MblockWriter w, Arena arena, SplittableRandom random) {
        int length = random.nextInt(3) == 0 ? 4096 * (1 + random.nextInt(8)) : 1 + random.nextInt(20_000);
        byte[] data = new byte[length];
        random.nextBytes(data);
        MemorySegment buf = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(length, 4096));
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
        long whole = AlignedBuffers.alignDown(length, 4096);
        if (whole > 0 && whole < length) {
            w.write(buf.asSlice(0, whole), buf.asSlice(whole, length - whole)); // scatter/gather
        } else {
            w.write(buf.asSlice(0, length));
        }
        return data;
    }

    private static void commitOne(Mpool pool, PoolModel model, Arena arena, SplittableRandom random) {
        MblockWriter w = allocate(pool, model, random);
        if (w == null) {
            return;
        }
        byte[] data = write(w, arena, random);
        model.maybe.put(w.id().value(), data);
        if (random.nextInt(4) == 0) {
            w.commitDeferred(); // may or may not survive a crash until a pool flush returns
            model.deferred.add(w.id().value());
            return;
        }
        w.commit();
        model.maybe.remove(w.id().value());
        model.objects.put(w.id().value(), data);
    }

    private static void commitBatch(Mpool pool, PoolModel model, Arena arena, SplittableRandom random) {
        List<MblockWriter> writers = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0, n = 2 + random.nextInt(2); i < n; i++) {
            MblockWriter w = allocate(pool, model, random);
            if (w == null) {
                break;
            }
            writers.add(w);
            datas.add(write(w, arena, random));
        }
        for (int i = 0; i < writers.size(); i++) {
            model.maybe.put(writers.get(i).id().value(), datas.get(i));
        }
        pool.commit(writers);
        for (int i = 0; i < writers.size(); i++) {
            model.maybe.remove(writers.get(i).id().value());
            model.objects.put(writers.get(i).id().value(), datas.get(i));
        }
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
        PoolModel next = new PoolModel();
        next.everIssued.addAll(model.everIssued);
        try (MemoryDevice copy = MemoryDevice.copyOf(image);
                Mpool pool = Mpool.open(MemoryDevices.DEFAULT_PATH, MemoryDevices.serving(copy));
                Arena arena = Arena.ofConfined()) {
            String label = pool.properties().get(Mpool.PROP_LABEL);
            if (!model.labels.contains(label)) {
                throw new AssertionError(
                        "label '" + label + "' was never acknowledged (expected one of " + model.labels + ")");
            }
            next.labels.clear();
            next.labels.add(label);
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
