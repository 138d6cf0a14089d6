package org.mpool.testing;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;

/**
 * Wraps a device to inject the failures real media have: I/O errors on chosen operations, and
 * power loss. It models a volatile write cache: a write is durable only once a later flush
 * completes. After a simulated crash, {@link #crashImage} builds what the media could hold:
 * every flushed write, plus a seeded random subset of the unflushed ones, some of them torn
 * at {@value #SECTOR}-byte granularity (each sector either old or new, in any combination),
 * and — where {@link #garbling} allows — garbled (one sector neither old nor new).
 *
 * <p>Several devices can share one {@link CrashClock} ({@link #forCrashes(List)}): their writes
 * and flushes are counted in one sequence and power fails for all at once.
 *
 * <p>Operations are serialised (on the clock), so the order of writes and flushes is exact.
 * Everything is deterministic: the same workload and seed give the same image.
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
        /** Each sector old or new. */
        TORN,
        LOST,
        /**
         * Power failed while one of the sectors it changes was being written: that sector holds
         * random bytes, the others are old or new as if TORN. A sector rewritten with the bytes
         * it holds is never garbled (the model every store that rewrites a partial last page
         * relies on). Only for writes {@link #garbling} allows.
         */
        GARBLED
    }

    private record PendingWrite(long offset, byte[] data) {}

    /** What the media holds for sure: the image as of the last completed flush. */
    private final MemoryDevice durable;

    private final List<PendingWrite> unflushed = new ArrayList<>();
    private final List<Armed> faults = new ArrayList<>();
    private final long[] opCounts = new long[Op.values().length];
    private final CrashClock clock;
    /** Which writes (by offset) may be garbled in a crash; none unless {@link #garbling} says. */
    private LongPredicate mayGarble = offset -> false;
    /** Whether a failed flush forgets the writes it was to make durable (see {@link #losingWritesOnFailedFlush}). */
    private boolean loseOnFailedFlush;

    private FaultInjectingDevice(BlockDevice inner, boolean trackCrashState, CrashClock clock) {
        super(inner);
        this.durable = trackCrashState ? MemoryDevice.copyOf(inner) : null;
        this.clock = clock;
    }

    /** Injects I/O errors only; cheap for any device size. */
    public static FaultInjectingDevice forErrors(BlockDevice inner) {
        return new FaultInjectingDevice(inner, false, new CrashClock());
    }

    /** Injects errors and simulates power loss; keeps a copy of the device, so keep it small. */
    public static FaultInjectingDevice forCrashes(BlockDevice inner) {
        return new FaultInjectingDevice(inner, true, new CrashClock());
    }

    /** Like {@link #forCrashes(BlockDevice)} for the devices of one machine: one clock, one power failure. */
    public static List<FaultInjectingDevice> forCrashes(List<? extends BlockDevice> inner) {
        CrashClock clock = new CrashClock();
        return inner.stream().map(d -> new FaultInjectingDevice(d, true, clock)).toList();
    }

    /** The clock this device counts its writes and flushes on (shared by the devices of one machine). */
    public CrashClock clock() {
        return clock;
    }

    /**
     * Lets a crash garble the unflushed writes at offsets {@code mayGarble} accepts (see
     * {@link Fate#GARBLED}). Returns this device.
     */
    public FaultInjectingDevice garbling(LongPredicate mayGarble) {
        synchronized (clock) {
            this.mayGarble = mayGarble;
        }
        return this;
    }

    /**
     * From now on an injected flush failure also forgets every write not yet flushed: none of
     * them will ever be durable, whatever later flushes do, while reads still see them. This is
     * what Linux does on an fsync that fails with EIO (the dirty pages are marked clean), and why
     * a store must not trust a later flush after a failed one. Returns this device.
     */
    public FaultInjectingDevice losingWritesOnFailedFlush() {
        synchronized (clock) {
            loseOnFailedFlush = true;
        }
        return this;
    }

    /** Operations of kind {@code op} issued on this device (failed ones included). */
    public long operationCount(Op op) {
        synchronized (clock) {
            return opCounts[op.ordinal()];
        }
    }

    /** Adds a fault rule; rules are consulted in the order added. */
    public void inject(Fault fault) {
        synchronized (clock) {
            faults.add(new Armed(fault, opCounts[fault.op.ordinal()]));
        }
    }

    public void clearFaults() {
        synchronized (clock) {
            faults.clear();
        }
    }

    /**
     * Power fails when write number {@code n + 1} is issued (counting every write since this
     * device was made): that write and every later operation fail with IO.
     */
    public void crashAfterWrites(long n) {
        if (durable == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "crash simulation needs forCrashes()");
        }
        clock.crashAfterWrites(n);
    }

    /** Power fails now. */
    public void crashNow() {
        if (durable == null) {
            throw new MpoolException(ErrorCode.INVALID_STATE, "crash simulation needs forCrashes()");
        }
        clock.crashNow();
    }

    public boolean crashed() {
        return clock.crashed();
    }

    /** Writes issued on this device's clock (by all its devices). */
    public long writeCount() {
        return clock.writeCount();
    }

    /** Flushes completed on this device's clock (by all its devices). */
    public long flushCount() {
        return clock.flushCount();
    }

    public int unflushedWriteCount() {
        synchronized (clock) {
            return unflushed.size();
        }
    }

    /** Whether a crash may garble unflushed write {@code i} (in issue order): how many fates it can meet. */
    public List<Boolean> garbleableUnflushed() {
        synchronized (clock) {
            return unflushed.stream().map(w -> mayGarble.test(w.offset)).toList();
        }
    }

    /**
     * What the media could hold after the crash: flushed writes, plus each unflushed write
     * kept whole, torn, or lost at random from {@code seed}. Writes are applied in issue order,
     * so a later kept write wins over an earlier one where they overlap.
     */
    public MemoryDevice crashImage(long seed) {
        return crashImage(new Random(seed), null);
    }

    /** Like {@link #crashImage(long)}, recording each unflushed write's fate into {@code fates}. */
    public MemoryDevice crashImage(Random random, List<Fate> fates) {
        synchronized (clock) {
            MemoryDevice image = durableImage();
            for (PendingWrite w : unflushed) {
                Fate fate = Fate.values()[random.nextInt(mayGarble.test(w.offset) ? 4 : 3)];
                if (fates != null) {
                    fates.add(fate);
                }
                apply(w, fate, random, image.region(w.offset, w.data.length));
            }
            return image;
        }
    }

    /**
     * The crash image in which unflushed write {@code i} (in issue order) meets {@code fates[i]};
     * a TORN write keeps each of its sectors or not as {@code tearSeed} draws. For enumerating
     * every combination of fates, or building one by hand.
     */
    public MemoryDevice crashImage(List<Fate> fates, long tearSeed) {
        synchronized (clock) {
            if (fates.size() != unflushed.size()) {
                throw MpoolException.invalid(fates.size() + " fates for " + unflushed.size() + " unflushed writes");
            }
            MemoryDevice image = durableImage();
            Random tears = new Random(tearSeed);
            for (int i = 0; i < unflushed.size(); i++) {
                PendingWrite w = unflushed.get(i);
                if (fates.get(i) == Fate.GARBLED && !mayGarble.test(w.offset)) {
                    throw MpoolException.invalid(
                            "unflushed write " + i + " at offset " + w.offset + " may not be garbled (see garbling)");
                }
                apply(w, fates.get(i), tears, image.region(w.offset, w.data.length));
            }
            return image;
        }
    }

    /** Puts what survives of {@code w} under {@code fate} onto {@code target}, the bytes it was written to. */
    private static void apply(PendingWrite w, Fate fate, Random tears, MemorySegment target) {
        int sectors = (w.data.length + SECTOR - 1) / SECTOR;
        int garbled = -1;
        if (fate == Fate.GARBLED) {
            List<Integer> changed = new ArrayList<>();
            for (int i = 0; i < sectors; i++) {
                int n = Math.min(SECTOR, w.data.length - i * SECTOR);
                MemorySegment now = target.asSlice((long) i * SECTOR, n);
                if (now.mismatch(MemorySegment.ofArray(w.data).asSlice((long) i * SECTOR, n)) >= 0) {
                    changed.add(i);
                }
            }
            garbled = changed.isEmpty() ? -1 : changed.get(tears.nextInt(changed.size()));
        }
        for (int i = 0; i < sectors; i++) {
            int s = i * SECTOR;
            int n = Math.min(SECTOR, w.data.length - s);
            if (i == garbled) {
                byte[] noise = new byte[n];
                tears.nextBytes(noise);
                MemorySegment.copy(noise, 0, target, JAVA_BYTE, s, n);
            } else if (fate == Fate.KEPT || ((fate == Fate.TORN || fate == Fate.GARBLED) && tears.nextBoolean())) {
                MemorySegment.copy(w.data, s, target, JAVA_BYTE, s, n);
            }
        }
    }

    /** An unflushed write: where it goes. */
    public record UnflushedWrite(long offset, int lengthBytes) {}

    /** The writes not yet flushed, in issue order: those a crash now may keep, tear or lose. */
    public List<UnflushedWrite> unflushedWrites() {
        synchronized (clock) {
            return unflushed.stream()
                    .map(w -> new UnflushedWrite(w.offset, w.data.length))
                    .toList();
        }
    }

    /**
     * The crash image in which every unflushed write is lost: what the media holds as of the
     * last completed flush.
     */
    public MemoryDevice durableImage() {
        synchronized (clock) {
            if (durable == null) {
                throw new MpoolException(ErrorCode.INVALID_STATE, "crash simulation needs forCrashes()");
            }
            return MemoryDevice.copyOf(durable);
        }
    }

    /** Under the clock's lock. */
    private void before(Op op, String what) {
        clock.failIfCrashed(what + " on " + name());
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
    public void read(long offset, MemorySegment buffer) {
        BlockDevice.checkIo(this, "read", offset, buffer);
        synchronized (clock) {
            before(Op.READ, "read at offset " + offset);
            inner().read(offset, buffer);
        }
    }

    @Override
    public void write(long offset, MemorySegment buffer) {
        BlockDevice.checkIo(this, "write", offset, buffer);
        synchronized (clock) {
            clock.beforeWrite("write at offset " + offset + " on " + name());
            before(Op.WRITE, "write at offset " + offset);
            if (TRACE_WRITES) {
                trace("write " + clock.writeCount() + " at offset " + offset + " of " + name() + ", "
                        + buffer.byteSize() + " bytes");
            }
            inner().write(offset, buffer);
            clock.wrote();
            if (durable != null) {
                unflushed.add(new PendingWrite(offset, buffer.toArray(JAVA_BYTE)));
            }
        }
    }

    @Override
    public void flush() {
        synchronized (clock) {
            clock.failIfCrashed("flush on " + name());
            try {
                before(Op.FLUSH, "flush");
            } catch (MpoolException injected) {
                if (loseOnFailedFlush) {
                    unflushed.clear(); // never durable now: the durable image keeps its old bytes
                }
                throw injected;
            }
            clock.beforeFlush("flush of " + name());
            if (TRACE_WRITES) {
                trace("flush " + clock.flushCount() + " of " + name() + " after " + clock.writeCount() + " writes");
            }
            inner().flush();
            clock.flushed();
            if (durable != null) {
                for (PendingWrite w : unflushed) {
                    MemorySegment.copy(w.data, 0, durable.region(w.offset, w.data.length), JAVA_BYTE, 0, w.data.length);
                }
                unflushed.clear();
            }
        }
    }

    @Override
    public void discard(long offset, long length) {
        BlockDevice.checkRange(this, "discard", offset, length);
        synchronized (clock) {
            before(Op.DISCARD, "discard at offset " + offset);
            inner().discard(offset, length);
            // A discard is modelled as an unflushed write of zeros: it may or may not survive a crash.
            if (durable != null && length > 0) {
                unflushed.add(new PendingWrite(offset, new byte[Math.toIntExact(length)]));
            }
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
