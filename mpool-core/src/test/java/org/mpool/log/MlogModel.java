package org.mpool.log;

import java.util.ArrayList;
import java.util.List;
import org.mpool.spi.BlockDevice;

/**
 * What a crash explorer workload on one mlog has had acknowledged. {@code records} are the
 * records appended since the last acknowledged erase, in order, the one in flight included;
 * the first {@code acked} of them had a sync append, flush or close return. After a crash the
 * log must read back as a prefix of {@code records} of at least {@code acked} records, in
 * {@code generation}; with an erase in flight, the new generation, empty, is fine too.
 */
final class MlogModel {
    /** Where the log lives: the same on every device of one workload. */
    record Layout(long seed, long firstBlock, long blocks, int bufferBlocks) {
        LogSpec on(BlockDevice device) {
            return TestLogs.spec(device, firstBlock, blocks, 0x51, bufferBlocks);
        }
    }

    final Layout layout;
    long generation;
    final List<byte[]> records;
    int acked;
    boolean eraseInFlight;
    /** Sequence number of the next record: never reused, so a record names its append. */
    long nextSequence;

    MlogModel(Layout layout, long generation, List<byte[]> records, long nextSequence) {
        this.layout = layout;
        this.generation = generation;
        this.records = new ArrayList<>(records);
        this.acked = records.size();
        this.nextSequence = nextSequence;
    }

    byte[] newRecord(int size) {
        byte[] r = Records.make(layout.seed(), nextSequence++, size);
        records.add(r);
        return r;
    }

    void acknowledgeAll() {
        acked = records.size();
    }

    void erased() {
        generation++;
        records.clear();
        acked = 0;
        eraseInFlight = false;
    }

    /** Null if a log of {@code gen} holding {@code read} is an allowed recovery, else why not. */
    String check(long gen, List<byte[]> read) {
        if (eraseInFlight && gen == generation + 1 && read.isEmpty()) {
            return null;
        }
        String why;
        if (gen != generation) {
            why = "recovered generation " + gen + ", expected " + generation;
        } else {
            why = Records.prefixMismatch(read, records);
            if (why == null && read.size() < acked) {
                why = "only " + read.size() + " records recovered, but " + acked + " were acknowledged";
            }
        }
        if (why == null) {
            return null;
        }
        return why + " (" + records.size() + " appended in generation " + generation + ", " + acked + " acknowledged"
                + (eraseInFlight ? ", an erase to generation " + (generation + 1) + " in flight" : "") + ")";
    }

    /** The model of a recovered log: everything it holds is durable now. */
    MlogModel recovered(long gen, List<byte[]> read) {
        return new MlogModel(layout, gen, read, nextSequence);
    }
}
