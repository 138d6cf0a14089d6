package org.mpool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/**
 * The API tester's maps (pools on files only; on memory devices a map is UNSUPPORTED and must
 * pin nothing): map committed mblocks of one home, read them in place, advise, prefetch,
 * purge, list residency, close. A map's mblocks cannot be deleted while it is open (BUSY,
 * which {@link ApiModelMblocks#delete} expects from {@link ApiModel#mapped}).
 */
final class ApiModelMaps {
    private static final Advice[] ADVICE = Advice.values();

    private ApiModelMaps() {}

    static boolean map(ApiModelLane l) {
        if (!l.mappable && l.random.nextInt(4) != 0) {
            return false; // on memory devices only the refusal is to test: now and then
        }
        List<ApiModel.Obj> mine = l.model.select(o -> l.owns(o) && o.committed && o.type == ObjectId.Type.MBLOCK);
        ApiModel.Obj first = l.any(mine);
        if (first == null) {
            return false;
        }
        List<ApiModel.Obj> sameHome =
                new ArrayList<>(mine.stream().filter(o -> o.home == first.home).toList());
        List<ObjectId> ids = new ArrayList<>();
        for (int n = 1 + l.random.nextInt(4); n > 0 && !sameHome.isEmpty(); n--) {
            ids.add(sameHome.remove(l.random.nextInt(sameHome.size())).id);
        }
        Advice advice = ADVICE[l.random.nextInt(ADVICE.length)];
        l.expect.begin("map " + ids + " " + advice + (l.mappable ? "" : " on memory devices"));
        if (!l.mappable) {
            l.expect.fails("map", () -> l.pool.map(ids, advice), ErrorCode.UNSUPPORTED);
            return true;
        }
        Mcache map = l.expect.ok("map", () -> l.pool.map(ids, advice));
        ApiModel.MapModel m = new ApiModel.MapModel(map, List.copyOf(ids), first.home);
        l.model.maps.add(m);
        sameMap(l.expect, l.model, m);
        return true;
    }

    /** Maps mblocks every lane reads this phase, reads them and closes the map at once. */
    static boolean mapShared(ApiModelLane l) {
        if (l.shared == null || l.shared.frozen.isEmpty() || !l.mappable) {
            return false;
        }
        List<ObjectId> ids = new ArrayList<>();
        List<ApiModel.Obj> from = new ArrayList<>(l.shared.frozen);
        for (int n = 1 + l.random.nextInt(3); n > 0 && !from.isEmpty(); n--) {
            ids.add(from.remove(l.random.nextInt(from.size())).id);
        }
        l.expect.begin("map the shared " + ids + ", read, close");
        try (Mcache map = l.expect.ok("map", () -> l.pool.map(ids, Advice.WARM))) {
            sameMap(l.expect, l.model, new ApiModel.MapModel(map, ids, -1));
        }
        return true;
    }

    static boolean use(ApiModelLane l) {
        ApiModel.MapModel m = ownMap(l);
        if (m == null) {
            return false;
        }
        Mcache map = m.map();
        long total = map.size() * map.slotBytes();
        long offset = l.random.nextLong(total);
        long length = 1 + l.random.nextLong(total - offset);
        Advice advice = ADVICE[l.random.nextInt(ADVICE.length)];
        switch (l.random.nextInt(6)) {
            case 0 -> {
                l.expect.begin("read the map of " + m.ids());
                sameMap(l.expect, l.model, m);
            }
            case 1 -> {
                l.expect.begin("advise [" + offset + ", +" + length + ") " + advice + " of the map of " + m.ids());
                l.expect.succeeds("advise", () -> map.advise(offset, length, advice));
                ObjectId id = m.ids().get((int) (offset / map.slotBytes()));
                l.expect.check(map.advice(id) == advice, () -> "advice of " + id + " is " + map.advice(id));
            }
            case 2 -> {
                l.expect.begin("willNeed [" + offset + ", +" + length + ") of the map of " + m.ids());
                l.expect.succeeds("willNeed", () -> map.willNeed(offset, length));
                map.touch();
            }
            case 3 -> {
                l.expect.begin("residency of the map of " + m.ids());
                List<Mcache.Residency> r = l.expect.ok("residency", map::residency);
                for (int i = 0; i < r.size(); i++) {
                    Mcache.Residency res = r.get(i);
                    long len = map.length(m.ids().get(i));
                    long mapped = (len + 4095) / 4096 * 4096;
                    l.expect.check(
                            res.id().equals(m.ids().get(i))
                                    && res.mappedBytes() == mapped
                                    && res.residentBytes() >= 0
                                    && res.residentBytes() <= mapped,
                            () -> "residency " + res + " of an mblock of " + len + " bytes");
                }
            }
            case 4 -> {
                l.expect.begin("purge the map of " + m.ids());
                l.expect.succeeds("purge", map::purge);
            }
            default -> {
                ObjectId stranger = l.unknownId(ObjectId.Type.MBLOCK);
                l.expect.begin("segment of " + stranger + ", not in the map of " + m.ids());
                l.expect.fails("segment", () -> map.segment(stranger), ErrorCode.NOT_FOUND);
                l.expect.fails("base", () -> map.base(stranger), ErrorCode.NOT_FOUND);
            }
        }
        return true;
    }

    /** One of the maps this lane looks after (null if none), drawn in a replayable order. */
    private static ApiModel.MapModel ownMap(ApiModelLane l) {
        return l.any(l.model.maps.stream()
                .filter(x -> x.home() % l.lanes == l.lane)
                .sorted((a, b) -> a.ids().get(0).compareTo(b.ids().get(0)))
                .toList());
    }

    static boolean close(ApiModelLane l) {
        ApiModel.MapModel m = ownMap(l);
        if (m == null) {
            return false;
        }
        l.expect.begin("close the map of " + m.ids());
        l.expect.succeeds("close", m.map()::close);
        l.expect.check(m.map().isClosed(), () -> "the map is not closed");
        l.model.maps.remove(m);
        l.model.retire(m.map());
        return true;
    }

    /** Maps the pool refuses: none, one twice, not an mblock. */
    static boolean misuse(ApiModelLane l) {
        ApiModel.Obj o = l.pick(x -> x.committed);
        int which = l.random.nextInt(3);
        List<ObjectId> ids = switch (which) {
            case 0 -> List.of();
            case 1 -> o == null || o.type != ObjectId.Type.MBLOCK ? null : List.of(o.id, o.id);
            default -> o == null || o.type == ObjectId.Type.MBLOCK ? null : List.of(o.id);
        };
        if (ids == null) {
            return false;
        }
        l.expect.begin("map " + ids);
        l.expect.fails("map", () -> l.pool.map(ids, Advice.WARM), ErrorCode.INVALID_ARGUMENT);
        return true;
    }

    /** A map holds what the model says, in slot order, each mblock's bytes then zeros to its page's end. */
    static void sameMap(ApiModelExpect e, ApiModel model, ApiModel.MapModel m) {
        Mcache map = m.map();
        e.check(map.mblocks().equals(m.ids()), () -> "the map holds " + map.mblocks() + ", expected " + m.ids());
        long slot = 0;
        for (ObjectId id : m.ids()) {
            slot = Math.max(slot, model.classModel(model.objects.get(id.value()).mediaClass).mblockCapacity);
        }
        long slotBytes = slot;
        e.check(map.slotBytes() == slotBytes, () -> "slots of " + map.slotBytes() + " bytes, expected " + slotBytes);
        for (int i = 0; i < m.ids().size(); i++) {
            ApiModel.Obj o = model.objects.get(m.ids().get(i).value());
            long base = i * slotBytes;
            e.check(map.base(o.id) == base, () -> o + " at " + map.base(o.id) + " in the map, expected " + base);
            e.check(map.length(o.id) == o.bytes.length, () -> o + ": length " + map.length(o.id) + " in the map");
            MemorySegment bytes = map.segment(o.id);
            ApiModelMblocks.sameBytes(e, o, o.bytes, bytes.toArray(ValueLayout.JAVA_BYTE), 0);
            long pageEnd = (o.bytes.length + 4095L) / 4096 * 4096;
            byte[] padding = map.segment()
                    .asSlice(base + o.bytes.length, pageEnd - o.bytes.length)
                    .toArray(ValueLayout.JAVA_BYTE);
            e.check(
                    Arrays.equals(padding, new byte[padding.length]),
                    () -> o + ": the map's bytes past its length are not zeros");
        }
    }
}
