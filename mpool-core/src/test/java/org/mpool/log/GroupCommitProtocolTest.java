package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit protocol on its own, without a log: who leads, who gathers, who takes a
 * round over, who is released. Threads stand in for sync appenders; waits are bounded by the
 * protocol itself (a gather's cap), never by sleeps.
 */
class GroupCommitProtocolTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final ReentrantLock lock = new ReentrantLock();
    /** Appenders need threads of their own: the common pool may have one worker on 2 cores. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @Test
    void aLeaderAloneNeverWaits() {
        GroupCommit group = new GroupCommit(lock, 10 * SECOND);
        group.roundTook(40 * SECOND);
        group.enter();
        lock.lock();
        try {
            long start = System.nanoTime();
            assertThat(group.allJoined())
                    .as("one appender, the leader: everyone has joined")
                    .isTrue();
            assertThat(group.gather()).as("the leader still leads").isTrue();
            assertThat(System.nanoTime() - start).as("no wait for nobody").isLessThan(SECOND);
        } finally {
            lock.unlock();
        }
        group.leave();
    }

    @Test
    void aGatherEndsWhenTheAppenderItWaitsForLeavesInstead() throws Exception {
        GroupCommit group = new GroupCommit(lock, 60 * SECOND);
        group.roundTook(240 * SECOND); // the cap, not the round, bounds the wait: 60 s
        group.enter(); // the leader
        group.enter(); // another appender, on its way
        CompletableFuture<Long> gathered = CompletableFuture.supplyAsync(
                () -> {
                    lock.lock();
                    try {
                        long start = System.nanoTime();
                        boolean leads = group.gather();
                        assertThat(leads).as("nobody took the round over").isTrue();
                        return System.nanoTime() - start;
                    } finally {
                        lock.unlock();
                    }
                },
                threads);
        awaitGathering(group);
        group.leave(); // the other appender returns without a record: the leader is told
        long waited = gathered.get(30, TimeUnit.SECONDS);
        assertThat(waited).as("woken by the leave, not by the 60 s cap").isLessThan(30 * SECOND);
        group.leave();
    }

    @Test
    void theLastArrivalTakesTheRoundOverAndTheLeaderNoLongerLeads() throws Exception {
        GroupCommit group = new GroupCommit(lock, 60 * SECOND);
        group.roundTook(4 * SECOND); // a gather waits at most 1 s
        group.enter(); // A, the leader
        group.enter(); // B, who parks waiting for a round
        group.enter(); // C, the last to arrive
        AtomicLong durable = new AtomicLong(0);
        CompletableFuture<Boolean> parkedB = CompletableFuture.supplyAsync(
                () -> {
                    lock.lock();
                    return group.awaitRound(100, false, durable::get);
                },
                threads);
        awaitParked(group, 1);
        CompletableFuture<Boolean> leaderA = CompletableFuture.supplyAsync(
                () -> {
                    lock.lock();
                    try {
                        return group.gather();
                    } finally {
                        lock.unlock();
                    }
                },
                threads);
        awaitGathering(group);
        boolean tookOver;
        lock.lock();
        try {
            tookOver = group.takeOverGather(false);
            assertThat(group.takeOverGather(false))
                    .as("a round is taken over once")
                    .isFalse();
            // C ran the round: everything up to 200 is durable; its end releases B.
            durable.set(200);
            List<Thread> released = group.release(durable.get(), false, true);
            assertThat(released).as("B waited for 100, now durable").hasSize(1);
            ParkedAppenders.unpark(released);
        } finally {
            lock.unlock();
        }
        assertThat(tookOver)
                .as("C, the last appender A waited for, takes the round over")
                .isTrue();
        assertThat(leaderA.get(30, TimeUnit.SECONDS))
                .as("A learns its gather was taken over")
                .isFalse();
        assertThat(parkedB.get(30, TimeUnit.SECONDS))
                .as("B returns: its record is durable")
                .isTrue();
        assertThat(lock.isLocked()).as("B returned without retaking the lock").isFalse();
    }

    @Test
    void aRoundThatIsNotTheLastArrivalsIsNotTakenOver() {
        GroupCommit group = new GroupCommit(lock, 0); // gathers end at once
        group.enter();
        group.enter();
        group.enter();
        lock.lock();
        try {
            assertThat(group.takeOverGather(false))
                    .as("nobody gathers: nothing to take over")
                    .isFalse();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aReleaseWakesThoseMadeDurableAndOneLeader() throws Exception {
        GroupCommit group = new GroupCommit(lock);
        AtomicLong durable = new AtomicLong();
        CompletableFuture<Boolean> early = park(group, 10, durable);
        awaitParked(group, 1);
        CompletableFuture<Boolean> late = park(group, 1000, durable);
        awaitParked(group, 2);
        CompletableFuture<Boolean> later = park(group, 2000, durable);
        awaitParked(group, 3);
        lock.lock();
        try {
            durable.set(500);
            List<Thread> released = group.release(500, false, true);
            assertThat(released)
                    .as("the one made durable, and the longest waiting other to lead")
                    .hasSize(2);
            ParkedAppenders.unpark(released);
        } finally {
            lock.unlock();
        }
        assertThat(early.get(30, TimeUnit.SECONDS)).as("10 <= 500: durable").isTrue();
        assertThat(late.get(30, TimeUnit.SECONDS))
                .as("woken to lead, not durable: it looks again")
                .isFalse();
        assertThat(group.parkedCount()).as("the third still waits").isEqualTo(1);
        lock.lock();
        try {
            ParkedAppenders.unpark(group.release(500, true, false)); // a close: everyone hears
        } finally {
            lock.unlock();
        }
        assertThat(later.get(30, TimeUnit.SECONDS))
                .as("released by the close, its record not durable")
                .isFalse();
    }

    private CompletableFuture<Boolean> park(GroupCommit group, long target, AtomicLong durable) {
        return CompletableFuture.supplyAsync(
                () -> {
                    lock.lock();
                    boolean done = group.awaitRound(target, false, durable::get);
                    if (lock.isHeldByCurrentThread()) {
                        lock.unlock();
                    }
                    return done;
                },
                threads);
    }

    /** Waits (bounded) until {@code n} appenders are parked; the protocol, not a sleep, decides. */
    private void awaitParked(GroupCommit group, int n) {
        long deadline = System.nanoTime() + 30 * SECOND;
        while (true) {
            lock.lock();
            try {
                if (group.parkedCount() >= n) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            assertThat(System.nanoTime())
                    .as("%d appenders parked within 30 s", n)
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /**
     * Waits (bounded) until a leader gathers. A leader marks its gather and waits with the lock
     * released, so holding the lock while the mark is set means the leader is in its wait.
     */
    private void awaitGathering(GroupCommit group) {
        long deadline = System.nanoTime() + 30 * SECOND;
        while (true) {
            lock.lock();
            try {
                if (group.isGathering()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            assertThat(System.nanoTime()).as("a leader gathers within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }
}
