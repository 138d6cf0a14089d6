package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** MDC log records (docs/FORMAT.md §4): a type byte, then the client's bytes or nothing. */
class MdcRecordTest {

    @Property(tries = 1000)
    void userRecordsRoundTrip(@ForAll @Size(max = 600) byte[] client) {
        byte[] record = MdcRecord.user(client);
        assertThat(record.length)
                .as("user record length for %d client bytes", client.length)
                .isEqualTo(client.length + 1);
        assertThat(record[0]).as("type byte of a user record").isEqualTo(MdcRecord.USER);
        assertThat(MdcRecord.isUser(record))
                .as("isUser of a user record of %d bytes", client.length)
                .isTrue();
        assertThat(MdcRecord.isEndMarker(record))
                .as("isEndMarker of a user record of %d bytes", client.length)
                .isFalse();
        assertThat(MdcRecord.isEndMarker(MemorySegment.ofArray(record)))
                .as("isEndMarker(segment) of a user record of %d bytes", client.length)
                .isFalse();
        assertThat(MdcRecord.clientBytes(record)).as("clientBytes(user(x))").isEqualTo(client);
    }

    @Example
    void theEndMarkerIsTheOneByteRecord01() {
        byte[] marker = MdcRecord.endMarker();
        assertThat(marker).as("end marker").containsExactly(MdcRecord.COMPACTION_END);
        assertThat(MdcRecord.COMPACTION_END).as("COMPACTION_END").isEqualTo((byte) 1);
        assertThat(MdcRecord.isEndMarker(marker)).as("isEndMarker(endMarker())").isTrue();
        assertThat(MdcRecord.isEndMarker(MemorySegment.ofArray(marker)))
                .as("isEndMarker(segment of endMarker())")
                .isTrue();
        assertThat(MdcRecord.isUser(marker)).as("isUser(endMarker())").isFalse();
        marker[0] = 99;
        assertThat(MdcRecord.endMarker())
                .as("endMarker() after a caller changed an earlier copy")
                .containsExactly(MdcRecord.COMPACTION_END);
    }

    @Example
    void anEmptyClientRecordIsAUserRecordNotAMarker() {
        byte[] record = MdcRecord.user(new byte[0]);
        assertThat(record).as("user(empty)").containsExactly(MdcRecord.USER);
        assertThat(MdcRecord.isUser(record)).as("isUser(user(empty))").isTrue();
        assertThat(MdcRecord.isEndMarker(record)).as("isEndMarker(user(empty))").isFalse();
        assertThat(MdcRecord.clientBytes(record)).as("clientBytes(user(empty))").isEmpty();
        assertThat(MdcRecord.isUser(new byte[0])).as("isUser of no bytes").isFalse();
        assertThat(MdcRecord.isEndMarker(new byte[0]))
                .as("isEndMarker of no bytes")
                .isFalse();
    }

    /**
     * Any other record is neither: reserved types (readers skip them), and the marker byte
     * followed by more bytes. Both forms of isEndMarker agree on every record.
     */
    @Property(tries = 1000)
    void otherRecordsAreNeitherUserNorMarker(@ForAll @Size(min = 1, max = 40) byte[] record) {
        boolean user = record[0] == MdcRecord.USER;
        boolean marker = record.length == 1 && record[0] == MdcRecord.COMPACTION_END;
        assertThat(MdcRecord.isUser(record))
                .as("isUser of record of type %d, %d bytes", record[0], record.length)
                .isEqualTo(user);
        assertThat(MdcRecord.isEndMarker(record))
                .as("isEndMarker of type %d, %d bytes", record[0], record.length)
                .isEqualTo(marker);
        assertThat(MdcRecord.isEndMarker(MemorySegment.ofArray(record)))
                .as("isEndMarker(segment) of type %d, %d bytes", record[0], record.length)
                .isEqualTo(marker);
    }
}
