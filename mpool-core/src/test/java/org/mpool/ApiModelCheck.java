package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mpool.common.CheckReport;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.common.PoolStats;

/**
 * Compares a pool with the model at a quiescent point (no call running): every listing
 * ({@code objects()}, {@code objects(owner)}, {@code info}), the stats (counts per type, zones
 * used per media class: a leaked or doubly freed zone shows here), the properties, and what
 * every object holds. {@link #live} expects exactly the model; {@link #crashed} the model's
 * durable part at least and its acknowledged part at most, as recovery from a power loss
 * must give.
 */
final class ApiModelCheck {
    private ApiModelCheck() {}

    /** The pool as the model says, exactly: at a quiescent point, after a reopen, or read-only. */
    static void live(ApiModelExpect e, Mpool pool, ApiModel model) {
        e.begin("compare the pool with the model");
        List<ApiModel.Obj> committed = model.committed();
        List<ObjectInfo> listed = e.ok("objects", pool::objects);
        e.check(
                ids(listed).equals(committed.stream().map(o -> o.id).toList()),
                () -> "objects() lists "
                        + diff(ids(listed), committed.stream().map(o -> o.id).toList()));
        for (int i = 0; i < listed.size(); i++) {
            ApiModel.Obj o = committed.get(i);
            sameInfo(e, model, o, listed.get(i));
            ObjectInfo inListing = listed.get(i);
            ObjectInfo info = e.ok("info", () -> pool.info(o.id));
            e.check(info.equals(inListing), () -> "info " + info + " differs from the listing's " + inListing);
        }
        for (ApiModel.Obj o : model.select(x -> !x.committed)) {
            e.fails("info of the uncommitted " + o, () -> pool.info(o.id), ErrorCode.INVALID_STATE);
        }
        owners(e, pool, committed);
        stats(e, pool, model, committed);
        properties(e, pool, model);
        for (ApiModel.Obj o : committed) {
            contents(e, pool, o);
        }
        contents(e, pool, model.root);
        for (ApiModel.MapModel m : model.maps) {
            ApiModelMaps.sameMap(e, model, m);
        }
        CheckReport report = e.ok("check", () -> pool.check((done, total) -> 0));
        e.check(report.healthy(), () -> "check() found problems: " + report.problems());
        e.check(
                report.objectsChecked() == committed.size(),
                () -> "check() checked " + report.objectsChecked() + " objects of " + committed.size());
        List<String> health = e.ok("health", pool::health);
        e.check(health.isEmpty(), () -> "health() found problems: " + health);
    }

    static void sameInfo(ApiModelExpect e, ApiModel model, ApiModel.Obj o, ObjectInfo info) {
        ApiModel.ClassModel c = model.classModel(o.mediaClass);
        long length = switch (o.type) {
            case MBLOCK -> o.bytes.length;
            case MLOG, MDC -> o.logBytes;
        };
        long capacity = o.zones * c.zoneBytes; // what it occupies: whole zones, the page checksums among them
        e.check(
                info.id().equals(o.id)
                        && info.mediaClass() == o.mediaClass
                        && info.lengthBytes() == length
                        && info.capacityBytes() == capacity
                        && info.owner() == o.owner,
                () -> "info " + info + ", expected " + o.mediaClass + ", length " + length + ", capacity " + capacity
                        + ", owner " + o.owner);
        e.check(
                info.offsetBytes() > 0
                        && info.offsetBytes() % c.zoneBytes == 0
                        && info.offsetBytes() + info.capacityBytes() <= c.zoneCount * c.zoneBytes,
                () -> "info " + info + ": its zones are not whole zones of its device");
    }

    private static void owners(ApiModelExpect e, Mpool pool, List<ApiModel.Obj> committed) {
        Set<Long> tags = new TreeSet<>();
        committed.forEach(o -> tags.add(o.owner));
        tags.add(0L);
        tags.add(0x0DDBA11L); // a tag no object carries
        for (long tag : tags) {
            List<ObjectId> want = committed.stream()
                    .filter(o -> o.owner == tag)
                    .map(o -> o.id)
                    .toList();
            List<ObjectId> got = ids(e.ok("objects(" + tag + ")", () -> pool.objects(tag)));
            e.check(got.equals(want), () -> "objects(" + tag + ") lists " + diff(got, want));
        }
    }

    private static void stats(ApiModelExpect e, Mpool pool, ApiModel model, List<ApiModel.Obj> committed) {
        PoolStats s = e.ok("stats", pool::stats);
        long mblocks =
                committed.stream().filter(o -> o.type == ObjectId.Type.MBLOCK).count();
        long mlogs =
                committed.stream().filter(o -> o.type == ObjectId.Type.MLOG).count();
        long mdcs = committed.size() - mblocks - mlogs;
        e.check(
                s.mblocks() == mblocks && s.mlogs() == mlogs && s.mdcs() == mdcs && s.shards() == model.shards,
                () -> "stats count " + s.mblocks() + " mblocks, " + s.mlogs() + " mlogs, " + s.mdcs() + " MDCs, "
                        + s.shards() + " shards; the model " + mblocks + ", " + mlogs + ", " + mdcs + ", "
                        + model.shards);
        counters(e, pool, model, s.counters());
        e.check(
                s.classes().keySet().equals(new HashSet<>(model.classes())),
                () -> "stats list the classes " + s.classes().keySet());
        for (MediaClass mc : model.classes()) {
            ApiModel.ClassModel c = model.classModel(mc);
            long total = c.zoneCount * c.zoneBytes;
            long used = (c.metadataZones + c.objectZones) * c.zoneBytes;
            PoolStats.ClassStats want = new PoolStats.ClassStats(
                    total,
                    used,
                    total - used,
                    model.spareZones(mc) * c.zoneBytes,
                    c.zoneBytes,
                    count(committed, mc, ObjectId.Type.MBLOCK),
                    count(committed, mc, ObjectId.Type.MLOG),
                    count(committed, mc, ObjectId.Type.MDC));
            e.check(
                    s.classes().get(mc).equals(want),
                    () -> mc + ": stats " + s.classes().get(mc) + ", the model " + want
                            + " (a difference in used bytes is a leaked or doubly freed zone)");
        }
    }

    /** The counters' stable names, in their order (PoolStats.counters, docs/OBSERVABILITY.md). */
    static final List<String> COUNTERS = List.of(
            "deviceReads",
            "deviceReadBytes",
            "deviceWrites",
            "deviceWriteBytes",
            "deviceFlushes",
            "deviceDiscards",
            "deviceDiscardBytes",
            "deviceErrors",
            "logFlushRounds",
            "logFlushRecords",
            "commits",
            "deletes",
            "discardFailures",
            "catalogCompactions",
            "reaperScans",
            "reaperEvictions",
            "reaperEvictedBytes",
            "grows");

    /**
     * The open's counters: every one, by its stable name and in order, none below zero, none
     * lower than when this open was last checked; no device call failed and nothing grew.
     */
    private static void counters(ApiModelExpect e, Mpool pool, ApiModel model, Map<String, Long> counters) {
        e.check(
                List.copyOf(counters.keySet()).equals(COUNTERS),
                () -> "stats counters " + counters.keySet() + ", documented " + COUNTERS);
        e.check(counters.values().stream().allMatch(v -> v >= 0), () -> "a counter below zero: " + counters);
        e.check(
                counters.get("deviceErrors") == 0 && counters.get("grows") == 0,
                () -> "device errors or grows counted: " + counters);
        Map<String, Long> before = model.lastCounters(pool, counters);
        if (before != null) {
            for (String key : COUNTERS) {
                e.check(
                        counters.get(key) >= before.get(key),
                        () -> key + " went down from " + before.get(key) + " to " + counters.get(key));
            }
        }
    }

    private static long count(List<ApiModel.Obj> committed, MediaClass mc, ObjectId.Type type) {
        return committed.stream()
                .filter(o -> o.mediaClass == mc && o.type == type)
                .count();
    }

    private static void properties(ApiModelExpect e, Mpool pool, ApiModel model) {
        Map<String, String> got = new TreeMap<>(e.ok("properties", pool::properties));
        String uuid = got.remove("uuid");
        e.check(pool.uuid().toString().equals(uuid), () -> "uuid property " + uuid + ", pool " + pool.uuid());
        Map<String, String> want = model.expectedProperties();
        e.check(got.equals(want), () -> "properties " + got + ", the model " + want);
        e.check(pool.name().equals(model.name), () -> "name " + pool.name() + ", the model " + model.name);
    }

    /** What an object holds: an mblock's bytes; a log's records (a prefix while open: async appends may be buffered). */
    private static void contents(ApiModelExpect e, Mpool pool, ApiModel.Obj o) {
        if (o.type == ObjectId.Type.MBLOCK) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment read = e.ok("readMblock " + o, () -> pool.readMblock(o.id, arena));
                ApiModelMblocks.sameBytes(e, o, o.bytes, read.toArray(ValueLayout.JAVA_BYTE), 0);
            }
            return;
        }
        List<byte[]> read = e.ok("read " + o, () -> pool.read(o.id).readAll());
        prefix(e, o, read, o.handle != null ? o.durableCount : o.records.size());
        if (o.handle != null) {
            List<byte[]> viaHandle =
                    e.ok("reader of " + o, () -> ApiModelLogs.reader(o.handle).readAll());
            prefix(e, o, viaHandle, o.durableCount);
        }
    }

    /** {@code read} must be the first records of {@code o} (the state before a compaction under way), at least {@code atLeast} of them. */
    static void prefix(ApiModelExpect e, ApiModel.Obj o, List<byte[]> read, int atLeast) {
        List<byte[]> want = o.records;
        e.check(
                read.size() >= atLeast && read.size() <= want.size(),
                () -> o + ": read " + read.size() + " records, expected "
                        + (atLeast == want.size() ? "" : atLeast + " to ") + want.size());
        for (int i = 0; i < read.size(); i++) {
            int at = i;
            e.check(
                    Arrays.equals(read.get(i), want.get(i)),
                    () -> o + ": record " + at + " of " + read.size() + " differs: " + describe(read.get(at))
                            + ", expected " + describe(want.get(at)));
        }
    }

    static String describe(byte[] record) {
        long serial = 0;
        for (int i = 0; i < Math.min(8, record.length); i++) {
            serial |= (record[i] & 0xFFL) << (8 * i);
        }
        return record.length + " bytes, serial " + serial;
    }

    /**
     * A pool recovered from the durable image of a live one (a power loss at a quiescent point):
     * what was acknowledged durable is there; a deferred commit or an async append may be or
     * not; nothing uncommitted, aborted or deleted is; the zones in use are exactly those of
     * what is there.
     */
    static void crashed(ApiModelExpect e, Mpool pool, ApiModel model) {
        e.begin("compare the pool recovered from a power loss with the model");
        List<ObjectInfo> listed = e.ok("objects", pool::objects);
        Set<ObjectId> present = new HashSet<>(ids(listed));
        Map<MediaClass, Long> zones = new TreeMap<>();
        long[] counts = new long[ObjectId.Type.values().length];
        for (ObjectInfo info : listed) {
            ApiModel.Obj o = model.objects.get(info.id().value());
            e.check(
                    o != null && o.committed,
                    () -> info.id() + " is in the recovered pool; the model has "
                            + (o == null
                                    ? (model.gone.contains(info.id()) ? "deleted or aborted it" : "no such object")
                                    : o));
            sameInfo(e, model, o, info);
            contentsAfterCrash(e, pool, o);
            zones.merge(o.mediaClass, o.zones, Long::sum);
            counts[o.type.ordinal()]++;
        }
        for (ApiModel.Obj o : model.committed()) {
            e.check(!o.durable || present.contains(o.id), () -> "the durable " + o + " is missing after recovery");
        }
        contentsAfterCrash(e, pool, model.root);
        PoolStats s = e.ok("stats", pool::stats);
        e.check(
                s.mblocks() == counts[0] && s.mlogs() == counts[1] && s.mdcs() == counts[2],
                () -> "stats count " + s + ", the objects listed " + Arrays.toString(counts));
        for (MediaClass mc : model.classes()) {
            ApiModel.ClassModel c = model.classModel(mc);
            long used = (c.metadataZones + zones.getOrDefault(mc, 0L)) * c.zoneBytes;
            e.check(
                    s.classes().get(mc).usedBytes() == used,
                    () -> mc + ": " + s.classes().get(mc).usedBytes() + " bytes used after recovery, " + used
                            + " by metadata and the objects there");
        }
        properties(e, pool, model);
        CheckReport report = e.ok("check", () -> pool.check((done, total) -> 0));
        e.check(report.healthy(), () -> "check() after recovery found problems: " + report.problems());
    }

    private static void contentsAfterCrash(ApiModelExpect e, Mpool pool, ApiModel.Obj o) {
        if (o.type == ObjectId.Type.MBLOCK) {
            contents(e, pool, o);
            return;
        }
        List<byte[]> read = e.ok("read " + o, () -> pool.read(o.id).readAll());
        prefix(e, o, read, o.durableCount);
    }

    static List<ObjectId> ids(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::id).toList();
    }

    private static String diff(List<ObjectId> got, List<ObjectId> want) {
        List<ObjectId> extra = new ArrayList<>(got);
        extra.removeAll(want);
        List<ObjectId> missing = new ArrayList<>(want);
        missing.removeAll(got);
        return got.size() + " ids, expected " + want.size() + "; extra " + extra + ", missing " + missing
                + (extra.isEmpty() && missing.isEmpty() ? " (the order differs)" : "");
    }
}
