package org.mpool.log;

import java.util.concurrent.locks.LockSupport;
import org.mpool.device.ForwardingDevice;
import org.mpool.spi.BlockDevice;

/**
 * A device whose flushes take as long as a real cache flush (fdatasync) does. The flush makes
 * durable what was written before it was called, then takes its time: writes made while it
 * runs (a log writes its next records during a flush) are not covered, the strictest a real
 * device may be, so a log that counted them as durable would lose them in a crash test.
 */
final class LatencyDevice extends ForwardingDevice {
    private final long flushNanos;

    LatencyDevice(BlockDevice inner, long flushNanos) {
        super(inner);
        this.flushNanos = flushNanos;
    }

    @Override
    public void flush() {
        super.flush();
        LockSupport.parkNanos(flushNanos);
    }
}
