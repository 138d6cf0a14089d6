package org.mpool.testing;

import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * The power supply the {@link FaultInjectingDevice}s of one machine share: they count their
 * writes and flushes on one clock, in issue order, and power fails for all of them at once —
 * when a given write is issued, or while a given flush is under way. A pool with a staging
 * device runs on two devices of one clock, so a crash point is a point of the pool's whole
 * history, and each device's unflushed writes meet their fates in the same crash.
 * Operations of all the devices of a clock are serialised on it.
 */
public final class CrashClock {
    private long writes;
    private long flushes;
    private long crashAfterWrites = Long.MAX_VALUE;
    private long failFlushesFrom = Long.MAX_VALUE;
    private boolean crashed;

    /**
     * Power fails when write number {@code n + 1} is issued (counting every write of the
     * clock's devices since it was made): that write and every later operation fail with IO.
     */
    public synchronized void crashAfterWrites(long n) {
        crashAfterWrites = n;
    }

    /**
     * Power fails while flush number {@code k + 1} is under way: that flush fails with IO, so
     * the writes before it stay unflushed, and every later operation fails.
     */
    public synchronized void crashDuringFlush(long k) {
        failFlushesFrom = k;
    }

    /** Power fails now. */
    public synchronized void crashNow() {
        crashAfterWrites = writes;
        crashed = true;
    }

    public synchronized boolean crashed() {
        return crashed;
    }

    public synchronized long writeCount() {
        return writes;
    }

    public synchronized long flushCount() {
        return flushes;
    }

    /** A write is being issued: fails it if power is off (or goes off now). */
    synchronized void beforeWrite(String what) {
        if (!crashed && writes >= crashAfterWrites) {
            crashed = true;
        }
        failIfCrashed(what);
    }

    synchronized void wrote() {
        writes++;
    }

    /** A flush is being issued: fails it if power is off, or goes off during this one. */
    synchronized void beforeFlush(String what) {
        failIfCrashed(what);
        if (flushes >= failFlushesFrom) {
            crashed = true;
            throw new MpoolException(ErrorCode.IO, what + ": simulated power loss during the flush");
        }
    }

    synchronized void flushed() {
        flushes++;
    }

    synchronized void failIfCrashed(String what) {
        if (crashed) {
            throw new MpoolException(ErrorCode.IO, what + ": simulated power loss");
        }
    }
}
