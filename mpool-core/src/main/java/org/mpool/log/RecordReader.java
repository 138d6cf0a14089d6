package org.mpool.log;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Iterates records from the start: {@code while (reader.next()) use(reader.record());}. A
 * record's bytes stay valid until the next call to {@link #next()}. The records of an mlog
 * ({@link LogReader}) or the client records of an MDC ({@link LogPair#reader()}).
 */
public interface RecordReader extends AutoCloseable {
    /** Moves to the next record; false at the end. */
    boolean next();

    /** The current record's bytes, valid until the next call to {@link #next()}. */
    MemorySegment record();

    /** A copy of the current record's bytes. */
    default byte[] recordBytes() {
        return record().toArray(ValueLayout.JAVA_BYTE);
    }

    /** Reads all remaining records as byte arrays, then closes the reader. */
    default List<byte[]> readAll() {
        try (this) {
            List<byte[]> all = new ArrayList<>();
            while (next()) {
                all.add(recordBytes());
            }
            return all;
        }
    }

    @Override
    void close();
}
