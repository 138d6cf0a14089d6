package org.mpool.device;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a descriptor's number from reaching a system call after it was closed. A check of a
 * "closed" flag before pwrite is not enough: close(fd) can run between the check and the call,
 * the number be reused by the next open of the process, and the write land in that file. Every
 * call {@link #enter}s the gate and {@link #exit}s it; {@link #close} shuts it to new calls and
 * waits for those in flight, so the descriptor is closed only when none can use it any more.
 * Two atomic operations per call: nothing next to the call itself.
 */
final class IoGate {
    /** The sign bit: shut; the other bits count calls in flight. */
    private static final int SHUT = Integer.MIN_VALUE;

    private final AtomicInteger state = new AtomicInteger();

    /** Admits one call; false once the gate is shut. */
    boolean enter() {
        while (true) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    void exit() {
        int s = state.decrementAndGet();
        assert (s & ~SHUT) >= 0 : "more exits than entries";
    }

    /** Shuts the gate and returns once no admitted call is in flight; false if it was shut already. */
    boolean close() {
        while (true) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            if (state.compareAndSet(s, s | SHUT)) {
                break;
            }
        }
        while (state.get() != SHUT) {
            LockSupport.parkNanos(20_000); // calls in flight finish within an I/O's time
        }
        return true;
    }

    boolean isShut() {
        return state.get() < 0;
    }
}
