package org.mpool.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Object ids (docs/FORMAT.md §5): uniquifier 52 bits, type 4, shard 8; metadata log ids are never object ids. */
class ObjectIdBitsTest {

    @Property(tries = 3000)
    void packAndUnpackRoundTripOverTheFullRanges(
            @ForAll @LongRange(min = 0, max = ObjectIdBits.UNIQUIFIER_LIMIT - 1) long uniquifier,
            @ForAll @IntRange(min = ObjectIdBits.TYPE_MBLOCK, max = ObjectIdBits.TYPE_MLOG) int type,
            @ForAll @IntRange(min = 1, max = ObjectIdBits.MAX_SHARD) int shard) {
        long id = ObjectIdBits.pack(uniquifier, type, shard);
        String what = ObjectIdBits.toString(id);
        assertThat(ObjectIdBits.uniquifier(id)).as("uniquifier of %s", what).isEqualTo(uniquifier);
        assertThat(ObjectIdBits.typeCode(id)).as("type of %s", what).isEqualTo(type);
        assertThat(ObjectIdBits.shard(id)).as("shard of %s", what).isEqualTo(shard);
        assertThat(ObjectIdBits.isObjectId(id)).as("isObjectId(%s)", what).isTrue();
        assertThat(ObjectIdBits.toString(id))
                .as("printed form of %s", what)
                .matches("0x[0-9a-f]{16}")
                .isEqualTo("0x" + String.format("%016x", id));
    }

    @Example
    void theFieldsSitWhereTheFormatSays() {
        assertThat(ObjectIdBits.pack(1, ObjectIdBits.TYPE_MBLOCK, 1))
                .as("uniquifier 1, mblock, shard 1")
                .isEqualTo(0x1101L);
        assertThat(ObjectIdBits.pack(ObjectIdBits.UNIQUIFIER_LIMIT - 1, ObjectIdBits.TYPE_MLOG, 255))
                .as("largest uniquifier, mlog, shard 255")
                .isEqualTo(0xFFFF_FFFF_FFFF_F2FFL);
        assertThat(ObjectIdBits.uniquifier(-1L)).as("uniquifier of all ones").isEqualTo((1L << 52) - 1);
        assertThat(ObjectIdBits.toString(0x1101L)).as("printed form").isEqualTo("0x0000000000001101");
    }

    /** Over every 64-bit value: an object id is exactly a known type (1 or 2) and a shard other than 0. */
    @Property(tries = 5000)
    void isObjectIdIsAKnownTypeAndAShard(@ForAll long id) {
        int type = (int) (id >>> 8) & 0xF;
        int shard = (int) id & 0xFF;
        assertThat(ObjectIdBits.isObjectId(id))
                .as("isObjectId(%s)", ObjectIdBits.toString(id))
                .isEqualTo((type == 1 || type == 2 || type == 3) && shard != 0);
    }

    @Property(tries = 500)
    void everyOtherTypeAndShardZeroAreRejected(
            @ForAll @LongRange(min = 0, max = ObjectIdBits.UNIQUIFIER_LIMIT - 1) long uniquifier,
            @ForAll @IntRange(min = 1, max = 255) int shard) {
        for (int type = 0; type < 16; type++) {
            long id = uniquifier << ObjectIdBits.UNIQUIFIER_SHIFT | (long) type << ObjectIdBits.TYPE_SHIFT | shard;
            assertThat(ObjectIdBits.isObjectId(id))
                    .as("isObjectId with type %d: %s", type, ObjectIdBits.toString(id))
                    .isEqualTo(type == ObjectIdBits.TYPE_MBLOCK
                            || type == ObjectIdBits.TYPE_MLOG
                            || type == ObjectIdBits.TYPE_MDC);
            assertThat(ObjectIdBits.isKnownType(type))
                    .as("isKnownType(%d)", type)
                    .isEqualTo(type == 1 || type == 2 || type == 3);
            long noShard = id & ~ObjectIdBits.SHARD_MASK;
            assertThat(ObjectIdBits.isObjectId(noShard))
                    .as("isObjectId with shard 0: %s", ObjectIdBits.toString(noShard))
                    .isFalse();
        }
    }

    /**
     * Metadata log ids seed checksums as an mlog's object id does, so none may equal the id of
     * an object. They are all below 0x1000: uniquifier 0, which no object has (shards hand out
     * uniquifiers from 1, see ShardTest). Their type bits are not all 0: from shard 112 on,
     * 0x20 + 2·shard + w reaches bit 8, and e.g. shard 255's log 1, 0x21f, has the bits of an
     * mlog id (uniquifier 0, shard 31) and passes isObjectId. Format version 1 fixes these ids.
     */
    @Example
    void metadataLogIdsAreDistinctAndHaveUniquifierZero() {
        Set<Long> ids = new HashSet<>();
        for (int which = 0; which < 2; which++) {
            ids.add(LogIds.mdc0(which));
            for (int shard = 1; shard <= ObjectIdBits.MAX_SHARD; shard++) {
                ids.add(LogIds.shard(shard, which));
            }
        }
        assertThat(ids).as("metadata log ids").hasSize(2 + 2 * ObjectIdBits.MAX_SHARD);
        for (long id : ids) {
            assertThat(ObjectIdBits.uniquifier(id))
                    .as("uniquifier of log id %s", ObjectIdBits.toString(id))
                    .isZero();
        }
        assertThat(LogIds.mdc0(0)).as("MDC-0 log 0").isEqualTo(0x10);
        assertThat(LogIds.mdc0(1)).as("MDC-0 log 1").isEqualTo(0x11);
        assertThat(LogIds.shard(1, 0)).as("shard 1 log 0").isEqualTo(0x22);
        assertThat(LogIds.shard(111, 1))
                .as("shard 111 log 1, the last below bit 8")
                .isEqualTo(0xFF);
        assertThat(LogIds.shard(255, 1)).as("shard 255 log 1").isEqualTo(0x21f);
        for (int shard = 1; shard < 112; shard++) {
            for (int which = 0; which < 2; which++) {
                long id = LogIds.shard(shard, which);
                assertThat(ObjectIdBits.typeCode(id))
                        .as("type bits of shard %d log %d", shard, which)
                        .isZero();
                assertThat(ObjectIdBits.isObjectId(id))
                        .as("isObjectId of shard %d log %d", shard, which)
                        .isFalse();
            }
        }
        assertThat(ObjectIdBits.isObjectId(LogIds.shard(255, 1)))
                .as("isObjectId(0x21f): the bits of an mlog id with uniquifier 0")
                .isTrue();
    }
}
