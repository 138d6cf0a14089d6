package org.mpool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.PoolStats;
import org.mpool.common.Reaper;
import org.mpool.common.Reaper.Advice;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.Seeds;

/**
 * One run of the API tester: a pool made from the seed, then phases until the budget of
 * operations is spent. A phase runs one to four lanes, each on its own thread, over disjoint
 * objects (and, with several, what {@link ApiModelShared} shares); when they have all ended
 * the pool is compared with the model. Between phases the pool may be closed and opened again,
 * opened read-only (where every change is PERMISSION), or its durable image opened as a power
 * loss would leave it — each compared with the model too.
 */
final class ApiModelRun {
    /** A lane that runs this long is stuck (a hang is a bug, reported with the lanes' stacks). */
    private static final long LANE_TIMEOUT_SECONDS = 120;

    private static final long MIB = 1 << 20;

    private final long seed;
    private final ApiModelPools env;
    private final SplittableRandom random;
    private final ApiModelExpect.Journal journal = new ApiModelExpect.Journal();
    private final ApiModelExpect main;
    private final List<ApiModelOps.Op> table;
    private ApiModel model;
    private Mpool pool;

    /** Counts of what the run did, printed at its end: a run that never reached a case tests nothing there. */
    private final Map<String, Integer> tally = new TreeMap<>();

    ApiModelRun(long seed, ApiModelPools env) {
        this.seed = seed;
        this.env = env;
        this.random = new SplittableRandom(seed);
        this.main = new ApiModelExpect(seed, "main thread", journal);
        this.table = ApiModelOps.table(env.staging(), env.anyOwner());
    }

    /** Runs phases until {@code budget} operations are done; returns how many were. */
    long run(long budget, long capacityBytes) {
        create(capacityBytes);
        long done = 0;
        int phase = 0;
        try {
            while (done < budget) {
                phase++;
                int lanes = random.nextInt(5) < 2 ? 1 : 2 + random.nextInt(3);
                int ops = 20 + random.nextInt(100);
                runPhase(phase, lanes, ops);
                done += (long) lanes * ops;
                ApiModelCheck.live(main, pool, model);
                between(phase);
            }
            reopen();
            main.succeeds("close", pool::close);
            probeAndDestroy();
            pool = null;
            tally.merge("phases", phase, Integer::sum);
            System.out.println("ApiModelTest: " + Seeds.describe(seed) + ": " + done + " operations; " + tally
                    + "\n  operations and error codes: " + journal.tally());
            return done;
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    private void create(long capacityBytes) {
        int shards = 1 + random.nextInt(4);
        int spare = random.nextInt(8);
        CreateOptions options = new CreateOptions()
                .size(capacityBytes)
                .mblockSize(MIB)
                .shards(shards)
                .sparePercent(spare);
        main.begin("create a pool of " + capacityBytes + " bytes, " + shards + " shards, " + spare + "% spare");
        pool = main.ok("create", () -> env.create("apimodel", options));
        PoolStats stats = pool.stats();
        PoolStats.ClassStats c = stats.classes().get(MediaClass.CAPACITY);
        model = new ApiModel("apimodel", shards, MIB, random.nextInt(ApiModel.HOMES));
        model.addClass(MediaClass.CAPACITY, c.totalBytes() / MIB, MIB, c.usedBytes() / MIB);
        Map<String, String> p = new TreeMap<>(pool.properties());
        for (String key : List.of(Mpool.PROP_UID, Mpool.PROP_GID, Mpool.PROP_MODE)) {
            model.properties.put(key, p.get(key));
        }
        // What a new pool lists: the spare it was made with for every class, discard off, the
        // reaper's defaults.
        model.properties.put(Mpool.PROP_LABEL, "");
        model.setProperty(Mpool.PROP_SPARE, String.valueOf(spare));
        model.properties.put(Mpool.PROP_DISCARD, "off");
        model.properties.put(Mpool.PROP_REAPER_BUDGET, Reaper.Config.DEFAULT_BUDGET_PERCENT + "%");
        model.properties.put(Mpool.PROP_REAPER_TTL, "10m");
        model.properties.put(Mpool.PROP_REAPER_PERIOD, "1s");
        main.check(
                model.persistedReaper().equals(Reaper.Config.defaults()),
                () -> "the model's reaper defaults " + model.persistedReaper() + ", the pool's "
                        + Reaper.Config.defaults());
        main.begin("create again: a bad name, bad options, over the pool without force");
        main.fails("create", () -> env.create("-bad", options), ErrorCode.INVALID_ARGUMENT);
        CreateOptions badMblocks = new CreateOptions().size(capacityBytes).mblockSize(3 * MIB);
        main.fails("create", () -> env.create("other", badMblocks), ErrorCode.INVALID_ARGUMENT);
        CreateOptions badShards =
                new CreateOptions().size(capacityBytes).mblockSize(MIB).shards(0);
        main.fails("create", () -> env.create("other", badShards), ErrorCode.INVALID_ARGUMENT);
        main.fails("create", () -> env.create("other", options), ErrorCode.EXISTS, ErrorCode.LOCKED);
        ApiModelCheck.live(main, pool, model);
    }

    /** Runs {@code lanes} lanes of {@code ops} operations each, on threads, and waits for them. */
    private void runPhase(int phase, int lanes, int ops) {
        main.begin("phase " + phase + ": " + lanes + " lanes of " + ops + " operations");
        ApiModelShared shared = lanes > 1 ? ApiModelShared.start(main, pool, model, random) : null;
        ApiModelContended contended = lanes > 1 ? ApiModelContended.start(model, random) : null;
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<ApiModelExpect> expects = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            ApiModelExpect expect =
                    new ApiModelExpect(seed, "phase " + phase + " lane " + lane + " of " + lanes, journal);
            ApiModelLane l = new ApiModelLane(
                    model,
                    pool,
                    lane,
                    lanes,
                    new SplittableRandom(Seeds.derive(seed, phase * 16L + lane)),
                    expect,
                    env.mappable(),
                    shared,
                    contended);
            expects.add(expect);
            Thread t = new Thread(
                    () -> {
                        try {
                            ApiModelOps.run(l, table, ops, stop::get);
                        } catch (Throwable e) {
                            failures.add(e);
                            stop.set(true);
                        }
                    },
                    "apimodel-phase" + phase + "-lane" + lane);
            t.setDaemon(true); // a lane stuck in the pool must not keep the JVM alive
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LANE_TIMEOUT_SECONDS);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the lanes", e);
            }
        }
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            if (t.isAlive()) {
                StringBuilder b = new StringBuilder(t.getName() + " is stuck:");
                for (StackTraceElement s : t.getStackTrace()) {
                    b.append("\n      at ").append(s);
                }
                stuck.add(b.toString());
                expects.get(i).begin("(stuck)");
            }
        }
        if (!stuck.isEmpty()) {
            pool = null; // do not close: it would wait for the stuck lanes
            throw expects.get(threads.indexOf(
                            threads.stream().filter(Thread::isAlive).findFirst().orElseThrow()))
                    .fail(
                            "a call did not return in " + LANE_TIMEOUT_SECONDS + " s:\n    "
                                    + String.join("\n    ", stuck),
                            null);
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.get(0).getMessage(), failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            try { // the pool at rest after the failure tells a transient fault from a lasting one
                if (shared != null) {
                    shared.finish(main);
                }
                if (contended != null) {
                    contended.finish(main, model, pool);
                }
                ApiModelCheck.live(main, pool, model);
                e.addSuppressed(new AssertionError("after the lanes stopped, the pool agreed with the model"));
            } catch (Throwable after) {
                e.addSuppressed(after);
            }
            throw e;
        }
        if (shared != null) {
            shared.finish(main);
        }
        if (contended != null) {
            contended.finish(main, model, pool);
        }
        tally.merge(lanes == 1 ? "phases alone" : "phases of " + lanes + " lanes", 1, Integer::sum);
    }

    /** Between phases: go on, reopen, open read-only, or recover the durable image of a power loss. */
    private void between(int phase) {
        int pick = random.nextInt(20);
        if (pick < 5) {
            reopen();
        } else if (pick < 7) {
            readOnly();
        } else if (pick < 10) {
            crash(phase);
        }
    }

    private void reopen() {
        main.begin("close the pool and open it again");
        Mpool old = pool;
        main.succeeds("close", old::close);
        model.closed();
        model.retire(old);
        pool = main.ok("open", env::open);
        ApiModelCheck.live(main, pool, model);
        Reaper.Config reaper = pool.reaperConfig();
        Reaper.Config persisted = model.persistedReaper();
        main.check(
                reaper.equals(persisted),
                () -> "a reopened pool's reaper config is " + reaper + ", its properties say " + persisted);
        tally.merge("reopens", 1, Integer::sum);
    }

    /**
     * After the last close: what probe and scan read of the device, then destroy, after which
     * the device holds no pool (files only: probe reads through the native device).
     */
    private void probeAndDestroy() {
        Path path = env.probePath();
        if (path == null) {
            return;
        }
        main.begin("probe, scan and destroy the pool on " + path);
        ApiModel.ClassModel c = model.classModel(MediaClass.CAPACITY);
        BlockDevice.Label label = main.ok("probe", () -> Mpool.probe(path)).orElse(null);
        main.check(
                label != null
                        && label.poolName().equals(model.name)
                        && label.mediaClass() == MediaClass.CAPACITY
                        && label.cleanlyClosed()
                        && label.mblockSizeBytes() == c.zoneBytes
                        && label.zoneCount() == c.zoneCount,
                () -> "probe of the closed pool: " + label);
        List<BlockDevice.Label> scanned = main.ok("scan", () -> Mpool.scan(List.of(path)));
        main.check(
                scanned.stream().anyMatch(x -> x.poolUuid().equals(label.poolUuid())),
                () -> "scan does not list the pool: " + scanned);
        Mpool last = main.ok("open", env::open);
        main.check(last.uuid().equals(label.poolUuid()), () -> "probe's uuid is not the pool's");
        main.succeeds("destroy", last::destroy);
        main.fails("stats of a destroyed pool", last::stats, ErrorCode.INVALID_STATE);
        main.check(main.ok("probe", () -> Mpool.probe(path)).isEmpty(), () -> "a destroyed pool still probes");
        main.fails("open a destroyed pool", env::open, ErrorCode.NOT_FOUND);
        tally.merge("destroys", 1, Integer::sum);
    }

    /** Closes the pool, opens it read-only (reads work, every change is PERMISSION), then read-write again. */
    private void readOnly() {
        main.begin("close the pool and open it read-only");
        main.succeeds("close", pool::close);
        model.closed();
        model.retire(pool);
        pool = main.ok("openReadOnly", env::openReadOnly);
        main.check(pool.readOnly(), () -> "openReadOnly gave a writable pool");
        ApiModelCheck.live(main, pool, model);
        refusesChanges(pool);
        main.succeeds("close", pool::close);
        model.retire(pool);
        pool = main.ok("open", env::open);
        ApiModelCheck.live(main, pool, model);
        tally.merge("read-only opens", 1, Integer::sum);
    }

    private void refusesChanges(Mpool ro) {
        ErrorCode no = ErrorCode.PERMISSION;
        ApiModel.Obj mblock = model.committed().stream()
                .filter(o -> o.type == ObjectId.Type.MBLOCK)
                .findFirst()
                .orElse(null);
        ApiModel.Obj mlog = model.committed().stream()
                .filter(o -> o.type == ObjectId.Type.MLOG)
                .findFirst()
                .orElse(null);
        ApiModel.Obj mdc = model.committed().stream()
                .filter(o -> o.type == ObjectId.Type.MDC)
                .findFirst()
                .orElse(null);
        main.begin("changes to a read-only pool");
        main.fails("allocateMblock", () -> ro.allocateMblock(MediaClass.CAPACITY, true), no);
        main.fails("allocateMlog", () -> ro.allocateMlog(MediaClass.CAPACITY, 1), no);
        main.fails("allocateMdc", () -> ro.allocateMdc(MediaClass.CAPACITY, 1), no);
        main.fails("commit(List)", () -> ro.commit(List.of()), no);
        main.fails("rootMdc", ro::rootMdc, no);
        main.fails("flush", ro::flush, no);
        main.fails("compactMetadata", ro::compactMetadata, no);
        main.fails("setProperty", () -> ro.setProperty(Mpool.PROP_LABEL, "ro"), no);
        main.fails("rename", () -> ro.rename("ro"), no);
        ApiModelPoolOps.Staging s = env.staging();
        main.fails(
                "addStaging",
                () -> ro.addStaging(s.path(), s.sizeBytes(), s.mblockBytes(), false),
                no,
                ErrorCode.EXISTS);
        if (mblock != null) {
            main.fails("delete", () -> ro.delete(mblock.id), no);
            if (env.mappable()) {
                main.succeeds("map read-only", () -> {
                    try (Mcache map = ro.map(List.of(mblock.id), Advice.COLD)) {
                        ApiModelMaps.sameMap(main, model, new ApiModel.MapModel(map, List.of(mblock.id), -1));
                    }
                });
            }
        }
        if (mlog != null) {
            main.fails("openMlog", () -> ro.openMlog(mlog.id), no);
            main.fails("commit(id, owner)", () -> ro.commit(mlog.id, 1), no);
            main.fails("abort(id)", () -> ro.abort(mlog.id), no);
        }
        if (mdc != null) {
            main.fails("openMdc", () -> ro.openMdc(mdc.id), no);
        }
        ApiModelCheck.live(main, ro, model);
    }

    /** Opens what a power loss now would leave (on a copy), compares it, and goes on with the live pool. */
    private void crash(int phase) {
        main.begin("recover the durable image of the pool after phase " + phase);
        Mpool recovered = main.ok("open the durable image", env::crashImage);
        if (recovered == null) {
            return;
        }
        try {
            ApiModelCheck.crashed(main, recovered, model);
        } finally {
            recovered.close();
        }
        tally.merge("power losses", 1, Integer::sum);
    }
}
