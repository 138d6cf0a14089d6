package org.mpool.device;

import java.lang.foreign.MemorySegment;
import org.mpool.common.MpoolException;
import org.mpool.observe.Counter;
import org.mpool.observe.Counters;
import org.mpool.observe.Events;
import org.mpool.spi.BlockDevice;

/**
 * Counts a pool's device calls into its {@link Counters} and tells the flight recorder of each
 * ({@link Events.DeviceIo}, its duration the call's latency). Sits under the flush-combining
 * device, so a flush counted is one that reached the device. When no recording runs, the event
 * costs a few field reads; the counters an atomic add each.
 */
public final class CountingDevice extends ForwardingDevice {
    private final Counters counters;

    public CountingDevice(BlockDevice inner, Counters counters) {
        super(inner);
        this.counters = counters;
    }

    @Override
    public void read(long offset, MemorySegment buffer) {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        Outcome outcome = Outcome.FAILED;
        try {
            inner().read(offset, buffer);
            outcome = Outcome.DONE;
        } catch (MpoolException e) {
            outcome = refused(e) ? Outcome.REFUSED : Outcome.FAILED;
            throw e;
        } finally {
            done(event, "read", offset, buffer.byteSize(), outcome, Counter.DEVICE_READS, Counter.DEVICE_READ_BYTES);
        }
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        Outcome outcome = Outcome.FAILED;
        try {
            inner().write(offset, buffer);
            outcome = Outcome.DONE;
        } catch (MpoolException e) {
            outcome = refused(e) ? Outcome.REFUSED : Outcome.FAILED;
            throw e;
        } finally {
            done(event, "write", offset, buffer.byteSize(), outcome, Counter.DEVICE_WRITES, Counter.DEVICE_WRITE_BYTES);
        }
    }

    @Override
    public void flush() {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        Outcome outcome = Outcome.FAILED;
        try {
            inner().flush();
            outcome = Outcome.DONE;
        } catch (MpoolException e) {
            outcome = refused(e) ? Outcome.REFUSED : Outcome.FAILED;
            throw e;
        } finally {
            done(event, "flush", 0, 0, outcome, Counter.DEVICE_FLUSHES, null);
        }
    }

    @Override
    public void discard(long offset, long length) {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        Outcome outcome = Outcome.FAILED;
        try {
            inner().discard(offset, length);
            outcome = Outcome.DONE;
        } catch (MpoolException e) {
            outcome = refused(e) ? Outcome.REFUSED : Outcome.FAILED;
            throw e;
        } finally {
            done(event, "discard", offset, length, outcome, Counter.DEVICE_DISCARDS, Counter.DEVICE_DISCARD_BYTES);
        }
    }

    /** A call the device refused for its arguments (a heap or unaligned buffer) before any I/O. */
    private static boolean refused(MpoolException e) {
        return e.code() == MpoolException.ErrorCode.INVALID_ARGUMENT;
    }

    /** How a device call ended: done, failed, or refused for its arguments before any I/O. */
    private enum Outcome {
        DONE,
        FAILED,
        REFUSED
    }

    private void done(
            Events.DeviceIo event, String op, long offset, long bytes, Outcome outcome, Counter calls, Counter amount) {
        event.end();
        switch (outcome) {
            case DONE -> {
                counters.increment(calls);
                if (amount != null) {
                    counters.add(amount, bytes);
                }
            }
            case FAILED -> counters.increment(Counter.DEVICE_ERRORS);
            case REFUSED -> {} // a caller's mistake (a heap or unaligned buffer): no I/O, no device error
        }
        if (event.shouldCommit()) {
            event.device = name();
            event.operation = op;
            event.offset = offset;
            event.bytes = bytes;
            event.failed = outcome != Outcome.DONE;
            event.commit();
        }
    }
}
