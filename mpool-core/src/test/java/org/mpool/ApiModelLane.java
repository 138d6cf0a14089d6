package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;

/**
 * One thread of a phase of the API tester: the pool it calls, the objects it owns (the homes
 * {@code h % lanes == lane}), its random stream (derived from the seed, the phase and the lane,
 * so each lane's calls replay) and its {@link ApiModelExpect}. The operations
 * ({@link ApiModelMblocks}, {@link ApiModelLogs}, {@link ApiModelMisuse}, ...) take a lane and
 * touch only its objects, plus what the phase shares ({@link ApiModelShared}).
 */
final class ApiModelLane {
    /** Owner tags the lanes use: few, so that objects(owner) lists several; the extremes too. */
    private static final long[] TAGS = {0, 0, 1, 2, 0x5EED, -1L, Long.MIN_VALUE, Long.MAX_VALUE};

    final ApiModel model;
    final Mpool pool;
    final int lane;
    final int lanes;
    final SplittableRandom random;
    final ApiModelExpect expect;
    /** Whether the pool lives on files (only those can be mapped). */
    final boolean mappable;
    /** What the phase shares between lanes, or null in a phase of one thread. */
    final ApiModelShared shared;
    /** The mlog the lanes of the phase race for, or null. */
    final ApiModelContended contended;

    ApiModelLane(
            ApiModel model,
            Mpool pool,
            int lane,
            int lanes,
            SplittableRandom random,
            ApiModelExpect expect,
            boolean mappable,
            ApiModelShared shared,
            ApiModelContended contended) {
        this.model = model;
        this.pool = pool;
        this.lane = lane;
        this.lanes = lanes;
        this.random = random;
        this.expect = expect;
        this.mappable = mappable;
        this.shared = shared;
        this.contended = contended;
    }

    /** Whether the lane may run calls that change what every lane's expectations rest on (properties, spare, staging). */
    boolean alone() {
        return lanes == 1;
    }

    boolean owns(ApiModel.Obj o) {
        return o.home % lanes == lane;
    }

    /** A random object of this lane matching {@code filter} (the frozen ones excluded), or null. */
    ApiModel.Obj pick(Predicate<ApiModel.Obj> filter) {
        return any(model.select(o -> owns(o) && !o.frozen && filter.test(o)));
    }

    /** The root MDC if this lane owns it and {@code filter} holds, else null. */
    ApiModel.Obj root(Predicate<ApiModel.Obj> filter) {
        ApiModel.Obj r = model.root;
        return owns(r) && filter.test(r) ? r : null;
    }

    <T> T any(List<T> from) {
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    /** A home this lane owns, for a new object. */
    int newHome() {
        List<Integer> homes = new ArrayList<>();
        for (int h = 0; h < ApiModel.HOMES; h++) {
            if (h % lanes == lane) {
                homes.add(h);
            }
        }
        return any(homes);
    }

    long tag() {
        return random.nextInt(5) == 0 ? random.nextLong() : TAGS[random.nextInt(TAGS.length)];
    }

    /** A media class: staging a third of the time, whether or not the pool has one. */
    MediaClass mediaClass() {
        return random.nextInt(3) == 0 ? MediaClass.STAGING : MediaClass.CAPACITY;
    }

    static MediaClass other(MediaClass mc) {
        return mc == MediaClass.CAPACITY ? MediaClass.STAGING : MediaClass.CAPACITY;
    }

    /** Record bytes: a serial number first (records are told apart when one turns up out of place), random after. */
    byte[] bytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        long serial = model.nextSerial();
        for (int i = 0; i < Math.min(8, size); i++) {
            b[i] = (byte) (serial >>> (8 * i));
        }
        return b;
    }

    /** An aligned native buffer holding {@code bytes} (its tail past them zero). */
    static MemorySegment buffer(Arena arena, byte[] bytes, long sizeBytes) {
        MemorySegment b = Mpool.allocateBuffer(arena, Math.max(1, sizeBytes));
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, b, 0, Math.min(bytes.length, sizeBytes));
        return b.asSlice(0, sizeBytes);
    }

    /** An id the pool never issued (its uniquifier is far past any it reaches) of {@code type}, in a shard it has. */
    ObjectId unknownId(ObjectId.Type type) {
        return ObjectId.of((1L << 40) + random.nextInt(1 << 20), type, 1 + random.nextInt(model.shards));
    }

    /** An id in a shard the pool does not have. */
    ObjectId idBeyondShards(ObjectId.Type type) {
        return ObjectId.of(1 + random.nextInt(1000), type, model.shards + 1 + random.nextInt(255 - model.shards));
    }
}
