package org.mpool.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The sync appenders of an {@link RecordLog} parked until a flush round makes their records durable.
 * Each parks on its own with the log position it waits for, so a round's end can wake just the
 * ones it made durable (they return without retaking the log's lock) and one other to lead the
 * next round, while the rest sleep on. On a Condition all of them woke and retook the lock one
 * after another, each only when the one before it let go: on 2 cores a chain of wake-ups about
 * as long as a flush, which kept released threads from coming back with their next records.
 *
 * <p>{@link #add} and {@link #release} run under the log's lock; {@link #await} and
 * {@link #unpark} without it.
 */
final class ParkedAppenders {
    /** One parked appender. */
    static final class Waiter {
        private final Thread thread = Thread.currentThread();
        private final long target;
        private volatile boolean woken;

        private Waiter(long target) {
            this.target = target;
        }
    }

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** How many appenders are parked (or about to park). */
    int size() {
        return waiters.size();
    }

    /** Registers the calling thread as waiting for {@code target}; park with {@link #await}. */
    Waiter add(long target) {
        Waiter w = new Waiter(target);
        waiters.add(w);
        return w;
    }

    /**
     * Parks until {@code w} is released. Uninterruptible, as the flush it waits for is; the
     * interrupt status is kept.
     */
    static void await(Waiter w) {
        boolean interrupted = false;
        while (!w.woken) {
            LockSupport.park(w);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Releases every appender waiting for a position up to {@code durableEnd} (all of them
     * with {@code all}, to hear of a failure or a close), and, with {@code leaderWanted}, the
     * longest waiting of the others, to lead the next round. Returns the threads to
     * {@link #unpark}: the caller may first let the log's lock go, so that a released thread
     * coming straight back to append does not find it held.
     */
    List<Thread> release(long durableEnd, boolean all, boolean leaderWanted) {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Thread> released = new ArrayList<>(waiters.size());
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.target > durableEnd && !all) {
                if (!leaderWanted) {
                    continue;
                }
                leaderWanted = false;
            }
            it.remove();
            w.woken = true;
            released.add(w.thread);
        }
        return released;
    }

    static void unpark(List<Thread> released) {
        released.forEach(LockSupport::unpark);
    }
}
