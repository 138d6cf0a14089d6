package org.mpool.lucene;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write the outputs' full buffers to their mblocks, so that the thread filling
 * an output (a flush, a merge) goes on encoding while the device writes: each output has at most
 * one buffer in flight and fills its second meanwhile. Direct I/O takes no CPU while it waits,
 * so two threads keep a device busy without taking cores from Lucene. The threads end when idle
 * for a second, and when the directory closes.
 */
final class WriteBehind {
    static final int THREADS = 2;

    private final ThreadPoolExecutor executor;

    WriteBehind(String name) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                1,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform()
                        .daemon(true)
                        .name("mpool-lucene-write-" + name + "-" + n.incrementAndGet())
                        .unstarted(r));
        executor.allowCoreThreadTimeOut(true);
    }

    Future<?> submit(Runnable write) {
        return executor.submit(write);
    }

    /** Lets the writes under way finish, then ends the threads. */
    void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("writes of " + this + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
