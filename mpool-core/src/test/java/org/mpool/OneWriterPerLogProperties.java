package org.mpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.testing.MemoryDevices;

/**
 * No sequence of API calls loses an acknowledged record. Random interleavings of open, append
 * (sync and async), flush, close, pool flush and pool reopen over several handles of two mlogs,
 * an MDC and the root MDC: a second open of an object that has a handle is BUSY, a handle used
 * after its close (or its pool's) is INVALID_STATE, and after every reopen each object holds
 * exactly the records appended to it, in order — closing a handle or the pool makes what it
 * held durable.
 */
class OneWriterPerLogProperties {
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final int SLOTS = 3;

    /** One step of a client. {@code object}: 0, 1 the mlogs, 2 the MDC, 3 the root MDC. */
    sealed interface Step permits Open, Append, Flush, Close, PoolFlush, Reopen {}

    record Open(int slot, int object) implements Step {}

    record Append(int slot, boolean sync, int size) implements Step {}

    record Flush(int slot) implements Step {}

    record Close(int slot) implements Step {}

    record PoolFlush() implements Step {}

    record Reopen() implements Step {}

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, SLOTS - 1);
        Arbitrary<Integer> object = Arbitraries.integers().between(0, 3);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(slot, object).as(Open::new)),
                Tuple.of(
                        8,
                        Combinators.combine(
                                        slot,
                                        Arbitraries.of(true, false),
                                        Arbitraries.integers().between(0, 300))
                                .as(Append::new)),
                Tuple.of(2, slot.map(Flush::new)),
                Tuple.of(3, slot.map(Close::new)),
                Tuple.of(1, Arbitraries.just(new PoolFlush())),
                Tuple.of(1, Arbitraries.just(new Reopen())));
    }

    /** What a handle slot holds: the object's index and the handle (an Mlog or an Mdc). */
    private record Held(int object, AutoCloseable handle) {}

    @Property(tries = 100)
    void everyAppendedRecordSurvivesEveryInterleaving(
            @ForAll @Size(min = 1, max = 60) List<@From("steps") Step> steps) {
        MemoryDevices devices = new MemoryDevices();
        Mpool pool = Mpool.create(
                "writers", CAPACITY, new CreateOptions().size(32L << 20).mblockSize(1 << 20), devices);
        ObjectId[] ids = new ObjectId[3];
        for (int i = 0; i < 2; i++) {
            ids[i] = pool.allocateMlog(MediaClass.CAPACITY, 1 << 20);
            pool.commit(ids[i], 0);
        }
        ids[2] = pool.allocateMdc(MediaClass.CAPACITY, 1 << 20);
        pool.commit(ids[2], 0);
        List<List<byte[]>> model = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<Integer, Held> slots = new HashMap<>();
        List<AutoCloseable> stale = new ArrayList<>();
        int n = 0;
        try {
            for (Step step : steps) {
                String where = "step " + n++ + " " + step;
                switch (step) {
                    case Open o -> {
                        if (slots.containsKey(o.slot())) {
                            continue;
                        }
                        boolean openElsewhere = slots.values().stream().anyMatch(h -> h.object() == o.object());
                        Mpool current = pool;
                        MpoolException busy = catchThrowableOfType(
                                MpoolException.class,
                                () -> slots.put(o.slot(), new Held(o.object(), open(current, ids, o.object()))));
                        if (openElsewhere) {
                            assertThat(busy)
                                    .as("%s: a second handle of one object", where)
                                    .isNotNull();
                            assertThat(busy.code()).as("%s: %s", where, busy).isEqualTo(ErrorCode.BUSY);
                        } else {
                            assertThat(busy)
                                    .as("%s: the only handle of its object opens", where)
                                    .isNull();
                        }
                    }
                    case Append a -> {
                        Held h = slots.get(a.slot());
                        if (h == null) {
                            continue;
                        }
                        byte[] record = record(n, a.size());
                        append(h.handle(), record, a.sync());
                        model.get(h.object()).add(record);
                    }
                    case Flush f -> {
                        Held h = slots.get(f.slot());
                        if (h != null) {
                            flush(h.handle());
                        }
                    }
                    case Close c -> {
                        Held h = slots.remove(c.slot());
                        if (h != null) {
                            h.handle().close();
                            stale.add(h.handle());
                        }
                    }
                    case PoolFlush p -> pool.flush();
                    case Reopen r -> {
                        slots.values().forEach(h -> stale.add(h.handle()));
                        slots.clear();
                        pool.close();
                        pool = Mpool.open(CAPACITY, devices);
                        checkContents(pool, ids, model, where);
                    }
                }
            }
            for (AutoCloseable handle : stale) {
                MpoolException closed =
                        catchThrowableOfType(MpoolException.class, () -> append(handle, new byte[1], true));
                assertThat(closed).as("an append through a closed handle").isNotNull();
                assertThat(closed.code()).as("%s", closed).isEqualTo(ErrorCode.INVALID_STATE);
            }
            pool.close();
            pool = Mpool.open(CAPACITY, devices);
            checkContents(pool, ids, model, "at the end");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.close();
        }
    }

    private static AutoCloseable open(Mpool pool, ObjectId[] ids, int object) {
        return switch (object) {
            case 0, 1 -> pool.openMlog(ids[object]);
            case 2 -> pool.openMdc(ids[2]);
            default -> pool.rootMdc();
        };
    }

    private static void append(AutoCloseable handle, byte[] record, boolean sync) {
        if (handle instanceof Mlog m) {
            m.append(record, sync);
        } else {
            ((Mdc) handle).append(record, sync);
        }
    }

    private static void flush(AutoCloseable handle) {
        if (handle instanceof Mlog m) {
            m.flush();
        } else {
            ((Mdc) handle).flush();
        }
    }

    private static byte[] record(int step, int size) {
        byte[] r = new byte[size + 4];
        r[0] = (byte) step;
        r[1] = (byte) (step >>> 8);
        r[2] = (byte) size;
        r[3] = (byte) (size >>> 8);
        return r;
    }

    private static void checkContents(Mpool pool, ObjectId[] ids, List<List<byte[]>> model, String where) {
        for (int object = 0; object < 4; object++) {
            List<byte[]> read;
            try (Mlog.Reader reader = pool.read(object < 3 ? ids[object] : null)) {
                read = reader.readAll();
            }
            assertThat(read)
                    .as("%s: the records of object %d after the reopen", where, object)
                    .containsExactlyElementsOf(model.get(object));
        }
    }
}
