package org.mpool.log;

import java.util.concurrent.locks.LockSupport;
import org.mpool.device.BlockDevice;
import org.mpool.device.ForwardingDevice;

/** A device whose flushes take as long as a real cache flush (fdatasync) does. */
final class LatencyDevice extends ForwardingDevice {
    private final long flushNanos;

    LatencyDevice(BlockDevice inner, long flushNanos) {
        super(inner);
        this.flushNanos = flushNanos;
    }

    @Override
    public void flush() {
        LockSupport.parkNanos(flushNanos);
        super.flush();
    }
}
