package org.mpool.log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * The raw material of {@link LogDamageTest}: a device holding a closed log A of a
 * generation above 1, written over its own stale generation-1 data, a copy of A's extent as
 * generation 1 left it, and another log B of the same pool. Everything follows from the seed
 * (write-behind runs inline).
 */
final class CorruptionFixture implements AutoCloseable {
    static final UUID POOL = new UUID(0xc0ffeeL, 0xbadL);
    static final long CAPACITY = 128 * 1024;
    static final long A_OFFSET = 0;
    static final long B_OFFSET = 256 * 1024;
    private static final int DEVICE_BYTES = 512 * 1024;

    final MemoryDevice device = new MemoryDevice("corrupt", DEVICE_BYTES);
    final LogSpec a;
    final LogSpec b;
    /** A's records, as appended in its current generation. */
    final List<byte[]> records = new ArrayList<>();
    /** The log position of the frame holding each record. */
    final List<Long> framePositions = new ArrayList<>();
    /** A's records in generation 1. */
    final List<byte[]> oldRecords = new ArrayList<>();
    /** A's extent as its generation-1 life left it. */
    final byte[] oldGeneration;
    /** A's extent after writing: what damage is measured against. */
    final byte[] pristine;
    /** Where A's records end. */
    final long end;
    /**
     * With a synced tail: everything before this position was flushed, and small synced records
     * fill at least three blocks after it, so their fragments prove it durable. Otherwise -1.
     */
    final long syncedTailStart;

    /**
     * With {@code marked} false (only with a synced tail), the log is left as a power loss
     * after its last synced append leaves it: the close's durable mark undone ({@link #unmark}).
     */
    CorruptionFixture(long seed, boolean syncedTail, boolean marked) {
        if (!marked && !syncedTail) {
            throw new IllegalArgumentException("only a synced tail has witnesses without the mark");
        }
        Random r = new Random(seed);
        int buffer = new int[] {8192, 16384, 65536}[r.nextInt(3)];
        a = new LogSpec(device, A_OFFSET, CAPACITY, POOL, 0x41, buffer);
        b = new LogSpec(device, B_OFFSET, CAPACITY, POOL, 0x42, buffer);
        try (RecordLog log = RecordLog.format(b, 1, false, Runnable::run)) {
            appendRandom(log, r, new ArrayList<>(), 8192 + r.nextInt(96 * 1024));
        }
        try (RecordLog log = RecordLog.format(a, 1, r.nextBoolean(), Runnable::run)) {
            appendRandom(log, r, oldRecords, 8192 + r.nextInt(96 * 1024));
        }
        oldGeneration = extent(device, a);
        try (RecordLog log = RecordLog.open(a, Runnable::run)) {
            log.eraseTo(2 + r.nextInt(3));
            appendRandom(log, r, records, 8192 + r.nextInt(88 * 1024));
            if (syncedTail) {
                log.flush();
                syncedTailStart = log.usedBytes();
                while (log.usedBytes() < syncedTailStart + 4 * 4096 && log.remaining() > 400) {
                    byte[] rec = new byte[1 + r.nextInt(300)];
                    r.nextBytes(rec);
                    log.append(rec, true);
                    records.add(rec);
                }
            } else {
                syncedTailStart = -1;
            }
        }
        if (!marked) {
            unmark(device, a);
        }
        pristine = extent(device, a);
        long lastEnd;
        try (LogReader reader = RecordLog.read(a)) {
            int i = 0;
            while (reader.next()) {
                if (!Arrays.equals(reader.recordBytes(), records.get(i))) {
                    throw new AssertionError("seed " + seed + ": undamaged log reads back wrong record " + i);
                }
                framePositions.add(reader.framePosition());
                i++;
            }
            if (i != records.size()) {
                throw new AssertionError("seed " + seed + ": undamaged log reads back " + i + " of " + records.size());
            }
            lastEnd = reader.endPosition();
        }
        end = lastEnd;
    }

    /** Appends random records (some spanning blocks; sync, async and flushes) until {@code target} bytes are used. */
    static void appendRandom(RecordLog log, Random r, List<byte[]> out, long target) {
        while (log.usedBytes() < target) {
            int kind = r.nextInt(20);
            int size = kind == 0 ? 4000 + r.nextInt(8500) : kind < 3 ? r.nextInt(2000) : r.nextInt(300);
            if (size + 8 > log.remaining()) {
                return;
            }
            byte[] rec = new byte[size];
            r.nextBytes(rec);
            log.append(rec, r.nextInt(3) == 0);
            out.add(rec);
            if (r.nextInt(15) == 0) {
                log.flush();
            }
        }
    }

    /**
     * Undoes the durable mark the close wrote into block 0: the media are then what a power
     * loss right after the last synced append leaves (that close had nothing else to write).
     * Only the synced fragments then vouch for what was durable.
     */
    private static void unmark(MemoryDevice dev, LogSpec spec) {
        MemorySegment block0 = dev.media().asSlice(spec.offset(), LogFormat.BLOCK_SIZE);
        LogFormat.BlockHeader h = LogFormat.readBlockHeader(block0);
        LogFormat.writeBlockHeader(TestLogs.seed(spec), block0, h.generation(), 0, h.epoch());
    }

    static byte[] extent(MemoryDevice dev, LogSpec spec) {
        return dev.media().asSlice(spec.offset(), spec.capacityBytes()).toArray(JAVA_BYTE);
    }

    /** A's extent on the device, to damage in place. */
    MemorySegment mediaA() {
        return device.media().asSlice(a.offset(), a.capacityBytes());
    }

    MemorySegment mediaB() {
        return device.media().asSlice(b.offset(), b.capacityBytes());
    }

    /** How many records lie in frames that end at or before {@code position}: damage there cannot touch them. */
    int recordsWhollyBefore(long position) {
        int n = 0;
        for (int i = 0; i < records.size(); i++) {
            long frame = framePositions.get(i);
            long nextFrame = -1;
            for (int j = i + 1; j < records.size(); j++) {
                if (framePositions.get(j) != frame) {
                    nextFrame = framePositions.get(j);
                    break;
                }
            }
            if (nextFrame < 0 || nextFrame > position) {
                break;
            }
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        device.close();
    }
}
