package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.mpool.format.LogFormat;
import org.mpool.testing.MemoryDevice;

/**
 * Records of every size go through the log codec unchanged: empty, one byte, sizes around a
 * block's payload (4096 - 52), several blocks, bigger than the write buffer, and lengths at
 * varint boundaries; written sync or async; read live, read-only, and after reopen.
 */
class RecordRoundTripTest {
    private static final int PAYLOAD = LogFormat.BLOCK_PAYLOAD;

    record Rec(int size, boolean sync) {}

    @Provide
    Arbitrary<Rec> rec() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(20, Arbitraries.integers().between(0, 200)),
                net.jqwik.api.Tuple.of(20, Arbitraries.integers().between(PAYLOAD - 40, PAYLOAD + 40)),
                net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(2 * PAYLOAD - 40, 2 * PAYLOAD + 40)),
                net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(PAYLOAD, 12 * LogFormat.BLOCK_SIZE)),
                net.jqwik.api.Tuple.of(5, Arbitraries.of(127, 128, 16383, 16384)));
        return Combinators.combine(size, Arbitraries.of(true, false)).as(Rec::new);
    }

    @Property(tries = 300)
    void recordsOfAnySizeRoundTrip(
            @ForAll @Size(min = 1, max = 30) List<@net.jqwik.api.From("rec") Rec> recs,
            @ForAll @IntRange(min = 2, max = 8) int bufferBlocks,
            @ForAll long seed) {
        roundTrip(recs, bufferBlocks, seed);
    }

    @Example
    void recordsBiggerThanTheBufferAndAtVarintBoundaries() {
        List<Rec> recs = new ArrayList<>();
        for (int size : new int[] {0, 1, 127, 128, 16383, 16384, 3 * 8 * 4096 + 1, (1 << 21) - 1, 1 << 21, 0}) {
            recs.add(new Rec(size, size % 2 == 0));
        }
        roundTrip(recs, 8, 42);
    }

    @Example
    void everySizeAroundTheFirstBlockBoundary() {
        for (int size = PAYLOAD - 30; size <= PAYLOAD + 30; size++) {
            roundTrip(List.of(new Rec(size, true), new Rec(7, false), new Rec(size, false)), 2, size);
        }
    }

    static void roundTrip(List<Rec> recs, int bufferBlocks, long seed) {
        long bytes = 0;
        for (Rec r : recs) {
            bytes += r.size() + 5 + LogFormat.FRAGMENT_HEADER_SIZE + LogFormat.MIN_FRAME_START_ROOM;
        }
        long blocks = bytes / PAYLOAD + recs.size() + 3;
        String what = "records " + recs + ", buffer " + bufferBlocks + " blocks, seed " + seed;
        try (MemoryDevice dev = new MemoryDevice("mem", (blocks + 1) * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 1, blocks, 5, bufferBlocks);
            List<byte[]> written = new ArrayList<>();
            try (RecordLog log = RecordLog.format(spec, 3, false)) {
                for (Rec r : recs) {
                    byte[] rec = Records.make(seed, written.size(), r.size());
                    log.append(rec, r.sync());
                    written.add(rec);
                    List<byte[]> live = log.reader().readAll();
                    assertThat(Records.prefixMismatch(live, written))
                            .as("live read mid-way, %s", what)
                            .isNull();
                }
                log.flush();
                assertThat(log.reader().readAll()).as("live read, %s", what).containsExactlyElementsOf(written);
            }
            assertThat(RecordLog.read(spec).readAll())
                    .as("read-only read, %s", what)
                    .containsExactlyElementsOf(written);
            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll())
                        .as("read after reopen, %s", what)
                        .containsExactlyElementsOf(written);
            }
        }
    }
}
