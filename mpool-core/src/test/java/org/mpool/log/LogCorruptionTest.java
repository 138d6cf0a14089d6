package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MediaDamage;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.Seeds;

/**
 * Damaged media (DESIGN.md §4 rule 4, §6): bytes flipped or zeroed, blocks copied over other
 * blocks (of this log, an older generation of it, or another log). Reading must return a
 * prefix of what was written, exactly, or fail with CORRUPT: never other bytes, never another
 * exception, never hang.
 */
class LogCorruptionTest {
    private static final int BLOCK = TestLogs.BLOCK;
    private static final int ITERATIONS = 3000;

    @Test
    void damagedLogsReadAsAPrefixOrFailAsCorrupt() {
        long base = Seeds.base("LogCorruptionTest.damagedLogsReadAsAPrefixOrFailAsCorrupt");
        int[] outcomes = new int[2];
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = Seeds.derive(base, i);
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> check(seed, outcomes), () -> "seed " + seed + " hangs");
        }
        System.out.println("LogCorruptionTest: " + ITERATIONS + " damaged logs, " + outcomes[0] + " reads of a prefix, "
                + outcomes[1] + " CORRUPT");
    }

    private static void check(long seed, int[] outcomes) {
        SplittableRandom r = new SplittableRandom(seed);
        int blocks = 4 + r.nextInt(36);
        try (MemoryDevice dev = new MemoryDevice("mem", 2L * blocks * BLOCK)) {
            LogSpec spec = TestLogs.spec(dev, 0, blocks, 71, 2 + r.nextInt(6));
            LogSpec other = TestLogs.spec(dev, blocks, blocks, 72, 4);
            List<byte[]> written = write(spec, seed, r);
            write(other, seed + 1, r);
            MediaDamage damage = new MediaDamage(dev.media());
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                damage(damage, blocks, r);
            }
            String what = "seed " + seed + ", " + written.size() + " records, damage: " + damage;
            expectPrefixOrCorrupt(() -> RecordLog.read(spec).readAll(), written, "read-only read, " + what, outcomes);
            expectPrefixOrCorrupt(
                    () -> {
                        try (RecordLog log = RecordLog.open(spec)) {
                            return log.reader().readAll();
                        }
                    },
                    written,
                    "read after open, " + what,
                    outcomes);
        }
    }

    /** Writes a log, sometimes over an erased older generation; returns the live records. */
    private static List<byte[]> write(LogSpec spec, long seed, SplittableRandom r) {
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1 + r.nextInt(5), r.nextBoolean())) {
            for (int generation = r.nextInt(3); generation >= 0; generation--) {
                written.clear();
                for (int k = r.nextInt(60); k > 0; k--) {
                    int size = r.nextInt(6) == 0 ? r.nextInt(3 * BLOCK) : r.nextInt(200);
                    if (size + 5 >= log.remaining()) {
                        break;
                    }
                    byte[] rec = Records.make(seed, written.size(), size);
                    log.append(rec, r.nextInt(4) == 0);
                    written.add(rec);
                }
                if (generation > 0) {
                    log.erase();
                }
            }
        }
        return written;
    }

    private static void damage(MediaDamage damage, int blocks, SplittableRandom r) {
        MemorySegment media = damage.media();
        long extent = (long) blocks * BLOCK;
        switch (r.nextInt(4)) {
            case 0 -> damage.flipBit(r.nextLong(extent), r.nextInt(8));
            case 1 -> {
                long at = r.nextLong(extent);
                damage.zero(at, Math.min(extent - at, r.nextBoolean() ? 1 + r.nextInt(64) : 512L * (1 + r.nextInt(8))));
            }
            case 2 ->
                damage.copy(
                        media,
                        (long) r.nextInt(2 * blocks) * BLOCK,
                        (long) r.nextInt(blocks) * BLOCK,
                        BLOCK,
                        "a block");
            default ->
                damage.copy(media, r.nextInt(2 * blocks * 8) * 512L, r.nextInt(blocks * 8) * 512L, 512, "a sector");
        }
    }

    private static void expectPrefixOrCorrupt(
            Supplier<List<byte[]>> read, List<byte[]> written, String what, int[] outcomes) {
        List<byte[]> got;
        try {
            got = read.get();
        } catch (MpoolException e) {
            assertThat(e.code()).as("%s: %s", what, e).isEqualTo(ErrorCode.CORRUPT);
            outcomes[1]++;
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
        assertThat(Records.prefixMismatch(got, written)).as(what).isNull();
        outcomes[0]++;
    }
}
