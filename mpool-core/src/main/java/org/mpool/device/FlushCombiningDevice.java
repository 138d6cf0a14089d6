package org.mpool.device;

import org.mpool.common.MpoolException;
import org.mpool.spi.BlockDevice;

/**
 * Lets concurrent flushes of one device share a single device flush. Several logs (the
 * metadata shards, user mlogs) and mblock commits live on the same device; each needs its
 * writes durable, and one fdatasync covers them all.
 *
 * <p>Correctness: a caller takes a ticket when it asks for a flush, after its writes have
 * completed. A device flush that starts when tickets up to R have been handed out covers
 * tickets up to R. A caller returns only once a flush covering its ticket has completed —
 * never on the strength of a flush that was already running when it asked.
 *
 * <p>A failed flush poisons the device: every later flush fails too. The device may have
 * dropped any write it had accepted before the failure — also writes of callers that never
 * saw the error — and a later flush that succeeds says nothing about those. Only reopening,
 * which reads what is really on the media, can go on.
 */
public final class FlushCombiningDevice extends ForwardingDevice {
    private final Object lock = new Object();
    private long requested;
    private long completed;
    private boolean flushing;
    private MpoolException failure;

    public FlushCombiningDevice(BlockDevice inner) {
        super(inner);
    }

    @Override
    public void flush() {
        long ticket;
        synchronized (lock) {
            ticket = ++requested;
            while (true) {
                if (completed >= ticket) {
                    return; // a flush that succeeded covered this caller, whatever failed since
                }
                if (failure != null) {
                    throw new MpoolException(
                            failure.code(),
                            name() + ": an earlier flush failed, so writes made before it"
                                    + " may be lost; reopen to go on: " + failure.getMessage(),
                            failure);
                }
                if (!flushing) {
                    break;
                }
                waitQuietly();
            }
            flushing = true;
        }
        long covers;
        synchronized (lock) {
            covers = requested;
        }
        try {
            inner().flush();
            synchronized (lock) {
                assert covers >= ticket && covers <= requested
                        : "a flush covers tickets " + covers + " of " + requested;
                completed = Math.max(completed, covers);
            }
        } catch (MpoolException e) {
            synchronized (lock) {
                failure = e;
            }
            throw e;
        } finally {
            synchronized (lock) {
                flushing = false;
                lock.notifyAll();
            }
        }
    }

    private void waitQuietly() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MpoolException(MpoolException.ErrorCode.IO, "interrupted while waiting for a flush of " + name());
        }
    }
}
