package org.mpool.cache;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The reaper thread: one daemon per process, started with the first map, that scans every
 * registered pool ({@link CacheDomain}) when its period is due. All decisions are in the
 * domain and in {@link ReaperPolicy}; this is only the loop.
 */
final class ReaperThread {
    /** Longest sleep when nothing is due; config changes and registrations wake it earlier. */
    private static final long IDLE_NANOS = 1_000_000_000L;

    private static final Set<CacheDomain> DOMAINS = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private ReaperThread() {}

    static synchronized void register(CacheDomain domain) {
        DOMAINS.add(domain);
        if (thread == null) {
            thread = Thread.ofPlatform().name("mpool-reaper").daemon(true).start(ReaperThread::run);
        }
        LockSupport.unpark(thread); // a permit is kept if the thread is busy: the wake-up is never lost
    }

    /** A domain closed; when it was the last one, the reaper and prefetch threads end. */
    static synchronized void unregister(CacheDomain domain) {
        DOMAINS.remove(domain);
        if (DOMAINS.isEmpty() && thread != null) {
            thread.interrupt();
            thread = null;
            Prefetcher.stop();
        }
    }

    /** Wakes the thread to pick up a changed period. */
    static synchronized void wake() {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private static void run() {
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            long next = now + IDLE_NANOS;
            for (CacheDomain d : DOMAINS) {
                if (now - d.nextScanNanos() >= 0) {
                    d.scan(0); // never throws: a domain counts its own failures
                }
                next = Math.min(next, d.nextScanNanos());
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
        }
    }
}
