package org.mpool.log;

import java.util.List;
import java.util.SplittableRandom;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.CrashScenario;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;

/**
 * A crash explorer workload on one mlog: sync and async appends of every size (multi-block,
 * larger than the write buffer), flushes, erases, LOG_FULL probes, live reads and reopens,
 * checked after each crash against {@link MlogModel}.
 *
 * <p>Determinism: the log writes full buffer blocks in a background thread once a quarter of the
 * buffer is waiting, which would make the order of device writes vary between runs; the
 * workload has every log it opens run that write-behind inline instead.
 */
final class MlogCrashScenario implements CrashScenario<MlogModel> {

    @Override
    public Start<MlogModel> start(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MlogModel.Layout layout = new MlogModel.Layout(seed, r.nextInt(3), 12 + r.nextInt(30), 2 + r.nextInt(7));
        MemoryDevice media =
                new MemoryDevice("mlog-" + seed, (layout.firstBlock() + layout.blocks() + 1) * TestLogs.BLOCK);
        long generation = 1 + r.nextInt(100);
        RecordLog.format(layout.on(media), generation, r.nextBoolean()).close();
        return new Start<>(media, new MlogModel(layout, generation, List.of(), 0));
    }

    @Override
    public void run(BlockDevice device, MlogModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        new Session(device, model, random, cleanup).run();
    }

    @Override
    public MlogModel recover(MemoryDevice image, MlogModel model) {
        try (MemoryDevice copy = MemoryDevice.copyOf(image)) {
            LogSpec spec = model.layout.on(copy);
            List<byte[]> readOnly = RecordLog.read(spec).readAll();
            List<byte[]> read;
            long gen;
            try (RecordLog log = RecordLog.open(spec)) {
                read = log.reader().readAll();
                gen = log.generation();
            }
            String why = model.check(gen, read);
            if (why == null && (readOnly.size() != read.size() || Records.prefixMismatch(readOnly, read) != null)) {
                why = "the read-only reader found " + readOnly.size() + " records, the reopened log " + read.size();
            }
            if (why != null) {
                throw new AssertionError(why);
            }
            return model.recovered(gen, read);
        }
    }

    /** With -Dmpool.trace=true (useful when replaying one sequence) every operation is printed. */
    private static final boolean TRACE = Boolean.getBoolean("mpool.trace");

    /** One round: open the log, then random operations until done or the device fails. */
    private static final class Session {
        private final MlogModel model;
        private final SplittableRandom random;
        private final List<AutoCloseable> cleanup;
        private final LogSpec spec;
        private final BlockDevice device;
        private final int ringBytes;
        private RecordLog log;

        Session(BlockDevice device, MlogModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
            this.model = model;
            this.random = random;
            this.cleanup = cleanup;
            this.spec = model.layout.on(device);
            this.device = device;
            this.ringBytes = (int) Math.min(spec.bufferBytes(), spec.capacityBytes());
        }

        private void trace(String op) {
            if (TRACE) {
                System.out.println("  " + op + " -> used " + log.usedBytes() + ", writes "
                        + (device instanceof FaultInjectingDevice f
                                ? f.writeCount() + ", unflushed " + f.unflushedWriteCount()
                                : "?")
                        + ", records " + model.records.size() + ", acked " + model.acked);
            }
        }

        void run() {
            open();
            trace("open");
            int ops = 20 + random.nextInt(60);
            for (int i = 0; i < ops; i++) {
                int dice = random.nextInt(100);
                if (dice < 60) {
                    int size = WorkloadSizes.pick(random, ringBytes, spec.capacityBytes());
                    append(size);
                    trace("append " + size);
                } else if (dice < 70) {
                    log.flush();
                    model.acknowledgeAll();
                    trace("flush");
                } else if (dice < 75) {
                    erase();
                    trace("erase");
                } else if (dice < 81) {
                    log.close();
                    model.acknowledgeAll();
                    open();
                    trace("reopen");
                } else if (dice < 88) {
                    liveRead();
                    trace("read");
                } else {
                    probeLogFull();
                    trace("probe LOG_FULL");
                }
            }
        }

        private void open() {
            log = RecordLog.open(spec, Runnable::run);
            cleanup.add(log);
            List<byte[]> read = log.reader().readAll();
            String why = model.check(log.generation(), read);
            if (why == null && read.size() != model.records.size()) {
                why = "a clean reopen lost records: " + read.size() + " of " + model.records.size();
            }
            if (why != null) {
                throw new AssertionError("after reopen: " + why);
            }
        }

        private void append(int size) {
            long remaining = log.remaining();
            if (size > remaining) { // remaining is -1 when not even an empty record fits
                if (random.nextInt(3) == 0) {
                    erase();
                }
                return;
            }
            boolean sync = random.nextInt(100) < 35;
            if (TRACE) {
                System.out.print(sync ? "  sync" : "  async");
            }
            log.append(model.newRecord(size), sync);
            if (sync) {
                model.acknowledgeAll();
            }
        }

        private void erase() {
            model.eraseInFlight = true;
            log.erase();
            model.erased();
        }

        private void liveRead() {
            List<byte[]> read = log.reader().readAll();
            String why = model.check(log.generation(), read);
            if (why != null) {
                throw new AssertionError("live read: " + why);
            }
        }

        private void probeLogFull() {
            long used = log.usedBytes();
            long tooBig = log.remaining() + 1 + random.nextInt(3);
            if (tooBig > spec.capacityBytes()) {
                return;
            }
            try {
                log.append(new byte[(int) tooBig], random.nextBoolean());
                throw new AssertionError("a " + tooBig + "-byte append fit, but remaining() was " + (tooBig - 1));
            } catch (MpoolException e) {
                if (e.code() != ErrorCode.LOG_FULL) {
                    throw e;
                }
            }
            if (log.usedBytes() != used) {
                throw new AssertionError("a refused append changed usedBytes from " + used + " to " + log.usedBytes());
            }
        }
    }
}
