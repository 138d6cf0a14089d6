package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.mpool.common.MpoolException;
import org.mpool.common.PoolCounters;
import org.mpool.device.CounterFiles;
import org.mpool.device.PoolLockFiles;
import org.mpool.format.CounterPage;
import org.mpool.format.FormatException;
import org.mpool.observe.Counters;

/**
 * A pool's counters where other processes can read them: the open that holds the pool's lock
 * moves its counters into the pool's counter page ({@link CounterFiles}) and marks the page
 * closed when it closes. Pools opened read-only, or on devices of another provider (memory),
 * keep their counters private.
 */
final class CounterPublication implements AutoCloseable {
    /** Publishes nothing: the counters stay private. */
    static final CounterPublication NONE = new CounterPublication(null, null, null);

    private final Arena arena;
    private final MemorySegment page;
    private final UUID uuid;

    private CounterPublication(Arena arena, MemorySegment page, UUID uuid) {
        this.arena = arena;
        this.page = page;
        this.uuid = uuid;
    }

    /**
     * Moves {@code counters} into pool {@code uuid}'s page. Counters are not worth failing an
     * open for: if the page cannot be made (the lock directory full, say), they stay private.
     */
    static CounterPublication start(UUID uuid, Counters counters) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment page = CounterFiles.publish(uuid, Counters.count(), arena);
            counters.publishTo(page);
            return new CounterPublication(arena, page, uuid);
        } catch (MpoolException e) {
            arena.close();
            return NONE;
        }
    }

    /** Whether another process can read the counters. */
    boolean published() {
        return page != null;
    }

    /** Marks the page closed (its counts are final) and unmaps it. Idempotent. */
    @Override
    public synchronized void close() {
        if (page != null && arena.scope().isAlive()) {
            CounterPage.markClosed(page, System.currentTimeMillis());
            arena.close();
        }
    }

    /** Closes and deletes the page: the pool was destroyed. */
    void remove() {
        close();
        if (uuid != null) {
            CounterFiles.remove(uuid);
        }
    }

    /** What pool {@code uuid}'s counter page holds, if it has one; whether its process still has the pool open. */
    static Optional<PoolCounters> read(UUID uuid) {
        Optional<MemorySegment> copy = CounterFiles.read(uuid);
        if (copy.isEmpty()) {
            return Optional.empty();
        }
        CounterPage.Header h;
        try {
            h = CounterPage.readHeader(copy.get());
        } catch (FormatException e) {
            throw MpoolException.corrupt(CounterFiles.pathOf(uuid) + ": " + e.getMessage());
        }
        if (!h.pool().equals(uuid)) {
            throw MpoolException.corrupt(
                    CounterFiles.pathOf(uuid) + ": the counter page of pool " + h.pool() + ", not of " + uuid);
        }
        OptionalLong holder = PoolLockFiles.holder(uuid);
        boolean live = h.closedMillis() == 0 && holder.isPresent() && holder.getAsLong() == h.pid();
        return Optional.of(new PoolCounters(
                h.pool(), h.pid(), h.openedMillis(), h.closedMillis(), live, Counters.read(copy.get(), h.count())));
    }
}
