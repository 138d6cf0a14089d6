package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * The log's room is computed exactly: {@code append(remaining())} fits, one byte more fails
 * with LOG_FULL and changes nothing; {@link LogRing#endAfter} predicts the tail exactly.
 */
class LogCapacityTest {

    @Test
    void remainingIsExactAndLogFullChangesNothing() {
        long base = Seeds.base("LogCapacityTest.remainingIsExactAndLogFullChangesNothing");
        for (int i = 0; i < 400; i++) {
            checkRemaining(Seeds.derive(base, i));
        }
    }

    private static void checkRemaining(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int blocks = 2 + r.nextInt(24);
        try (MemoryDevice dev = new MemoryDevice("mem", (blocks + 1) * (long) TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 1, blocks, 11, 2 + r.nextInt(7));
            List<byte[]> written = new ArrayList<>();
            try (RecordLog log = RecordLog.format(spec, 1, false)) {
                long fillTo = r.nextLong(spec.capacityBytes() + 1);
                while (log.usedBytes() < fillTo) {
                    int size = r.nextInt(4) == 0 ? r.nextInt(3 * TestLogs.BLOCK) : r.nextInt(100);
                    if (size > log.remaining()) {
                        break;
                    }
                    append(log, written, Records.make(seed, written.size(), size), r.nextBoolean());
                }
                long rem = log.remaining();
                long used = log.usedBytes();
                String what = "seed " + seed + ", " + blocks + " blocks, used " + used + ", remaining " + rem;

                MpoolException full = catchThrowableOfType(
                        MpoolException.class, () -> log.append(new byte[(int) rem + 1], r.nextBoolean()));
                assertThat(full).as("append(remaining() + 1), %s", what).isNotNull();
                assertThat(full.code()).as("append(remaining() + 1), %s", what).isEqualTo(ErrorCode.LOG_FULL);
                assertThat(log.usedBytes())
                        .as("usedBytes after LOG_FULL, %s", what)
                        .isEqualTo(used);
                assertThat(log.remaining())
                        .as("remaining after LOG_FULL, %s", what)
                        .isEqualTo(rem);

                if (rem >= 0) {
                    append(log, written, Records.make(seed, written.size(), (int) rem), r.nextBoolean());
                } else {
                    MpoolException empty =
                            catchThrowableOfType(MpoolException.class, () -> log.append(new byte[0], r.nextBoolean()));
                    assertThat(empty)
                            .as("0-byte append when remaining() is -1, %s", what)
                            .isNotNull();
                    assertThat(empty.code())
                            .as("0-byte append on a full log, %s", what)
                            .isEqualTo(ErrorCode.LOG_FULL);
                    assertThat(log.usedBytes())
                            .as("usedBytes after LOG_FULL, %s", what)
                            .isEqualTo(used);
                }
                log.flush();
                assertThat(log.reader().readAll()).as("live read, %s", what).containsExactlyElementsOf(written);
            }
            assertThat(RecordLog.read(spec).readAll())
                    .as("read-only read, seed %d", seed)
                    .containsExactlyElementsOf(written);
            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll())
                        .as("read after reopen, seed %d", seed)
                        .containsExactlyElementsOf(written);
            }
        }
    }

    private static void append(RecordLog log, List<byte[]> written, byte[] record, boolean sync) {
        log.append(record, sync);
        written.add(record);
    }

    @Test
    void endAfterPredictsTheTailExactly() {
        long base = Seeds.base("LogCapacityTest.endAfterPredictsTheTailExactly");
        for (int i = 0; i < 300; i++) {
            checkEndAfter(Seeds.derive(base, i));
        }
    }

    /**
     * Drives two rings through the same appends: one with a small capacity, one with room to
     * spare. The roomy ring's endAfter is checked against where put really leaves the tail;
     * the small ring must give the same answer while it fits and Long.MAX_VALUE after.
     */
    private static void checkEndAfter(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long capacity = (2 + r.nextInt(12)) * (long) TestLogs.BLOCK;
        long roomy = capacity + 16L * TestLogs.BLOCK;
        try (Arena arena = Arena.ofConfined()) {
            LogRing small = ring(arena, capacity);
            LogRing big = ring(arena, roomy);
            MemorySegment src = arena.allocate(4L * TestLogs.BLOCK);
            for (int refusals = 0; refusals < 3; ) {
                long payload = r.nextInt(3) == 0 ? r.nextLong(src.byteSize()) : r.nextInt(64);
                long expectedEnd = big.endAfter(payload);
                long smallEnd = small.endAfter(payload);
                String what =
                        "seed " + seed + ", capacity " + capacity + ", tail " + small.tail() + ", payload " + payload;
                assertThat(smallEnd)
                        .as("endAfter, %s", what)
                        .isEqualTo(expectedEnd <= capacity ? expectedEnd : Long.MAX_VALUE);
                long room = small.payloadRoom();
                if (room > 0) { // 0 means not even a fragment header fits
                    assertThat(small.endAfter(room))
                            .as("endAfter(payloadRoom()), %s", what)
                            .isNotEqualTo(Long.MAX_VALUE);
                }
                assertThat(small.endAfter(room + 1))
                        .as("endAfter(payloadRoom() + 1), %s", what)
                        .isEqualTo(Long.MAX_VALUE);
                if (smallEnd == Long.MAX_VALUE) {
                    refusals++;
                    continue;
                }
                for (LogRing ring : new LogRing[] {small, big}) {
                    assertThat(ring.openFrame()).as("openFrame, %s", what).isTrue();
                    assertThat(ring.put(src, 0, payload)).as("put, %s", what).isEqualTo(payload);
                    assertThat(ring.tail()).as("tail after put, %s", what).isEqualTo(expectedEnd);
                }
                if (r.nextInt(3) == 0) {
                    small.sealFrame();
                    big.sealFrame();
                }
            }
        }
    }

    private static LogRing ring(Arena arena, long capacity) {
        LogRing ring = new LogRing(new LogFormat.Seed(TestLogs.POOL, 1), arena.allocate(capacity, 4096), capacity);
        ring.reset(1, 1, LogFormat.BLOCK_HEADER_SIZE, arena.allocate(TestLogs.BLOCK));
        return ring;
    }
}
