package org.mpool.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an MDC must hold after a crash: its visible content with how much of it is durable,
 * and during a compaction the new state being written, which becomes the content only when
 * compactEnd returns (or may, if the crash hit compactEnd itself).
 */
final class MdcModel {
    boolean created;
    final List<byte[]> content = new ArrayList<>();
    int durable;
    List<byte[]> compacted;
    boolean endInFlight;

    MdcModel copy() {
        MdcModel c = new MdcModel();
        c.created = created;
        c.content.addAll(content);
        c.durable = durable;
        c.compacted = compacted == null ? null : new ArrayList<>(compacted);
        c.endInFlight = endInFlight;
        return c;
    }

    void appended(byte[] r) {
        if (compacted != null) {
            compacted.add(r);
        } else {
            content.add(r);
        }
    }

    void synced() {
        if (compacted == null) {
            durable = content.size();
        }
    }

    void compactionEnded() {
        content.clear();
        content.addAll(compacted);
        durable = content.size();
        compacted = null;
        endInFlight = false;
    }

    void recovered(List<byte[]> records) {
        content.clear();
        content.addAll(records);
        durable = records.size();
        compacted = null;
        endInFlight = false;
        created = true;
    }

    String violation(List<byte[]> recovered) {
        if (endInFlight && sameRecords(recovered, compacted)) {
            return null; // the compaction completed
        }
        if (recovered.size() < durable) {
            return "lost acknowledged records: recovered " + recovered.size() + ", " + durable + " were durable";
        }
        if (recovered.size() > content.size()) {
            return "recovered " + recovered.size() + " records, the content has only " + content.size()
                    + (compacted != null ? " (a mix with the compaction under way?)" : "");
        }
        return sameRecords(recovered, content.subList(0, recovered.size())) ? null
                : "recovered records are not a prefix of the content" + (compacted != null ? " (a mix?)" : "");
    }

    private static boolean sameRecords(List<byte[]> a, List<byte[]> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
