package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * Readers while appends go on: each read returns a prefix of the planned records, never a
 * record whose append had not started, and successive reads never shrink.
 */
class ConcurrentReaderTest {

    @Test
    void readersSeeAPrefixOfWhatWasAppended() throws Exception {
        long base = Seeds.base("ConcurrentReaderTest.readersSeeAPrefixOfWhatWasAppended");
        for (int i = 0; i < 6; i++) {
            check(Seeds.derive(base, i));
        }
    }

    private static void check(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> planned = new ArrayList<>();
        List<Boolean> sync = new ArrayList<>();
        long bytes = 0;
        while (bytes < 1_500_000) {
            int size = r.nextInt(10) == 0 ? r.nextInt(40_000) : r.nextInt(500);
            planned.add(Records.make(seed, planned.size(), size));
            sync.add(r.nextInt(8) == 0);
            bytes += size + 60;
        }
        long blocks = bytes / 4000 + 16;
        try (MemoryDevice dev = new MemoryDevice("mem", blocks * TestLogs.BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 0, blocks, 31, 4 + r.nextInt(60));
            AtomicInteger started = new AtomicInteger();
            AtomicInteger readsDone = new AtomicInteger();
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            try (RecordLog log = RecordLog.format(spec, 1, false)) {
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        for (int k = 0; k < planned.size(); k++) {
                            if (k % 64 == 63) { // let a read in, so reads and appends interleave
                                int target = readsDone.get() + 1;
                                while (readsDone.get() < target) {
                                    Thread.onSpinWait();
                                }
                            }
                            started.incrementAndGet();
                            log.append(planned.get(k), sync.get(k));
                        }
                        log.flush();
                    } catch (Throwable t) {
                        writerError.set(t);
                    }
                });
                int last = 0;
                int reads = 0;
                while (writer.isAlive() || reads == 0) {
                    List<byte[]> seen = log.reader().readAll();
                    int bound = started.get();
                    String what = "seed " + seed + ", read " + reads + ", " + seen.size() + " records";
                    assertThat(Records.prefixMismatch(seen, planned)).as(what).isNull();
                    assertThat(seen.size())
                            .as("records whose append had started, %s", what)
                            .isLessThanOrEqualTo(bound);
                    assertThat(seen.size())
                            .as("not fewer than the previous read (%d), %s", last, what)
                            .isGreaterThanOrEqualTo(last);
                    last = seen.size();
                    reads++;
                    readsDone.incrementAndGet();
                }
                writer.join();
                assertThat(writerError.get()).as("writer, seed %d", seed).isNull();
                assertThat(log.reader().readAll())
                        .as("final read, seed %d", seed)
                        .containsExactlyElementsOf(planned);
                System.out.println("ConcurrentReaderTest: seed " + seed + ": " + reads + " reads during "
                        + planned.size() + " appends");
            }
        }
    }
}
