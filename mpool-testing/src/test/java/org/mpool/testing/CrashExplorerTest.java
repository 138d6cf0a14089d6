package org.mpool.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mpool.Mpool;
import org.mpool.spi.BlockDevice;

/** The harness itself: it passes a correct scenario and catches a wrong or non-deterministic one. */
class CrashExplorerTest {

    /**
     * A counter in block 0, bumped ten times; with {@code flushFirst} each bump is flushed
     * before it is acknowledged. A {@code noisy} counter bumps once more on every other run.
     */
    private static final class Counter implements CrashScenario<long[]> {
        private final boolean flushFirst;
        private final boolean noisy;
        private int runs;

        Counter(boolean flushFirst, boolean noisy) {
            this.flushFirst = flushFirst;
            this.noisy = noisy;
        }

        @Override
        public Start<long[]> start(long seed) {
            return new Start<>(new MemoryDevice("counter", 8192), new long[] {0});
        }

        @Override
        public void run(BlockDevice device, long[] acked, SplittableRandom random, List<AutoCloseable> cleanup) {
            long bumps = 10 + (noisy ? runs++ % 2 : 0);
            long from = acked[0];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = Mpool.allocateBuffer(arena, 4096);
                for (long i = from + 1; i <= from + bumps; i++) {
                    block.set(ValueLayout.JAVA_LONG, 0, i);
                    device.write(0, block);
                    if (flushFirst) {
                        device.flush();
                    }
                    acked[0] = i;
                }
            }
        }

        @Override
        public long[] recover(MemoryDevice image, long[] acked) {
            long value = image.media().get(ValueLayout.JAVA_LONG, 0);
            if (value < acked[0]) {
                throw new AssertionError("counter " + value + ", but " + acked[0] + " was acknowledged");
            }
            return new long[] {value};
        }
    }

    @Test
    void passesACorrectScenario() {
        assertThat(explore(new Counter(true, false), "self-test, correct counter")
                        .violations())
                .isEmpty();
    }

    @Test
    void catchesAcknowledgementsBeforeTheFlush() {
        assertThat(explore(
                                new Counter(false, false),
                                "self-test, counter acknowledged before its flush (violations expected)")
                        .violations())
                .anyMatch(v -> v.contains("was acknowledged"));
    }

    @Test
    void catchesANonDeterministicWorkload() {
        assertThat(explore(new Counter(true, true), "self-test, non-deterministic counter (a violation expected)")
                        .violations())
                .anyMatch(v -> v.contains("not deterministic"));
    }

    /** Every crash point, each followed by a second crash at the mirrored point. */
    private static CrashExplorer<long[]> explore(Counter counter, String name) {
        CrashExplorer<long[]> explorer = new CrashExplorer<>(name, counter, 4);
        CrashExplorer.Counts counts = explorer.countsOf(1);
        for (long i = 0; i < counts.points(); i++) {
            explorer.run(new CrashExplorer.Sequence(1, counts.point(i), counts.point(counts.points() - 1 - i)));
        }
        System.out.println(explorer.report(0));
        return explorer;
    }
}
