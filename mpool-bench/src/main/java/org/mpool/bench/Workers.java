package org.mpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads of a multi-threaded case. A failure in one of them fails the case: a thread that
 * died quietly would leave a figure measured with fewer threads than its label says.
 */
final class Workers {
    /** What thread number {@code thread} does. */
    @FunctionalInterface
    interface Body {
        void run(int thread) throws Exception;
    }

    private Workers() {}

    /** Runs {@code body} on {@code threads} platform threads and waits for all of them. */
    static void run(int threads, Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    body.run(thread);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a worker thread failed: " + failure.get(), failure.get());
        }
    }
}
