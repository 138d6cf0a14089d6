package org.mpool.log;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * What reading a (possibly damaged) log gave: its records, or the MpoolException it failed
 * with. Any other exception is a test failure at once.
 */
record ReadOutcome(List<byte[]> records, MpoolException error) {

    static ReadOutcome of(String where, Supplier<List<byte[]>> read) {
        try {
            return new ReadOutcome(read.get(), null);
        } catch (MpoolException e) {
            return new ReadOutcome(null, e);
        } catch (Throwable t) {
            throw new AssertionError(
                    where + ": failed with " + t + " instead of returning records or an MpoolException", t);
        }
    }

    boolean failed() {
        return error != null;
    }

    ErrorCode code() {
        return error == null ? null : error.code();
    }

    /** Null if the records are the first ones of {@code written}, byte for byte, at least {@code atLeast} of them. */
    String prefixViolation(List<byte[]> written, int atLeast) {
        if (records.size() > written.size()) {
            return records.size() + " records read, only " + written.size() + " were written";
        }
        for (int i = 0; i < records.size(); i++) {
            if (!Arrays.equals(records.get(i), written.get(i))) {
                return "record " + i + " differs from what was written (" + records.get(i).length + " vs "
                        + written.get(i).length + " bytes)";
            }
        }
        if (records.size() < atLeast) {
            return "only " + records.size() + " records read, but the first " + atLeast
                    + " lie wholly before the first damaged byte";
        }
        return null;
    }

    /** The error code, or how many records were read. */
    String summary() {
        return error != null ? error.code().toString() : records.size() + " records";
    }

    @Override
    public String toString() {
        return error != null ? "failed: " + error : records.size() + " records";
    }
}
