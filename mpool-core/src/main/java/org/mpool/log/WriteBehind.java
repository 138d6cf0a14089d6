package org.mpool.log;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that write full log blocks out in the background ({@code mpool-log-writer}),
 * shared by every log of the process. They exist only while someone holds them: each open pool
 * {@link #acquire}s them and {@link #release}s them when it closes, and when the last one does,
 * the threads end (a client's test framework checks that no thread outlives its pools). A log
 * used without a pool still gets its write-outs run: a task arriving while no pool holds the
 * threads starts them again. Idle threads end after {@value #IDLE_MILLIS} ms in any case: a
 * busy log keeps its thread, a quiet process keeps none.
 */
public final class WriteBehind {
    /** How long an idle write-behind thread waits for work before it ends. */
    static final long IDLE_MILLIS = 500;

    private static ExecutorService executor;
    private static int holders;
    /** Threads whose write-outs run inline: see {@link #inlineOnThisThread}. */
    private static final ThreadLocal<Boolean> INLINE = ThreadLocal.withInitial(() -> false);

    private WriteBehind() {}

    /**
     * Write-outs started by the calling thread run on it, at once, until {@code inline} is set
     * false again. For workloads that must write the device in the same order on every run (a
     * crash explorer names crash points by write number); a write-out is allowed to happen at
     * any time after its append, so running it early changes no outcome.
     */
    public static void inlineOnThisThread(boolean inline) {
        if (inline) {
            INLINE.set(true);
        } else {
            INLINE.remove();
        }
    }

    /** Runs {@code task} on a write-behind thread. */
    static void execute(Runnable task) {
        if (INLINE.get()) {
            task.run();
            return;
        }
        while (true) {
            try {
                current().execute(task);
                return;
            } catch (RejectedExecutionException e) {
                // the last holder let go between current() and execute(): start afresh
                synchronized (WriteBehind.class) {
                    if (executor != null && executor.isShutdown()) {
                        executor = null;
                    }
                }
            }
        }
    }

    /** A pool opens: the threads are kept for it. */
    public static synchronized void acquire() {
        holders++;
    }

    /** A pool closed: when no pool holds the threads any more, they end once their tasks are done. */
    public static synchronized void release() {
        assert holders > 0 : "released more than acquired";
        if (--holders == 0 && executor != null) {
            executor.shutdown(); // queued write-outs still run; idle threads end now
            executor = null;
        }
    }

    private static synchronized ExecutorService current() {
        if (executor == null) {
            executor = new ThreadPoolExecutor(
                    0, Integer.MAX_VALUE, IDLE_MILLIS, TimeUnit.MILLISECONDS, new SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "mpool-log-writer");
                        t.setDaemon(true);
                        return t;
                    });
        }
        return executor;
    }
}
