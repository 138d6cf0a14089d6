package org.mpool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mpool.common.CheckReport;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectInfo;
import org.mpool.common.PoolStats;
import org.mpool.common.Reaper;

/**
 * The API tester's calls on the pool as a whole: flush, properties, rename, adding the
 * staging class, metadata compaction, check, health, and listings. Those that change what
 * every lane's predictions rest on (the spare percentage, a new media class) run only when
 * the lane is alone; flush, compaction, check and the listings run alongside the others.
 */
final class ApiModelPoolOps {
    private ApiModelPoolOps() {}

    /** Where a pool of this run keeps its staging device, and its mblock size. */
    record Staging(Path path, long sizeBytes, long mblockBytes) {}

    /**
     * {@code pool.flush()}: alone, everything acknowledged is durable after it; alongside other
     * lanes only what this lane acknowledged before it (which the model does not track: it
     * only loses durability it might claim).
     */
    static boolean flush(ApiModelLane l) {
        l.expect.begin("pool.flush()");
        if (l.alone()) {
            l.expect.succeeds("flush", l.pool::flush);
            l.model.flushed();
        } else {
            // Alongside shard compactions other lanes' commits trigger (PoolFlushDuringMetadataCompactionTest).
            l.expect.succeeds("flush", l.pool::flush);
        }
        return true;
    }

    /**
     * The reaper's tunables for this open ({@code setReaperConfig}; the reaper properties are
     * what every open starts from): effective at once. Alone, what is set is what is
     * read back; alongside other lanes (whose maps the reaper then trims) only that it is taken.
     */
    static boolean reaper(ApiModelLane l) {
        Reaper.Config before = l.expect.ok("reaperConfig", l.pool::reaperConfig);
        Reaper.Config next = l.random.nextBoolean()
                ? before.withBudgetBytes((1L << 20) * (1 + l.random.nextInt(1024)))
                : before.withTtl(Duration.ofSeconds(1 + l.random.nextInt(600)));
        l.expect.begin("setReaperConfig(" + next + ")");
        l.expect.succeeds("setReaperConfig", () -> l.pool.setReaperConfig(next));
        if (l.alone()) {
            Reaper.Config now = l.pool.reaperConfig();
            l.expect.check(now.equals(next), () -> "reaperConfig() is " + now + " after setting " + next);
        }
        l.expect.rejectsNull("setReaperConfig(null)", () -> l.pool.setReaperConfig(null));
        return true;
    }

    static boolean compactMetadata(ApiModelLane l) {
        l.expect.begin("compactMetadata()");
        l.expect.succeeds("compactMetadata", l.pool::compactMetadata);
        return true;
    }

    /** check() and health(): nothing the API did may look like damage, even while other lanes work. */
    static boolean check(ApiModelLane l) {
        l.expect.begin("check()");
        CheckReport report = l.expect.ok("check", () -> l.pool.check((done, total) -> 0));
        // Logs other lanes erase or compact meanwhile are read through their handles
        // (ReadOfAnMlogErasedMeanwhileTest).
        l.expect.check(report.problems().isEmpty(), () -> "check() found problems: " + report.problems());
        List<String> health = l.expect.ok("health", l.pool::health);
        l.expect.check(health.isEmpty(), () -> "health() found problems: " + health);
        return true;
    }

    /**
     * The listings, alongside other lanes: this lane's committed objects must be listed (the
     * others' come and go), with the info the model has, and under their owner tags.
     */
    static boolean listings(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.committed);
        l.expect.begin("objects(), objects(owner), stats()" + (o == null ? "" : " with " + o));
        List<ObjectInfo> all = l.expect.ok("objects", l.pool::objects);
        PoolStats s = l.expect.ok("stats", l.pool::stats);
        l.expect.check(s.mblocks() >= 0 && s.mlogs() >= 0 && s.mdcs() >= 0, () -> "stats count below zero: " + s);
        for (PoolStats.ClassStats c : s.classes().values()) {
            l.expect.check(
                    c.usedBytes() >= 0
                            && c.usedBytes() <= c.totalBytes()
                            && c.freeBytes() == c.totalBytes() - c.usedBytes(),
                    () -> "class stats out of bounds: " + c);
        }
        for (int i = 1; i < all.size(); i++) {
            int at = i;
            l.expect.check(
                    all.get(i - 1).id().compareTo(all.get(i).id()) < 0, () -> "objects() out of id order at " + at);
        }
        if (o != null) {
            ObjectInfo info =
                    all.stream().filter(x -> x.id().equals(o.id)).findFirst().orElse(null);
            l.expect.check(info != null, () -> o + " is not in objects()");
            ApiModelCheck.sameInfo(l.expect, l.model, o, info);
            List<ObjectInfo> owned = l.expect.ok("objects(owner)", () -> l.pool.objects(o.owner));
            l.expect.check(owned.contains(info), () -> o + " is not in objects(" + o.owner + ")");
            l.expect.check(
                    owned.stream().allMatch(x -> x.owner() == o.owner),
                    () -> "objects(" + o.owner + ") lists " + owned);
        }
        return true;
    }

    /** A value to set and the form the pool must store and list it in. */
    private record Setting(String value, String stored) {}

    /**
     * Sets a property (alone: a spare percentage changes what fits). A reaper property is in
     * force at once: the reaper's config is then the one the properties give.
     */
    static boolean setProperty(ApiModelLane l, boolean owners) {
        if (!l.alone()) {
            return false;
        }
        List<String> keys = new ArrayList<>(List.of(
                Mpool.PROP_LABEL,
                Mpool.PROP_SPARE,
                Mpool.PROP_SPARE_CAPACITY,
                Mpool.PROP_SPARE_STAGING,
                Mpool.PROP_DISCARD,
                Mpool.PROP_REAPER_BUDGET,
                Mpool.PROP_REAPER_TTL,
                Mpool.PROP_REAPER_PERIOD));
        if (owners) {
            keys.addAll(List.of(Mpool.PROP_UID, Mpool.PROP_GID, Mpool.PROP_MODE));
        }
        String key = l.any(keys);
        Setting setting = switch (key) {
            case Mpool.PROP_LABEL -> {
                String v = l.any(List.of("", "lsm", " padded ", "label-" + l.random.nextInt(1000), "x".repeat(64)));
                yield new Setting(v, v.trim());
            }
            case Mpool.PROP_SPARE -> percent(l, 12);
            case Mpool.PROP_SPARE_CAPACITY, Mpool.PROP_SPARE_STAGING -> percent(l, l.random.nextInt(5) == 0 ? 101 : 12);
            case Mpool.PROP_DISCARD ->
                l.any(List.of(
                        new Setting("on", "on"),
                        new Setting("off", "off"),
                        new Setting(" ON", "on"),
                        new Setting("yes", "on"),
                        new Setting("0", "off")));
            case Mpool.PROP_REAPER_BUDGET -> {
                int n = 1 + l.random.nextInt(100);
                yield switch (l.random.nextInt(3)) {
                    case 0 -> new Setting(n + "%", n + "%");
                    case 1 -> new Setting(n + "m", String.valueOf((long) n << 20));
                    default -> new Setting(n + "G", String.valueOf((long) n << 30));
                };
            }
            case Mpool.PROP_REAPER_TTL ->
                l.any(List.of(
                        new Setting("0", "0"),
                        new Setting("30s", "30s"),
                        new Setting("120s", "2m"),
                        new Setting("1500ms", "1500ms"),
                        new Setting(" 2H ", "2h"),
                        new Setting("1440m", "1d")));
            case Mpool.PROP_REAPER_PERIOD ->
                l.any(List.of(
                        new Setting("50ms", "50ms"),
                        new Setting("1000ms", "1s"),
                        new Setting("5s", "5s"),
                        new Setting("60s", "1m")));
            case Mpool.PROP_UID, Mpool.PROP_GID -> {
                String v = String.valueOf(l.random.nextInt(70000));
                yield new Setting(v, v);
            }
            default -> {
                int mode = l.random.nextInt(0777 + 1);
                yield new Setting(Integer.toOctalString(mode), String.format("%04o", mode));
            }
        };
        l.expect.begin("setProperty(" + key + ", '" + setting.value() + "')");
        l.expect.succeeds("setProperty", () -> l.pool.setProperty(key, setting.value()));
        l.model.setProperty(key, setting.stored());
        if (key.startsWith("reaper.")) {
            Reaper.Config now = l.pool.reaperConfig();
            Reaper.Config want = l.model.persistedReaper();
            l.expect.check(
                    now.equals(want), () -> "reaperConfig() is " + now + " after " + key + "; the model " + want);
        }
        return true;
    }

    /** A percentage below {@code bound}, written as the pool takes it: {@code 7}, {@code 7%}, {@code " 7"}. */
    private static Setting percent(ApiModelLane l, int bound) {
        int pct = l.random.nextInt(bound);
        return new Setting(l.any(List.of(pct + "%", " " + pct, String.valueOf(pct))), String.valueOf(pct));
    }

    static boolean rename(ApiModelLane l) {
        if (!l.alone()) {
            return false;
        }
        String name = l.any(List.of("pool", "p-" + l.random.nextInt(100), "A_b.c-d", "x".repeat(31), "0"));
        l.expect.begin("rename to " + name);
        l.expect.succeeds("rename", () -> l.pool.rename(name));
        l.model.name = name;
        return true;
    }

    /** Adds the staging class (once; later, EXISTS). Alone: allocations in it start to fit. */
    static boolean addStaging(ApiModelLane l, Staging staging) {
        if (!l.alone()) {
            return false;
        }
        boolean has = l.model.hasClass(MediaClass.STAGING);
        l.expect.begin("addStaging(" + staging + ")" + (has ? ", staging there already" : ""));
        if (has) {
            l.expect.fails(
                    "addStaging",
                    () -> l.pool.addStaging(staging.path(), staging.sizeBytes(), staging.mblockBytes(), false),
                    ErrorCode.EXISTS);
            return true;
        }
        l.expect.succeeds(
                "addStaging",
                () -> l.pool.addStaging(staging.path(), staging.sizeBytes(), staging.mblockBytes(), false));
        l.model.addClass(MediaClass.STAGING, staging.sizeBytes() / staging.mblockBytes(), staging.mblockBytes(), 1);
        l.expect.check(
                staging.path()
                        .toAbsolutePath()
                        .equals(l.pool.devicePath(MediaClass.STAGING).toAbsolutePath()),
                () -> "devicePath(STAGING) is " + l.pool.devicePath(MediaClass.STAGING));
        return true;
    }
}
