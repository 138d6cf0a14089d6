package org.mpool.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a log must hold after a crash, from what was acknowledged: the records appended in the
 * current generation, how many of them a returned sync append or flush made durable, and the
 * operation in flight when power failed.
 */
final class LogModel {
    final List<byte[]> appended = new ArrayList<>();
    /** Whether formatting the log returned: before that, no log at all is a valid outcome. */
    boolean formatted;
    int durable;
    /** The previous generation's records, while an erase is in flight (either may survive). */
    List<byte[]> beforeErase;
    int durableBeforeErase;

    /** An independent copy, to check several crash images of the same moment. */
    LogModel copy() {
        LogModel c = new LogModel();
        c.appended.addAll(appended);
        c.formatted = formatted;
        c.durable = durable;
        c.beforeErase = beforeErase == null ? null : new ArrayList<>(beforeErase);
        c.durableBeforeErase = durableBeforeErase;
        return c;
    }

    void appended(byte[] record) {
        appended.add(record);
    }

    void synced() {
        durable = appended.size();
    }

    void eraseStarted() {
        beforeErase = new ArrayList<>(appended);
        durableBeforeErase = durable;
    }

    void eraseDone() {
        beforeErase = null;
        appended.clear();
        durable = 0;
    }

    /** After a successful recovery everything read is durable (open flushes). */
    void recovered(List<byte[]> records) {
        beforeErase = null;
        appended.clear();
        appended.addAll(records);
        durable = records.size();
    }

    /** Null if {@code recovered} is acceptable, else why not. */
    String violation(List<byte[]> recovered) {
        String current = prefixViolation(recovered, appended, durable);
        if (current == null) {
            return null;
        }
        if (beforeErase != null) {
            String old = prefixViolation(recovered, beforeErase, durableBeforeErase);
            if (old == null) {
                return null;
            }
            return current + " / and not the pre-erase state: " + old;
        }
        return current;
    }

    private static String prefixViolation(List<byte[]> recovered, List<byte[]> expected, int durable) {
        if (recovered.size() < durable) {
            return "lost acknowledged records: recovered " + recovered.size() + ", " + durable + " were durable";
        }
        if (recovered.size() > expected.size()) {
            return "recovered " + recovered.size() + " records, only " + expected.size() + " were appended";
        }
        for (int i = 0; i < recovered.size(); i++) {
            if (!Arrays.equals(recovered.get(i), expected.get(i))) {
                return "record " + i + " differs from what was appended (" + recovered.get(i).length + " vs "
                        + expected.get(i).length + " bytes)";
            }
        }
        return null;
    }
}
