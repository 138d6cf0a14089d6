package org.mpool.observe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mpool.format.CounterPage;

/**
 * The counters of one open pool: a slot of 64 bits per {@link Counter}, added to atomically from
 * any thread. Cheap enough to stay on: one atomic add on an uncontended line per event counted
 * (device calls, flush rounds, commits), beside system calls that cost microseconds.
 *
 * <p>The slots live in a page: private memory until {@link #publishTo} moves them into the
 * pool's shared counter page ({@link CounterPage}), where another process reads them. The move
 * happens once, while the pool opens (no other thread counts yet).
 */
public final class Counters {
    private static final VarHandle SLOT = ValueLayout.JAVA_LONG.varHandle();
    private static final Counter[] ALL = Counter.values();

    static {
        assert ALL.length <= CounterPage.MAX_COUNTERS : "more counters than the page holds";
    }

    /** Counters nobody reads: for logs and devices outside a pool (tests, create). */
    public static final Counters NONE = new Counters();

    private volatile MemorySegment page;

    /** Fresh counters in private memory. */
    public Counters() {
        this.page = Arena.ofAuto().allocate(CounterPage.SIZE, CounterPage.SIZE);
    }

    public void add(Counter c, long delta) {
        SLOT.getAndAdd(page, CounterPage.slot(c.ordinal()), delta);
    }

    public void increment(Counter c) {
        add(c, 1);
    }

    public long get(Counter c) {
        return (long) SLOT.getVolatile(page, CounterPage.slot(c.ordinal()));
    }

    /**
     * Moves the counters into {@code shared} (a mapped counter page whose header the caller
     * wrote): what was counted so far is copied, and counting goes on there.
     */
    public void publishTo(MemorySegment shared) {
        for (Counter c : ALL) {
            SLOT.setVolatile(shared, CounterPage.slot(c.ordinal()), get(c));
        }
        page = shared;
    }

    /** Every counter by its key, in {@link Counter} order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Counter c : ALL) {
            values.put(c.key(), get(c));
        }
        return Collections.unmodifiableMap(values);
    }

    /** The first {@code count} counters of a copy of a page (those this code knows), by key. */
    public static Map<String, Long> read(MemorySegment page, int count) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(count, ALL.length); i++) {
            values.put(ALL[i].key(), page.get(ValueLayout.JAVA_LONG_UNALIGNED, CounterPage.slot(i)));
        }
        return Collections.unmodifiableMap(values);
    }

    /** How many counters this code writes into a page. */
    public static int count() {
        return ALL.length;
    }
}
