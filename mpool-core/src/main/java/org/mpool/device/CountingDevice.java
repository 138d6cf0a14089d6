package org.mpool.device;

import java.lang.foreign.MemorySegment;
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
        boolean failed = true;
        try {
            inner().read(offset, buffer);
            failed = false;
        } finally {
            done(event, "read", offset, buffer.byteSize(), failed, Counter.DEVICE_READS, Counter.DEVICE_READ_BYTES);
        }
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        boolean failed = true;
        try {
            inner().write(offset, buffer);
            failed = false;
        } finally {
            done(event, "write", offset, buffer.byteSize(), failed, Counter.DEVICE_WRITES, Counter.DEVICE_WRITE_BYTES);
        }
    }

    @Override
    public void flush() {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        boolean failed = true;
        try {
            inner().flush();
            failed = false;
        } finally {
            done(event, "flush", 0, 0, failed, Counter.DEVICE_FLUSHES, null);
        }
    }

    @Override
    public void discard(long offset, long length) {
        Events.DeviceIo event = new Events.DeviceIo();
        event.begin();
        boolean failed = true;
        try {
            inner().discard(offset, length);
            failed = false;
        } finally {
            done(event, "discard", offset, length, failed, Counter.DEVICE_DISCARDS, Counter.DEVICE_DISCARD_BYTES);
        }
    }

    private void done(
            Events.DeviceIo event, String op, long offset, long bytes, boolean failed, Counter calls, Counter amount) {
        event.end();
        if (failed) {
            counters.increment(Counter.DEVICE_ERRORS);
        } else {
            counters.increment(calls);
            if (amount != null) {
                counters.add(amount, bytes);
            }
        }
        if (event.shouldCommit()) {
            event.device = name();
            event.operation = op;
            event.offset = offset;
            event.bytes = bytes;
            event.failed = failed;
            event.commit();
        }
    }
}
