package org.mpool.cache;

import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Reads ahead for {@code willNeed} on a thread of its own: one daemon per process, started with
 * the first request. The caller only queues the range and returns.
 *
 * <p>Why a thread: a cold sequential scan that issued MADV_WILLNEED itself, 32 MiB ahead, ran
 * at 550-570 MiB/s here, and as fast with another thread mapping the pages in behind it
 * (610-640): the madvise call allocates and submits the readahead synchronously, and the
 * reader spent its time there. With this thread issuing MADV_WILLNEED two chunks ahead and
 * MADV_POPULATE_READ behind (which maps the pages, so the reader takes no faults), the same
 * scan ran at 1,210-1,600 MiB/s (docs/PERFORMANCE.md). The maps keep MADV_RANDOM: a populate
 * or a fault never reads around into other objects' zones, since every page it needs was
 * asked for by WILLNEED first.
 */
final class Prefetcher {
    /** One madvise call: MADV_WILLNEED honours about 8 MiB a call here (see PageCache). */
    static final long CHUNK_BYTES = PageCache.WILLNEED_CHUNK_BYTES;
    /** Chunks whose readahead is in flight while the thread maps in the oldest one. */
    private static final int DEPTH = 2;

    /** A part of a map to read ahead, inside one slot's mapped bytes. */
    record Chunk(CacheMap map, long offset, long length) {}

    private static final LinkedBlockingQueue<Chunk> QUEUE = new LinkedBlockingQueue<>();
    private static Thread thread;

    private Prefetcher() {}

    /** Queues {@code [offset, offset + length)} of {@code map}, in chunks. */
    static void submit(CacheMap map, long offset, long length) {
        for (long off = 0; off < length; off += CHUNK_BYTES) {
            QUEUE.add(new Chunk(map, offset + off, Math.min(CHUNK_BYTES, length - off)));
        }
        start();
    }

    private static synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("mpool-prefetch").daemon(true).start(Prefetcher::run);
        }
    }

    /** No map is left: the thread ends (a later request starts it again); what was queued is dropped. */
    static synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
            QUEUE.clear();
        }
    }

    private static void run() {
        ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
        while (true) {
            try {
                Chunk next = inFlight.isEmpty() ? QUEUE.take() : QUEUE.poll();
                while (next != null) {
                    next.map().startReadahead(next.offset(), next.length());
                    inFlight.add(next);
                    next = inFlight.size() <= DEPTH ? QUEUE.poll() : null;
                }
                Chunk oldest = inFlight.poll();
                oldest.map().populate(oldest.offset(), oldest.length());
            } catch (InterruptedException e) {
                return; // stopped: the last map closed
            } catch (RuntimeException e) {
                // startReadahead and populate count their own failures; nothing else throws.
            }
        }
    }
}
