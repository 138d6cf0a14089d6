package org.mpool.log;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The group commit protocol of a {@link RecordLog}: which sync appender leads the next flush
 * round, how long a leader waits for the others to join it, and who waits for whose round.
 * The log keeps the data (ring, ends, the I/O slot); this class keeps who is where.
 *
 * <p>A sync appender {@link #enter enters} before it takes the log's lock and {@link #leave
 * leaves} after its append returns: the count of those inside tells a leader how many are on
 * their way. A leader about to run a round while some of them neither wait for a round nor
 * have returned {@link #gather gathers}: it holds the I/O slot and waits, at most a quarter of
 * the last round's time (and never more than {@value #MAX_GATHER_MILLIS} ms), until all have.
 * Without it the threads a round releases come back one by one, and the first leads a round of
 * one record. The last of them to arrive {@link #takeOverGather takes the round over} instead of
 * waking the leader (a wake-up is the dearest step of a round on a 2-core VM); the gather's
 * number tells the leader it was taken over. Appenders whose records a round has not made
 * durable {@link #awaitRound park} until one has (see {@link ParkedAppenders}).
 *
 * <p>Everything here runs under the log's lock, except {@link #enter}, the unlocked part of
 * {@link #leave}, and the wait inside {@link #awaitRound}.
 */
final class GroupCommit {
    /** The longest a round waits for sync appenders on their way in: a round costs a flush. */
    private static final long MAX_GATHER_MILLIS = 1;

    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_GATHER_MILLIS);
    /** A first guess at a round's time, until one is measured. */
    private static final long FIRST_ROUND_NANOS = TimeUnit.MICROSECONDS.toNanos(400);

    private final ReentrantLock lock;
    private final long maxGatherNanos;
    /** Signalled when every sync appender inside the log waits for a round. */
    private final Condition joined;
    /** Threads inside a sync append, from the call to the return; counted without the lock. */
    private final AtomicInteger committers = new AtomicInteger();
    /** A leader is gathering; read without the lock by sync appenders on their way out. */
    private volatile boolean gathering;
    /**
     * Counts gathers; {@link #takenGather} names the last one an arriving appender took over.
     * A gather whose number is at most that was taken over: a later gather can only have
     * started once this one's claim on the I/O slot passed to the appender that took it over.
     */
    private long gatherId;

    private long takenGather;
    /** How long the last flush round took: a round waits at most a quarter of it for joiners. */
    private long roundNanos = FIRST_ROUND_NANOS;
    /** Sync appenders waiting for a round to make their records durable. */
    private final ParkedAppenders parked = new ParkedAppenders();

    GroupCommit(ReentrantLock lock) {
        this(lock, MAX_GATHER_NANOS);
    }

    /** With a gather wait capped at {@code maxGatherNanos} instead of the default (tests). */
    GroupCommit(ReentrantLock lock, long maxGatherNanos) {
        assert maxGatherNanos >= 0 : maxGatherNanos;
        this.lock = lock;
        this.maxGatherNanos = maxGatherNanos;
        this.joined = lock.newCondition();
    }

    /** A sync appender arrives; call before taking the lock. */
    void enter() {
        committers.incrementAndGet();
    }

    /**
     * A sync appender returns; call after releasing the lock. A gathering leader may be
     * waiting for it, counting it as one on its way back with another record; it is not
     * coming, so the leader is told.
     */
    void leave() {
        int left = committers.decrementAndGet();
        assert left >= 0 : "more sync appenders left than entered";
        if (gathering) {
            lock.lock();
            try {
                if (gathering && allJoined()) {
                    joined.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether every counted sync appender but the leader waits for a round. */
    boolean allJoined() {
        return committers.get() <= parked.size() + 1;
    }

    /** Whether every counted sync appender but the leader and the caller waits for a round. */
    private boolean lastToJoin() {
        return committers.get() <= parked.size() + 2;
    }

    /**
     * If a leader is gathering and the caller is the last appender it waits for (and no record
     * is in progress), the caller takes the round over: it runs the round itself, the I/O slot
     * staying claimed, and the leader, woken later, waits for that round like any other.
     * Returns whether the caller took it over. Called with the lock held.
     */
    boolean takeOverGather(boolean recordInProgress) {
        assert lock.isHeldByCurrentThread();
        if (!gathering || recordInProgress || !lastToJoin()) {
            return false;
        }
        takenGather = gatherId;
        gathering = false;
        return true;
    }

    /**
     * Waits, with the I/O slot claimed by the caller, at most a quarter of a round, until every
     * sync appender inside the log has its record in the ring and waits for a round, or has
     * returned. Threads a round has just released count: in a busy log they are back with their
     * next record within microseconds. A single thread never waits here: nobody else is counted.
     * Returns true if the caller still leads (it must release the slot itself if it does not
     * go on to run the round), false if an arrival took the round over: the slot is that
     * arrival's now, and the caller waits for its round like any other. Called with the lock held.
     */
    boolean gather() {
        assert lock.isHeldByCurrentThread();
        gathering = true;
        long id = ++gatherId;
        long nanos = Math.min(maxGatherNanos, roundNanos / 4);
        try {
            while (nanos > 0 && takenGather < id && !allJoined()) {
                nanos = joined.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop gathering; the round goes on
        }
        boolean stillLeads = takenGather < id;
        if (stillLeads) {
            gathering = false;
        }
        return stillLeads;
    }

    /**
     * Parks, with the lock released, until a round makes {@code target} durable or this thread
     * is woken to lead the next one. Returns true, without retaking the lock unless
     * {@code keepLock}, when {@code target} is durable; else returns false with the lock held,
     * to look again. Called with the lock held.
     */
    boolean awaitRound(long target, boolean keepLock, LongSupplier durableEnd) {
        assert lock.isHeldByCurrentThread();
        ParkedAppenders.Waiter me = parked.add(target);
        if (gathering && allJoined()) {
            joined.signal();
        }
        lock.unlock();
        ParkedAppenders.await(me);
        if (durableEnd.getAsLong() >= target && !keepLock) {
            return true;
        }
        lock.lock();
        return durableEnd.getAsLong() >= target;
    }

    /**
     * The parked appenders a round's end releases (see {@link ParkedAppenders#release}); the
     * caller unparks them, with the lock released if it can. Called with the lock held.
     */
    List<Thread> release(long durableEnd, boolean all, boolean leaderWanted) {
        assert lock.isHeldByCurrentThread();
        return parked.release(durableEnd, all, leaderWanted);
    }

    /** Whether a leader is gathering now (for tests: with the lock held, it is waiting). */
    boolean isGathering() {
        return gathering;
    }

    /** Appenders parked waiting for a round (for tests and assertions). */
    int parkedCount() {
        return parked.size();
    }

    /** A flush round took {@code nanos}: the next gather waits at most a quarter of it. */
    void roundTook(long nanos) {
        assert nanos >= 0 : nanos;
        roundNanos = nanos;
    }
}
