package org.mpool.testing;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;

/**
 * Wraps a device to inject the failures real media have: I/O errors on chosen operations, and
 * power loss. It models a volatile write cache: a write is durable only once a later flush
 * completes. After a simulated crash, {@link #crashImage} builds what the media could hold:
 * every flushed write, plus a seeded random subset of the unflushed ones, some of them torn
 * at {@value #SECTOR}-byte granularity (each sector either old or new, in any combination).
 *
 * <p>Operations are serialised, so the order of writes and flushes is exact. Everything is
 * deterministic: the same workload and seed give the same image.
 */
public final class FaultInjectingDevice extends DeviceWrapper {
    /** The unit of atomicity on power loss. */
    public static final int SECTOR = 512;

    /** Operations a fault can be injected into. */
    public enum Op {
        READ,
        WRITE,
        FLUSH,
        DISCARD
    }

    /**
     * Fails {@code count} operations of kind {@code op} with {@code code} (IO as for EIO,
     * NO_SPACE as for ENOSPC...), after letting {@code skip} of them succeed; both count from
     * when the fault is injected.
     */
    public record Fault(Op op, ErrorCode code, long skip, long count) {}

    /** A fault and how many operations of its kind had been issued when it was injected. */
    private record Armed(Fault fault, long opsBefore) {
        boolean fires(Op op, long n) {
            long sinceInjected = n - opsBefore;
            return fault.op == op && sinceInjected >= fault.skip && sinceInjected - fault.skip < fault.count;
        }
    }

    /** What became of one unflushed write in a crash image. */
    public enum Fate {
        KEPT,
        TORN,
        LOST
    }

    private record PendingWrite(long offset, byte[] data) {}

    /** What the media holds for sure: the image as of the last completed flush. */
    private final MemoryDevice durable;

    private final List<PendingWrite> unflushed = new ArrayList<>();
    private final List<Armed> faults = new ArrayList<>();
    private final long[] opCounts = new long[Op.values().length];
    private long writes;
    private long flushes;
    private long crashAfterWrites = Long.MAX_VALUE;
    private boolean crashed;

    private FaultInjectingDevice(BlockDevice inner, boolean trackCrashState) {
        super(inner);
        this.durable = trackCrashState ? MemoryDevice.copyOf(inner) : null;
    }

    /** Injects I/O errors only; cheap for any device size. */
    public static FaultInjectingDevice forErrors(BlockDevice inner) {
        return new FaultInjectingDevice(inner, false);
    }

    /** Injects errors and simulates power loss; keeps a copy of the device, so keep it small. */
    public static FaultInjectingDevice forCrashes(BlockDevice inner) {
        return new FaultInjectingDevice(inner, true);
    }

    /** Adds a fault rule; rules are consulted in the order added. */
    public synchronized void inject(Fault fault) {
        faults.add(new Armed(fault, opCounts[fault.op.ordinal()]));
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    /**
     * Power fails when write number {@code n + 1} is issued (counting every write since this
     * device was made): that write and every later operation fail with IO.
     */
    public synchronized void crashAfterWrites(long n) {
        if (durable == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "crash simulation needs forCrashes()");
        }
        crashAfterWrites = n;
    }

    /** Power fails now. */
    public synchronized void crashNow() {
        crashAfterWrites(writes);
        crashed = true;
    }

    public synchronized boolean crashed() {
        return crashed;
    }

    public synchronized long writeCount() {
        return writes;
    }

    public synchronized long flushCount() {
        return flushes;
    }

    public synchronized int unflushedWriteCount() {
        return unflushed.size();
    }

    /**
     * What the media could hold after the crash: flushed writes, plus each unflushed write
     * kept whole, torn, or lost at random from {@code seed}. Writes are applied in issue order,
     * so a later kept write wins over an earlier one where they overlap.
     */
    public synchronized MemoryDevice crashImage(long seed) {
        return crashImage(new Random(seed), null);
    }

    /** Like {@link #crashImage(long)}, recording each unflushed write's fate into {@code fates}. */
    public synchronized MemoryDevice crashImage(Random random, List<Fate> fates) {
        MemoryDevice image = durableImage();
        for (PendingWrite w : unflushed) {
            Fate fate = Fate.values()[random.nextInt(3)];
            if (fates != null) {
                fates.add(fate);
            }
            apply(w, fate, random, image.media());
        }
        return image;
    }

    /**
     * The crash image in which unflushed write {@code i} (in issue order) meets {@code fates[i]};
     * a TORN write keeps each of its sectors or not as {@code tearSeed} draws. For enumerating
     * every combination of fates, or building one by hand.
     */
    public synchronized MemoryDevice crashImage(List<Fate> fates, long tearSeed) {
        if (fates.size() != unflushed.size()) {
            throw MpoolException.invalid(fates.size() + " fates for " + unflushed.size() + " unflushed writes");
        }
        MemoryDevice image = durableImage();
        Random tears = new Random(tearSeed);
        for (int i = 0; i < unflushed.size(); i++) {
            apply(unflushed.get(i), fates.get(i), tears, image.media());
        }
        return image;
    }

    /** Puts what survives of {@code w} under {@code fate} onto {@code media}. */
    private static void apply(PendingWrite w, Fate fate, Random tears, MemorySegment media) {
        for (int s = 0; s < w.data.length; s += SECTOR) {
            if (fate == Fate.KEPT || (fate == Fate.TORN && tears.nextBoolean())) {
                MemorySegment.copy(w.data, s, media, JAVA_BYTE, w.offset + s, Math.min(SECTOR, w.data.length - s));
            }
        }
    }

    /** An unflushed write: where it goes. */
    public record UnflushedWrite(long offset, int lengthBytes) {}

    /** The writes not yet flushed, in issue order: those a crash now may keep, tear or lose. */
    public synchronized List<UnflushedWrite> unflushedWrites() {
        return unflushed.stream()
                .map(w -> new UnflushedWrite(w.offset, w.data.length))
                .toList();
    }

    /**
     * The crash image in which every unflushed write is lost: what the media holds as of the
     * last completed flush.
     */
    public synchronized MemoryDevice durableImage() {
        if (durable == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "crash simulation needs forCrashes()");
        }
        return MemoryDevice.copyOf(durable);
    }

    private void before(Op op, String what) {
        if (crashed) {
            throw new MpoolException(ErrorCode.IO, what + " on " + name() + ": simulated power loss");
        }
        long n = opCounts[op.ordinal()]++;
        for (Armed armed : faults) {
            if (armed.fires(op, n)) {
                Fault f = armed.fault;
                throw new MpoolException(f.code, what + " on " + name() + " failed: injected " + f.code + " error");
            }
        }
    }

    /**
     * With {@code -Dmpool.trace.writes=true}, every write and flush is printed with where it was
     * issued from: replaying one crash sequence this way shows which operation a crash point
     * falls in.
     */
    private static final boolean TRACE_WRITES = Boolean.getBoolean("mpool.trace.writes");

    private static void trace(String what) {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        StringBuilder from = new StringBuilder();
        for (int i = 2; i < Math.min(stack.length, 10); i++) {
            from.append("\n    at ").append(stack[i]);
        }
        System.out.println(what + from);
    }

    @Override
    public synchronized void read(long offset, MemorySegment buffer) {
        BlockDevice.checkIo(this, "read", offset, buffer);
        before(Op.READ, "read at offset " + offset);
        inner().read(offset, buffer);
    }

    @Override
    public synchronized void write(long offset, MemorySegment buffer) {
        BlockDevice.checkIo(this, "write", offset, buffer);
        if (!crashed && writes >= crashAfterWrites) {
            crashed = true;
        }
        before(Op.WRITE, "write at offset " + offset);
        if (TRACE_WRITES) {
            trace("write " + writes + " at offset " + offset + ", " + buffer.byteSize() + " bytes");
        }
        inner().write(offset, buffer);
        writes++;
        if (durable != null) {
            unflushed.add(new PendingWrite(offset, buffer.toArray(JAVA_BYTE)));
        }
    }

    @Override
    public synchronized void flush() {
        before(Op.FLUSH, "flush");
        if (TRACE_WRITES) {
            trace("flush " + flushes + " after " + writes + " writes");
        }
        inner().flush();
        flushes++;
        if (durable != null) {
            for (PendingWrite w : unflushed) {
                MemorySegment.copy(w.data, 0, durable.media(), JAVA_BYTE, w.offset, w.data.length);
            }
            unflushed.clear();
        }
    }

    @Override
    public synchronized void discard(long offset, long length) {
        BlockDevice.checkRange(this, "discard", offset, length);
        before(Op.DISCARD, "discard at offset " + offset);
        inner().discard(offset, length);
        // A discard is modelled as an unflushed write of zeros: it may or may not survive a crash.
        if (durable != null && length > 0) {
            unflushed.add(new PendingWrite(offset, new byte[Math.toIntExact(length)]));
        }
    }

    @Override
    public void close() {
        inner().close();
        if (durable != null) {
            durable.close();
        }
    }
}
