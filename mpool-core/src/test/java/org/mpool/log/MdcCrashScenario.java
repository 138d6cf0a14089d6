package org.mpool.log;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.CrashScenario;
import org.mpool.testing.MemoryDevice;

/**
 * A crash explorer workload on an MDC: sync and async appends, flushes, compactions (start,
 * appends of the new state, end; crashes fall anywhere in them), live reads and reopens,
 * checked after each crash against {@link MdcModel}. Like {@link MlogCrashScenario}, it
 * never lets a log start a background write-out, so runs are deterministic.
 */
final class MdcCrashScenario implements CrashScenario<MdcModel> {

    @Override
    public Start<MdcModel> start(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MdcModel.Layout layout = new MdcModel.Layout(seed, 12 + r.nextInt(24), 2 + r.nextInt(7));
        MemoryDevice media = new MemoryDevice("mdc-" + seed, 2 * layout.blocksPerLog() * TestLogs.BLOCK);
        LogPair.create(layout.first(media), layout.second(media), r.nextBoolean())
                .close();
        return new Start<>(media, new MdcModel(layout, List.of(), 0));
    }

    @Override
    public void run(BlockDevice device, MdcModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
        new Session(device, model, random, cleanup).run();
    }

    @Override
    public MdcModel recover(MemoryDevice image, MdcModel model) {
        try (MemoryDevice copy = MemoryDevice.copyOf(image)) {
            List<byte[]> read;
            try (LogPair mdc = LogPair.open(model.layout.first(copy), model.layout.second(copy))) {
                read = mdc.readAll();
            }
            String why = model.check(read);
            if (why != null) {
                throw new AssertionError(why);
            }
            return model.recovered(read);
        }
    }

    /** One round: open the MDC, then random operations until done or the device fails. */
    private static final class Session {
        private final BlockDevice device;
        private final MdcModel model;
        private final SplittableRandom random;
        private final List<AutoCloseable> cleanup;
        private final int ringBytes;
        private final long capacity;
        private LogPair mdc;
        /** The target log's tail when everything before it was last written out. */
        private long writtenTail;

        Session(BlockDevice device, MdcModel model, SplittableRandom random, List<AutoCloseable> cleanup) {
            this.device = device;
            this.model = model;
            this.random = random;
            this.cleanup = cleanup;
            this.capacity = model.layout.blocksPerLog() * TestLogs.BLOCK;
            this.ringBytes = (int) Math.min(model.layout.bufferBlocks() * (long) TestLogs.BLOCK, capacity);
        }

        void run() {
            open();
            int ops = 20 + random.nextInt(60);
            for (int i = 0; i < ops; i++) {
                int dice = random.nextInt(100);
                if (dice < 60) {
                    append();
                } else if (dice < 68) {
                    mdc.flush();
                    model.targetDurable();
                    writtenTail = mdc.usedBytes();
                } else if (dice < 78) {
                    if (model.compacted == null) {
                        compactStart();
                    } else {
                        compactEnd();
                    }
                } else if (dice < 84) {
                    mdc.close();
                    model.closed();
                    open();
                } else {
                    List<byte[]> read = mdc.readAll();
                    String why = Records.prefixMismatch(read, model.content);
                    if (why != null || read.size() < model.acked) {
                        throw new AssertionError("live read of " + read.size() + " records: " + why);
                    }
                }
            }
        }

        private void open() {
            mdc = LogPair.open(model.layout.first(device), model.layout.second(device), Runnable::run);
            cleanup.add(mdc);
            writtenTail = mdc.usedBytes();
            List<byte[]> read = mdc.readAll();
            if (read.size() != model.content.size() || Records.prefixMismatch(read, model.content) != null) {
                throw new AssertionError("after reopen: " + read.size() + " records, expected " + model.content.size()
                        + ": " + Records.prefixMismatch(read, model.content));
            }
        }

        private void append() {
            int size = WorkloadSizes.pick(random, ringBytes, capacity / 4);
            if (size + 64 > mdc.remaining()) { // keep room for the end marker of a compaction
                if (model.compacted == null) {
                    compactStart();
                } else {
                    compactEnd();
                }
                return;
            }
            boolean sync = random.nextInt(100) < 35 || !asyncStaysInForeground(size + 1);
            mdc.append(model.newRecord(size), sync);
            if (sync) {
                model.targetDurable();
                writtenTail = mdc.usedBytes();
            }
        }

        private boolean asyncStaysInForeground(int size) {
            long payload = size + 5L;
            long tailBound = mdc.usedBytes() + payload + 52L * (payload / 4044 + 2) + 21;
            long full = ((tailBound - 1) & -TestLogs.BLOCK) - (writtenTail & -TestLogs.BLOCK);
            return full < ringBytes / 2;
        }

        private void compactStart() {
            model.compacted = new ArrayList<>();
            mdc.compactStart();
            writtenTail = mdc.usedBytes();
        }

        private void compactEnd() {
            model.compactEndCalled = true;
            mdc.compactEnd();
            model.compactionEnded();
            writtenTail = mdc.usedBytes();
        }
    }
}
