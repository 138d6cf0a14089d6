package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The records of an MDC's logs. Every log record of an MDC starts with a type byte:
 *
 * <pre>
 *   0x00 client bytes...    USER: a record the MDC's client appended
 *   0x01                    COMPACTION_END: the live state written since the log's
 *                           generation started is complete (exactly one byte)
 * </pre>
 *
 * A log holds at most one compaction, closed by the end marker, then user records. Other type
 * bytes are reserved: readers skip them, so a later version may add kinds older readers ignore.
 */
public final class MdcRecord {
    public static final byte USER = 0;
    public static final byte COMPACTION_END = 1;
    private static final byte[] END_MARKER = {COMPACTION_END};

    private MdcRecord() {}

    /** The log record that carries {@code client} bytes. */
    public static byte[] user(byte[] client) {
        byte[] framed = new byte[client.length + 1];
        framed[0] = USER;
        System.arraycopy(client, 0, framed, 1, client.length);
        return framed;
    }

    /** The log record that ends a compaction. */
    public static byte[] endMarker() {
        return END_MARKER.clone();
    }

    public static boolean isUser(byte[] record) {
        return record.length > 0 && record[0] == USER;
    }

    /** Like {@link #isUser(byte[])}, on a record in place. */
    public static boolean isUser(MemorySegment record) {
        return record.byteSize() > 0 && record.get(ValueLayout.JAVA_BYTE, 0) == USER;
    }

    /** The client bytes of a {@link #isUser USER} record in place, without copying. */
    public static MemorySegment clientBytes(MemorySegment record) {
        assert isUser(record);
        return record.asSlice(1);
    }

    public static boolean isEndMarker(byte[] record) {
        return record.length == 1 && record[0] == COMPACTION_END;
    }

    /** Like {@link #isEndMarker(byte[])}, on a record in place. */
    public static boolean isEndMarker(MemorySegment record) {
        return record.byteSize() == 1 && record.get(ValueLayout.JAVA_BYTE, 0) == COMPACTION_END;
    }

    /** The client bytes of a {@link #isUser USER} record. */
    public static byte[] clientBytes(byte[] record) {
        assert isUser(record);
        return Arrays.copyOfRange(record, 1, record.length);
    }
}
