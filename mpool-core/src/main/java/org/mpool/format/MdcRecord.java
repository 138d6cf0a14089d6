package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The records of an MDC's logs. Every log record of an MDC starts with a type byte:
 *
 * <pre>
 *   0x00 client bytes...    USER: a record the MDC's client appended
 *   0x01                    COMPACTION_END: the live state written since the log's
 *                           generation started is complete (exactly one byte)
 *   0x02 generation u64     OTHER_FORMATTED (format version 3): the other log of the pair was
 *                           formatted with this generation for a compaction, after this log's
 *                           end marker (9 bytes, little-endian)
 * </pre>
 *
 * A log holds at most one compaction, closed by the end marker, then user records. Other type
 * bytes are reserved: readers skip them, so a later version may add kinds older readers ignore.
 *
 * <p>Why OTHER_FORMATTED: an MDC is opened from the log of highest generation that holds an end
 * marker. If the other log's header is unreadable, its generation is unknown: it may be an
 * older log (harmless) or a newer compaction that completed, whose state would be silently
 * lost by taking this one. A header is written whole in one sector, so a crash never leaves it
 * unreadable once its format was flushed; this record, appended after that flush, says the
 * other log was formatted as the newer one, and open then reports CORRUPT instead of guessing.
 */
public final class MdcRecord {
    public static final byte USER = 0;
    public static final byte COMPACTION_END = 1;
    public static final byte OTHER_FORMATTED = 2;
    private static final byte[] END_MARKER = {COMPACTION_END};
    private static final int OTHER_FORMATTED_BYTES = 9;

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

    /** The log record that says the other log was formatted with {@code generation}. */
    public static byte[] otherFormatted(long generation) {
        byte[] r = new byte[OTHER_FORMATTED_BYTES];
        r[0] = OTHER_FORMATTED;
        for (int i = 0; i < 8; i++) {
            r[1 + i] = (byte) (generation >>> (8 * i));
        }
        return r;
    }

    /** Whether {@code record} is an {@link #OTHER_FORMATTED} record (of the right size). */
    public static boolean isOtherFormatted(MemorySegment record) {
        return record.byteSize() == OTHER_FORMATTED_BYTES && record.get(ValueLayout.JAVA_BYTE, 0) == OTHER_FORMATTED;
    }

    /** The generation an {@link #isOtherFormatted OTHER_FORMATTED} record names. */
    public static long otherGeneration(MemorySegment record) {
        assert isOtherFormatted(record);
        return record.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 1);
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
