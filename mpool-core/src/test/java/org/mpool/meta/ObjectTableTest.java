package org.mpool.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mpool.common.MediaClass;
import org.mpool.format.ObjectIdBits;
import org.mpool.testing.Seeds;

/**
 * The in-memory object table of a shard: the map operations, its open addressing (tombstones,
 * growth, rebuilds), and lock-free lookups that never see a half-written or half-moved entry.
 */
class ObjectTableTest {
    private static final long MAX_ZONE = ObjectTable.ZONE_LIMIT - 1;

    static long id(long uniquifier) {
        return ObjectIdBits.pack(uniquifier, ObjectIdBits.TYPE_MBLOCK, 1);
    }

    /**
     * The entry the table gives for {@code id}: an mblock's length and CRC, or an mlog's zone
     * count (no CRC). Mblocks with an odd CRC are chunked (their CRC is their chunk table's).
     */
    static ObjectTable.Entry entry(long id, MediaClass mc, long zone, long length, int crc, boolean deleting) {
        return ObjectIdBits.typeCode(id) == ObjectIdBits.TYPE_MBLOCK
                ? new ObjectTable.Mblock(id, mc, zone, length, crc, 0, (crc & 1) != 0, deleting)
                : new ObjectTable.Mlog(id, mc, zone, length, 0, deleting);
    }

    /** Puts an mblock or an mlog, as {@code id}'s type says. */
    static void put(ObjectTable table, long id, MediaClass mc, long zone, long length, int crc) {
        if (ObjectIdBits.typeCode(id) == ObjectIdBits.TYPE_MBLOCK) {
            table.putMblock(id, mc, zone, length, crc, 0, (crc & 1) != 0);
        } else {
            table.putMlog(id, mc, zone, length, 0);
        }
    }

    /** An mblock's length, an mlog's zone count. */
    static long lengthOf(ObjectTable.Entry e) {
        return e instanceof ObjectTable.Mblock m ? m.lengthBytes() : e.zoneCount();
    }

    static int crcOf(ObjectTable.Entry e) {
        return e instanceof ObjectTable.Mblock m ? m.crc() : 0;
    }

    /** Slots in the table's arrays (white box: the only way to see that churn does not grow it). */
    static int capacity(ObjectTable table) {
        try {
            Field f = ObjectTable.class.getDeclaredField("ids");
            f.setAccessible(true);
            return ((long[]) f.get(table)).length;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Map<Long, ObjectTable.Entry> contents(ObjectTable table) {
        Map<Long, ObjectTable.Entry> seen = new HashMap<>();
        table.forEach(e ->
                assertThat(seen.put(e.id(), e)).as("forEach visits %s twice", e).isNull());
        return seen;
    }

    @Example
    void putGetRemoveAndDeletingMarks() {
        ObjectTable table = new ObjectTable();
        long a = id(1);
        long b = ObjectIdBits.pack(2, ObjectIdBits.TYPE_MLOG, 200);
        assertThat(table.get(a)).as("get from an empty table").isNull();
        put(table, a, MediaClass.CAPACITY, 7, 4096, 0xCAFE);
        put(table, b, MediaClass.STAGING, 9, 3, 0);
        assertThat(table.get(a)).as("get(a)").isEqualTo(entry(a, MediaClass.CAPACITY, 7, 4096, 0xCAFE, false));
        assertThat(table.get(b)).as("get(b)").isEqualTo(entry(b, MediaClass.STAGING, 9, 3, 0, false));
        assertThat(table.size()).as("size").isEqualTo(2);

        put(table, a, MediaClass.STAGING, 8, 1, -1);
        assertThat(table.get(a))
                .as("get(a) after a second put")
                .isEqualTo(entry(a, MediaClass.STAGING, 8, 1, -1, false));
        assertThat(table.size()).as("size after replacing").isEqualTo(2);

        assertThat(table.setDeleting(a, true)).as("mark a deleting").isTrue();
        assertThat(table.get(a).deleting()).as("a deleting").isTrue();
        assertThat(table.get(a)).as("get(a) marked").isEqualTo(entry(a, MediaClass.STAGING, 8, 1, -1, true));
        assertThat(table.setDeleting(a, true)).as("mark a deleting twice").isFalse();
        assertThat(table.setDeleting(a, false)).as("unmark a").isTrue();
        assertThat(table.setDeleting(a, false)).as("unmark a twice").isFalse();
        assertThat(table.get(a).deleting()).as("a after unmarking").isFalse();
        assertThat(table.setDeleting(id(99), true)).as("mark an absent id").isFalse();

        assertThat(table.remove(a)).as("remove a").isTrue();
        assertThat(table.get(a)).as("get(a) after remove").isNull();
        assertThat(table.remove(a)).as("remove a twice").isFalse();
        assertThat(table.setDeleting(a, true)).as("mark a removed id").isFalse();
        assertThat(table.size()).as("size after remove").isEqualTo(1);
        assertThat(contents(table)).as("forEach after remove").containsOnlyKeys(b);
    }

    @Example
    void everyMediaClassAndTheFullFieldRangesRoundTrip() {
        ObjectTable table = new ObjectTable();
        long u = 1;
        List<ObjectTable.Entry> put = new ArrayList<>();
        for (MediaClass mc : MediaClass.values()) {
            for (long zone : new long[] {0, 1, Integer.MAX_VALUE + 1L, MAX_ZONE}) {
                for (long length : new long[] {0, 1, 64L << 20, Integer.MAX_VALUE}) {
                    for (int crc : new int[] {0, -1, Integer.MIN_VALUE}) {
                        for (boolean deleting : new boolean[] {false, true}) {
                            long id = id(u++);
                            put(table, id, mc, zone, length, crc);
                            if (deleting) {
                                table.setDeleting(id, true);
                            }
                            put.add(entry(id, mc, zone, length, crc, deleting));
                        }
                    }
                }
            }
        }
        for (ObjectTable.Entry e : put) {
            assertThat(table.get(e.id()))
                    .as("get(%s)", ObjectIdBits.toString(e.id()))
                    .isEqualTo(e);
        }
        assertThat(contents(table).values()).as("forEach").containsExactlyInAnyOrderElementsOf(put);
    }

    @Example
    void lookupsFollowProbeChainsAcrossTombstonesAndRemovedSlotsAreReused() {
        ObjectTable table = new ObjectTable();
        int n = 40; // under the 75% load of the first 64 slots: probe chains form, no resize yet
        for (int i = 1; i <= n; i++) {
            put(table, id(i), MediaClass.CAPACITY, i, i, i);
        }
        assertThat(capacity(table)).as("slots for %d entries", n).isEqualTo(64);
        for (int i = 1; i <= n; i += 2) {
            assertThat(table.remove(id(i))).as("remove %d", i).isTrue();
        }
        for (int i = 1; i <= n; i++) {
            ObjectTable.Entry e = table.get(id(i));
            if (i % 2 == 1) {
                assertThat(e).as("removed entry %d", i).isNull();
            } else {
                assertThat(e)
                        .as("entry %d behind tombstones", i)
                        .isEqualTo(entry(id(i), MediaClass.CAPACITY, i, i, i, false));
            }
        }
        for (int i = 1; i <= n; i += 2) {
            put(table, id(i), MediaClass.STAGING, 1000 + i, i, -i);
        }
        assertThat(capacity(table)).as("slots after re-putting into tombstones").isEqualTo(64);
        assertThat(table.size()).as("size").isEqualTo(n);
        for (int i = 1; i <= n; i++) {
            ObjectTable.Entry expected = i % 2 == 1
                    ? entry(id(i), MediaClass.STAGING, 1000 + i, i, -i, false)
                    : entry(id(i), MediaClass.CAPACITY, i, i, i, false);
            assertThat(table.get(id(i))).as("entry %d", i).isEqualTo(expected);
        }
    }

    /** Churn through many ids with few alive at a time: tombstones are swept out, the table does not grow. */
    @Example
    void churnRebuildsInPlaceWithoutGrowing() {
        ObjectTable table = new ObjectTable();
        int live = 30;
        for (int i = 1; i <= 100_000; i++) {
            put(table, id(i), MediaClass.CAPACITY, i, 1, i);
            if (i > live) {
                assertThat(table.remove(id(i - live))).as("remove %d", i - live).isTrue();
            }
        }
        assertThat(table.size()).as("size").isEqualTo(live);
        assertThat(capacity(table))
                .as("slots after churning 100000 ids, %d alive", live)
                .isEqualTo(64);
        assertThat(contents(table).keySet())
                .as("live ids")
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(100_000 - live + 1, 100_000)
                                .map(ObjectTableTest::id)
                                .boxed()
                                .toList());
    }

    @Example
    void growsThroughManyResizesAndKeepsEveryEntry() {
        ObjectTable table = new ObjectTable();
        int n = 100_000;
        for (int i = 1; i <= n; i++) {
            put(table, id(i), MediaClass.values()[i % 2], (long) i * 3, i % 1000, i * 31);
        }
        assertThat(table.size()).as("size").isEqualTo(n);
        assertThat(capacity(table))
                .as("slots for %d entries (at most 75%% full)", n)
                .isGreaterThanOrEqualTo(n * 4 / 3)
                .isLessThanOrEqualTo(4 * n);
        for (int i = 1; i <= n; i++) {
            assertThat(table.get(id(i)))
                    .as("entry %d", i)
                    .isEqualTo(entry(id(i), MediaClass.values()[i % 2], (long) i * 3, i % 1000, i * 31, false));
        }
        for (int i = 1; i <= n; i += 2) {
            table.remove(id(i));
        }
        Map<Long, ObjectTable.Entry> seen = contents(table);
        assertThat(seen).as("forEach after removing the odd ones").hasSize(n / 2);
        for (int i = 2; i <= n; i += 2) {
            assertThat(seen.get(id(i)))
                    .as("forEach entry %d", i)
                    .isEqualTo(entry(id(i), MediaClass.values()[i % 2], (long) i * 3, i % 1000, i * 31, false));
            assertThat(table.get(id(i - 1))).as("removed entry %d", i - 1).isNull();
        }
        assertThat(table.get(id(n + 1))).as("an id never put").isNull();
    }

    // ---- against a HashMap

    sealed interface Op permits Put, Remove, Mark {}

    record Put(int key, MediaClass mediaClass, long zone, int length, int crc) implements Op {}

    record Remove(int key) implements Op {}

    record Mark(int key, boolean deleting) implements Op {}

    private static final int KEYS = 300;

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<Op> put = Combinators.combine(
                        keys,
                        Arbitraries.of(MediaClass.class),
                        Arbitraries.longs().between(0, MAX_ZONE),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.integers())
                .as(Put::new);
        Arbitrary<Op> remove = keys.map(Remove::new);
        Arbitrary<Op> mark =
                Combinators.combine(keys, Arbitraries.of(true, false)).as(Mark::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, put),
                        net.jqwik.api.Tuple.of(3, remove),
                        net.jqwik.api.Tuple.of(1, mark))
                .list()
                .ofMaxSize(1500);
    }

    /** Keys spread over shards and types, as real ids are. */
    static long keyId(int key) {
        return ObjectIdBits.pack(key * 7919L + 1, 1 + key % 2, 1 + key % 255);
    }

    @Property(tries = 100)
    void behavesLikeAMap(@ForAll("ops") List<Op> ops) {
        ObjectTable table = new ObjectTable();
        Map<Long, ObjectTable.Entry> model = new HashMap<>();
        int step = 0;
        for (Op op : ops) {
            switch (op) {
                case Put p -> {
                    long id = keyId(p.key());
                    put(table, id, p.mediaClass(), p.zone(), p.length(), p.crc());
                    model.put(id, entry(id, p.mediaClass(), p.zone(), p.length(), p.crc(), false));
                }
                case Remove r -> {
                    long id = keyId(r.key());
                    assertThat(table.remove(id)).as("step %d %s", step, op).isEqualTo(model.remove(id) != null);
                }
                case Mark m -> {
                    long id = keyId(m.key());
                    ObjectTable.Entry e = model.get(id);
                    boolean changes = e != null && e.deleting() != m.deleting();
                    assertThat(table.setDeleting(id, m.deleting()))
                            .as("step %d %s", step, op)
                            .isEqualTo(changes);
                    if (changes) {
                        model.put(id, entry(id, e.mediaClass(), e.zone(), lengthOf(e), crcOf(e), m.deleting()));
                    }
                }
            }
            assertThat(table.size()).as("size after step %d %s", step, op).isEqualTo(model.size());
            if (step % 50 == 0) {
                assertSameAsModel(table, model, "after step " + step);
            }
            step++;
        }
        assertSameAsModel(table, model, "at the end");
        assertThat(contents(table)).as("forEach at the end").isEqualTo(model);
    }

    private static void assertSameAsModel(ObjectTable table, Map<Long, ObjectTable.Entry> model, String when) {
        for (int k = 0; k < KEYS; k++) {
            long id = keyId(k);
            assertThat(table.get(id)).as("get(key %d) %s", k, when).isEqualTo(model.get(id));
        }
    }

    // ---- lock-free readers against a writer

    /** The fields a writer puts for {@code id} in its {@code version}th put: each field tells the version. */
    static ObjectTable.Entry expected(long id, int version) {
        long h = id * 0x9E3779B97F4A7C15L;
        long zone = ((h >>> 24) << 8 | version) & MAX_ZONE;
        long length = (Long.rotateLeft(h, version + 1) >>> 33);
        int crc = (int) Seeds.derive(id, version);
        MediaClass mc = MediaClass.values()[(int) ((h >>> 60) + version) & 1];
        return entry(id, mc, zone, length, crc, false);
    }

    static long stableId(int i) {
        return ObjectIdBits.pack(i + 1, ObjectIdBits.TYPE_MBLOCK, 1);
    }

    static long churnId(int i) {
        return ObjectIdBits.pack(i + 1, ObjectIdBits.TYPE_MLOG, 2);
    }

    static long neverPutId(int i) {
        return ObjectIdBits.pack(i + 1, ObjectIdBits.TYPE_MBLOCK, 3);
    }

    /**
     * Readers look ids up without locks while one writer grows the table through every size
     * from 64 to 32768 slots or more, churns ids (tombstones, rebuilds in place) and rewrites entries. A
     * reader must find every id published as put before its lookup, must get back exactly the
     * fields of one of the puts of that id (never a mix of two puts, or of an entry and a
     * neighbour, as a lookup racing a resize could read), and must never find an id never put.
     * The writer hands over to the readers after every batch (readers must have made progress
     * since the last one), so reads interleave with every phase of the growth on any number of
     * cores; no timing is assumed.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void lockFreeReadersNeverSeeTornOrMissingEntries() throws Exception {
        long seed = Seeds.base("ObjectTableTest.lockFreeReaders");
        int stable = 20_000;
        int churnLive = 400;
        int batch = 250;
        int readers = 2;
        ObjectTable table = new ObjectTable();
        AtomicInteger published = new AtomicInteger();
        AtomicInteger writerDone = new AtomicInteger();
        AtomicLongArray progress = new AtomicLongArray(readers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        try {
            List<Future<Long>> readerTasks = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                int me = r;
                readerTasks.add(pool.submit(() -> read(
                        table,
                        published,
                        writerDone,
                        progress,
                        me,
                        failure,
                        new SplittableRandom(Seeds.derive(seed, me)),
                        stable)));
            }
            Future<?> writer = pool.submit(() -> {
                try {
                    write(table, published, progress, failure, new SplittableRandom(seed), stable, churnLive, batch);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    writerDone.set(1);
                }
            });
            writer.get(50, TimeUnit.SECONDS);
            long reads = 0;
            for (Future<Long> f : readerTasks) {
                reads += f.get(50, TimeUnit.SECONDS);
            }
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed + ": " + failure.get().getMessage(), failure.get());
            }
            assertThat(reads).as("lookups done by the readers").isGreaterThan((long) stable);
            assertThat(capacity(table)).as("slots at the end").isGreaterThanOrEqualTo(32768);
            Map<Long, ObjectTable.Entry> seen = contents(table);
            assertThat(seen).as("entries at the end").hasSize(stable + churnLive);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void write(
            ObjectTable table,
            AtomicInteger published,
            AtomicLongArray progress,
            AtomicReference<Throwable> failure,
            SplittableRandom random,
            int stable,
            int churnLive,
            int batch) {
        int[] versions = new int[stable];
        int nextChurn = 0;
        for (int i = 0; i < stable; i++) {
            long id = stableId(i);
            put(
                    table,
                    id,
                    expected(id, 0).mediaClass(),
                    expected(id, 0).zone(),
                    lengthOf(expected(id, 0)),
                    crcOf(expected(id, 0)));
            published.set(i + 1);
            // A churned id: put now, removed churnLive puts later (tombstones, so rebuilds in place).
            long c = churnId(nextChurn);
            ObjectTable.Entry ce = expected(c, 0);
            put(table, c, ce.mediaClass(), ce.zone(), lengthOf(ce), crcOf(ce));
            if (nextChurn >= churnLive) {
                table.remove(churnId(nextChurn - churnLive));
            }
            nextChurn++;
            // Rewrite an entry already published with its next version.
            int j = random.nextInt(i + 1);
            if (versions[j] < 255) {
                long rid = stableId(j);
                ObjectTable.Entry re = expected(rid, ++versions[j]);
                put(table, rid, re.mediaClass(), re.zone(), lengthOf(re), crcOf(re));
            }
            if (i % batch == batch - 1) {
                handOver(progress, failure);
            }
        }
        handOver(progress, failure);
    }

    /** Waits until every reader has finished at least one more round of lookups (or one failed). */
    private static void handOver(AtomicLongArray progress, AtomicReference<Throwable> failure) {
        long[] before = new long[progress.length()];
        for (int r = 0; r < before.length; r++) {
            before[r] = progress.get(r);
        }
        for (int r = 0; r < before.length; r++) {
            while (progress.get(r) < before[r] + 2 && failure.get() == null) {
                Thread.yield();
            }
        }
    }

    private static long read(
            ObjectTable table,
            AtomicInteger published,
            AtomicInteger writerDone,
            AtomicLongArray progress,
            int me,
            AtomicReference<Throwable> failure,
            SplittableRandom random,
            int stable) {
        long reads = 0;
        try {
            while (failure.get() == null) {
                boolean last = writerDone.get() == 1; // one more round after the writer stops
                for (int n = 0; n < 64; n++) {
                    int p = published.get();
                    if (p > 0) {
                        int i = random.nextInt(p);
                        check(table.get(stableId(i)), stableId(i), true);
                    }
                    int c = random.nextInt(stable);
                    check(table.get(churnId(c)), churnId(c), false);
                    ObjectTable.Entry never = table.get(neverPutId(random.nextInt(stable)));
                    if (never != null) {
                        throw new AssertionError("found an id never put: " + never);
                    }
                    reads += 3;
                }
                progress.incrementAndGet(me);
                if (last) {
                    break;
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        return reads;
    }

    private static void check(ObjectTable.Entry e, long id, boolean mustExist) {
        if (e == null) {
            if (mustExist) {
                throw new AssertionError("published id " + ObjectIdBits.toString(id) + " not found");
            }
            return;
        }
        int version = (int) (e.zone() & 0xFF);
        ObjectTable.Entry want = expected(id, version);
        if (!e.equals(want)) {
            throw new AssertionError("torn entry for " + ObjectIdBits.toString(id) + ": " + e + ", but version "
                    + version + " of it is " + want);
        }
    }
}
