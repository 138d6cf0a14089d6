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
        call(Op.READ, offset, buffer.byteSize(), buffer);
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        call(Op.WRITE, offset, buffer.byteSize(), buffer);
    }

    @Override
    public void flush() {
        call(Op.FLUSH, 0, 0, null);
    }

    @Override
    public void discard(long offset, long length) {
        call(Op.DISCARD, offset, length, null);
    }

    /** A device call, what it counts as, and which counters it adds to when it is done. */
    private enum Op {
        READ("read", Counter.DEVICE_READS, Counter.DEVICE_READ_BYTES),
        WRITE("write", Counter.DEVICE_WRITES, Counter.DEVICE_WRITE_BYTES),
        FLUSH("flush", Counter.DEVICE_FLUSHES, null),
        DISCARD("discard", Counter.DEVICE_DISCARDS, Counter.DEVICE_DISCARD_BYTES);

        final String label;
        final Counter calls;
        /** The byte counter, or null (a flush moves no bytes). */
        final Counter bytes;

        Op(String label, Counter calls, Counter bytes) {
            this.label = label;
            this.calls = calls;
            this.bytes = bytes;
        }
    }

    /** Makes the call on the inner device, timed, counted, and told to the flight recorder. */
    private void call(Op op, long offset, long bytes, MemorySegment buffer) {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        Outcome outcome = Outcome.FAILED;
        try {
            switch (op) {
                case READ -> inner().read(offset, buffer);
                case WRITE -> inner().write(offset, buffer);
                case FLUSH -> inner().flush();
                case DISCARD -> inner().discard(offset, bytes);
            }
            outcome = Outcome.DONE;
        } catch (MpoolException e) {
            outcome = refused(e) ? Outcome.REFUSED : Outcome.FAILED;
            throw e;
        } finally {
            done(event, op, offset, bytes, outcome);
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

    private void done(Events.DeviceIo event, Op op, long offset, long bytes, Outcome outcome) {
        event.end();
        switch (outcome) {
            case DONE -> {
                counters.increment(op.calls);
                if (op.bytes != null) {
                    counters.add(op.bytes, bytes);
                }
            }
            case FAILED -> counters.increment(Counter.DEVICE_ERRORS);
            case REFUSED -> {} // a caller's mistake (a heap or unaligned buffer): no I/O, no device error
        }
        if (event.shouldCommit()) {
            event.device = name();
            event.operation = op.label;
            event.offset = offset;
            event.bytes = bytes;
            event.failed = outcome != Outcome.DONE;
            event.commit();
        }
    }
}
