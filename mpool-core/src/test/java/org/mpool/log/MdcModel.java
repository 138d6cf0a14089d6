package org.mpool.log;

import java.util.ArrayList;
import java.util.List;
import org.mpool.spi.BlockDevice;

/**
 * What a crash explorer workload on an MDC has had acknowledged. {@code content} is the MDC's
 * content (the records of the last finished compaction and those appended after it, the one
 * in flight included), the first {@code acked} of them durable. During a compaction,
 * {@code compacted} collects the new content. After a crash the MDC must read back as the old
 * content (a prefix of {@code content}, at least {@code acked} records) or, once
 * {@code compactEnd} was called, exactly the complete new content: never a mix.
 */
final class MdcModel {
    /** Where the two logs live: the same on every device of one workload. */
    record Layout(long seed, long blocksPerLog, int bufferBlocks) {
        LogSpec first(BlockDevice device) {
            return TestLogs.spec(device, 0, blocksPerLog, 0x61, bufferBlocks);
        }

        LogSpec second(BlockDevice device) {
            return TestLogs.spec(device, blocksPerLog, blocksPerLog, 0x62, bufferBlocks);
        }
    }

    final Layout layout;
    List<byte[]> content;
    int acked;
    /** Non-null from compactStart (called) until compactEnd returns or the MDC is closed. */
    List<byte[]> compacted;

    boolean compactEndCalled;
    long nextSequence;

    MdcModel(Layout layout, List<byte[]> content, long nextSequence) {
        this.layout = layout;
        this.content = new ArrayList<>(content);
        this.acked = content.size();
        this.nextSequence = nextSequence;
    }

    /** Records a new record in the content being written (the new one during a compaction). */
    byte[] newRecord(int size) {
        byte[] r = Records.make(layout.seed(), nextSequence++, size);
        (compacted != null ? compacted : content).add(r);
        return r;
    }

    /** A flush or sync append returned: everything in the log being written is durable. */
    void targetDurable() {
        if (compacted == null) {
            acked = content.size();
        }
    }

    void compactionEnded() {
        content = compacted;
        acked = content.size();
        compacted = null;
        compactEndCalled = false;
    }

    /** Close returned: a compaction under way is abandoned, the content is durable. */
    void closed() {
        compacted = null;
        compactEndCalled = false;
        acked = content.size();
    }

    /** Null if the MDC reading {@code read} is an allowed recovery, else why not. */
    String check(List<byte[]> read) {
        String old = Records.prefixMismatch(read, content);
        if (old == null && read.size() < acked) {
            old = "only " + read.size() + " records recovered, but " + acked + " were acknowledged";
        }
        if (old == null) {
            return null;
        }
        if (compactEndCalled && Records.prefixMismatch(read, compacted) == null && read.size() == compacted.size()) {
            return null;
        }
        return "neither the old content (" + old + "; " + content.size() + " appended, " + acked + " acknowledged)"
                + (compacted == null
                        ? ""
                        : compactEndCalled
                                ? " nor the complete new content of " + compacted.size() + " records"
                                : " (a compaction of " + compacted.size() + " records was under way, not ended)");
    }

    MdcModel recovered(List<byte[]> read) {
        return new MdcModel(layout, read, nextSequence);
    }
}
