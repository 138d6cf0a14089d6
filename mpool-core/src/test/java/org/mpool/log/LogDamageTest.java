package org.mpool.log;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mpool.format.LogFormat.BLOCK_HEADER_SIZE;
import static org.mpool.format.LogFormat.BLOCK_SIZE;
import static org.mpool.format.LogFormat.FRAGMENT_HEADER_SIZE;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.LogFormat;

/**
 * Damaged media never yield wrong records: a written, closed log is damaged at random (bits
 * flipped, ranges zeroed, blocks of this log, another log or an older generation written over
 * its blocks); then both {@link RecordLog#read} and {@link RecordLog#open} either return a prefix of the
 * written records, byte for byte and at least every record before the first damaged byte, or
 * fail with CORRUPT (UNSUPPORTED only if a version field was hit). Each seed is one log and
 * one damage; replay one with -Dmpool.corruption.seed=N.
 */
class LogDamageTest {
    private static final int BATCH = 100;
    /**
     * Replays one seed alone. Not {@code mpool.seed}: that one sets the base seed of the
     * randomized suites (the mutation-testing profile sets it), and would cut this test to one log.
     */
    private static final String REPLAY_SEED = "mpool.corruption.seed";

    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void randomDamageReadsAPrefixOrFailsCorrupt() {
        int corrupt = forEachSeed(Integer.getInteger("mpool.corruption.iterations", 3000), LogDamageTest::randomDamage);
        System.out.printf("log corruption: %d damaged logs failed CORRUPT, the rest read a prefix%n", corrupt);
    }

    @Test
    void damageBeforeAProvenDurablePositionIsCorrupt() {
        forEachSeed(Integer.getInteger("mpool.corruption.proven", 600), LogDamageTest::provenDamage);
    }

    @Test
    void aBitFlipInAClosedLogIsCorruptOrHarmless() {
        forEachSeed(Integer.getInteger("mpool.corruption.closed", 1000), LogDamageTest::closedLogBitFlip);
    }

    @Test
    void aClosedLogThatLostItsLastFramesAndEveryLaterFragmentIsCorrupt() {
        forEachSeed(Integer.getInteger("mpool.corruption.marked", 300), LogDamageTest::lastFramesWiped);
    }

    /** Runs {@code check} for seeds 1..n (or only -Dmpool.corruption.seed) in batches that must not hang; returns how many failed CORRUPT. */
    private static int forEachSeed(int n, SeedCheck check) {
        Long only = Long.getLong(REPLAY_SEED);
        long first = only != null ? only : 1;
        long last = only != null ? only : n;
        int[] corrupt = {0};
        for (long from = first; from <= last; from += BATCH) {
            long batchFrom = from;
            long batchTo = Math.min(last, from + BATCH - 1);
            assertTimeoutPreemptively(
                    BATCH_TIMEOUT,
                    () -> {
                        for (long seed = batchFrom; seed <= batchTo; seed++) {
                            corrupt[0] += check.run(seed) ? 1 : 0;
                        }
                    },
                    () -> "seeds " + batchFrom + ".." + batchTo + " did not finish in " + BATCH_TIMEOUT + " (a hang?)");
        }
        return corrupt[0];
    }

    private interface SeedCheck {
        boolean run(long seed);
    }

    private static String where(long seed, LogDamage damage) {
        return "seed " + seed + " (replay with -D" + REPLAY_SEED + "=" + seed + "), damage: " + damage;
    }

    private static boolean randomDamage(long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L);
        boolean syncedTail = r.nextBoolean();
        try (CorruptionFixture f = new CorruptionFixture(seed, syncedTail, !syncedTail || r.nextBoolean())) {
            LogDamage damage = new LogDamage(f);
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                damage.random(r);
            }
            return checkPrefixOrCorrupt(f, damage, where(seed, damage));
        }
    }

    /**
     * Reads the damaged log both ways and checks the outcome; if open succeeded, the log must
     * also take a new record and read back with it. Returns whether the log failed CORRUPT.
     */
    static boolean checkPrefixOrCorrupt(CorruptionFixture f, LogDamage damage, String where) {
        long changed = damage.firstChanged();
        int atLeast = changed < 0 ? f.records.size() : f.recordsWhollyBefore(changed);
        boolean staleBlockZero = damage.blockZeroIsStale(); // before open rewrites block 0
        boolean versionHit = damage.versionFieldHit();
        byte[] extra = {(byte) 0xE7, 1, 2, 3};
        ReadOutcome read = ReadOutcome.of(
                where + ", RecordLog.read", () -> RecordLog.read(f.a).readAll());
        ReadOutcome open = ReadOutcome.of(where + ", RecordLog.open", () -> {
            try (RecordLog log = RecordLog.open(f.a, Runnable::run)) {
                List<byte[]> records = log.reader().readAll();
                log.append(extra, true);
                return records;
            }
        });
        for (ReadOutcome o : List.of(read, open)) {
            if (o.failed()) {
                boolean allowed = o.code() == ErrorCode.CORRUPT || (o.code() == ErrorCode.UNSUPPORTED && versionHit);
                assertThat(allowed).as(where + ": failed with " + o.error()).isTrue();
            } else {
                String violation = o.prefixViolation(f.records, atLeast);
                if (violation != null && staleBlockZero && o.prefixViolation(f.oldRecords, 0) == null) {
                    // Block 0 rolled back to generation 1 and no intact block of the newer
                    // generation is where the scan looks (right after the end): the media are
                    // indistinguishable from the older log, whose records are read.
                    violation = null;
                }
                assertThat(violation)
                        .as(where
                                + (staleBlockZero
                                        ? " (nor generation 1's records: " + o.prefixViolation(f.oldRecords, 0) + ")"
                                        : ""))
                        .isNull();
            }
        }
        assertThat(open.summary())
                .as(where + ": RecordLog.open (" + open + ") and RecordLog.read (" + read + ") disagree")
                .isEqualTo(read.summary());
        if (!open.failed()) {
            List<byte[]> expected = new ArrayList<>(open.records());
            expected.add(extra);
            ReadOutcome after = ReadOutcome.of(
                    where + ", read after an append to the recovered log",
                    () -> RecordLog.read(f.a).readAll());
            assertThat(after.failed())
                    .as(where + ": the recovered log took a record, then: " + after)
                    .isFalse();
            assertThat(after.prefixViolation(expected, expected.size()))
                    .as(where + ", after an append to the recovered log")
                    .isNull();
            assertThat(after.records())
                    .as(where + ", after an append to the recovered log")
                    .hasSameSizeAs(expected);
        }
        return read.failed();
    }

    /**
     * Flips one bit anywhere before the end of a closed log, its last records included: close
     * wrote block 0's durable mark, which says every record is durable, so the reads fail
     * CORRUPT or, if the bit was one no record depends on (padding), return every record. A shorter log would be acknowledged records lost without a word.
     */
    private static boolean closedLogBitFlip(long seed) {
        Random r = new Random(seed * 0x5DEECE66DL);
        try (CorruptionFixture f = new CorruptionFixture(seed, r.nextBoolean(), true)) {
            LogDamage damage = new LogDamage(f);
            damage.flipBit(r.nextLong(f.end), r.nextInt(8));
            String where = where(seed, damage) + " (log end " + f.end + ")";
            ReadOutcome read = ReadOutcome.of(
                    where + ", RecordLog.read", () -> RecordLog.read(f.a).readAll());
            ReadOutcome open = ReadOutcome.of(where + ", RecordLog.open", () -> {
                try (RecordLog log = RecordLog.open(f.a, Runnable::run)) {
                    return log.reader().readAll();
                }
            });
            for (ReadOutcome o : List.of(read, open)) {
                if (o.failed()) {
                    assertThat(o.code() == ErrorCode.CORRUPT
                                    || (o.code() == ErrorCode.UNSUPPORTED && damage.versionFieldHit()))
                            .as(where + ": failed with " + o.error())
                            .isTrue();
                } else {
                    assertThat(o.prefixViolation(f.records, f.records.size()))
                            .as(where)
                            .isNull();
                }
            }
            return read.failed();
        }
    }

    /**
     * Wipes a closed log from the start of a record's frame to its end: every fragment that
     * could vouch for the lost records is gone with them, and the zeros read as a log that was
     * never written further. Only block 0's durable mark, written by the close, still says the
     * records were durable, also after a later session that appended nothing: both reads must
     * fail CORRUPT.
     */
    private static boolean lastFramesWiped(long seed) {
        Random r = new Random(seed * 0x61C8864680B583EBL);
        try (CorruptionFixture f = new CorruptionFixture(seed, r.nextBoolean(), true)) {
            if (r.nextBoolean()) {
                // A session that appends nothing: its open rewrites block 0, keeping the mark.
                RecordLog.open(f.a, Runnable::run).close();
            }
            LogDamage damage = new LogDamage(f);
            long from = f.framePositions.get(r.nextInt(f.framePositions.size()));
            damage.zero(from, f.end - from);
            String where = where(seed, damage) + " (log end " + f.end + ")";
            for (ReadOutcome o : List.of(
                    ReadOutcome.of(
                            where + ", RecordLog.read",
                            () -> RecordLog.read(f.a).readAll()),
                    ReadOutcome.of(where + ", RecordLog.open", () -> {
                        try (RecordLog log = RecordLog.open(f.a, Runnable::run)) {
                            return log.reader().readAll();
                        }
                    }))) {
                assertThat(o.failed()).as(where + ": " + o).isTrue();
                assertThat(o.code()).as(where + ": " + o.error()).isEqualTo(ErrorCode.CORRUPT);
            }
            return true;
        }
    }

    /**
     * Damages one block wholly before the synced tail, in a byte some check covers (its header,
     * or its first fragment). Synced fragments in later blocks record that the damaged bytes
     * were durable, so both reads must fail CORRUPT rather than return a shorter log. The log
     * was not closed (a power loss after the last synced append): no durable mark in block 0
     * says so in their place.
     */
    private static boolean provenDamage(long seed) {
        Random r = new Random(seed * 0x2545F4914F6CDD1DL);
        try (CorruptionFixture f = new CorruptionFixture(seed, true, false)) {
            long blocksBeforeTail = f.syncedTailStart / BLOCK_SIZE;
            assertThat(blocksBeforeTail)
                    .as("seed %d: fixture has a synced tail", seed)
                    .isPositive();
            long block = r.nextLong(blocksBeforeTail);
            long start = block * BLOCK_SIZE;
            int firstFragment =
                    LogFormat.fragmentLength(MemorySegment.ofArray(f.pristine).asSlice(start + BLOCK_HEADER_SIZE));
            long coveredEnd = start + BLOCK_HEADER_SIZE + FRAGMENT_HEADER_SIZE + firstFragment;
            LogDamage damage;
            do {
                MemorySegment.copy(f.pristine, 0, f.mediaA(), JAVA_BYTE, 0, f.pristine.length);
                damage = new LogDamage(f);
                long blocks = f.a.capacityBytes() / BLOCK_SIZE;
                switch (r.nextInt(5)) {
                    case 0 -> damage.flipBit(start + r.nextLong(coveredEnd - start), r.nextInt(8));
                    case 1 -> {
                        long from = start + r.nextLong(coveredEnd - start);
                        damage.zero(from, Math.min(1 + r.nextInt(BLOCK_SIZE), start + BLOCK_SIZE - from));
                    }
                    case 2 -> damage.copyBlock(f.mediaA(), r.nextLong(blocks), block, "block of this log");
                    case 3 -> damage.copyBlock(f.mediaB(), r.nextLong(blocks), block, "block of log B");
                    default ->
                        damage.copyBlock(
                                MemorySegment.ofArray(f.oldGeneration),
                                r.nextLong(blocks),
                                block,
                                "block of generation 1");
                }
            } while (!damage.changedWithin(start, coveredEnd));
            String where = where(seed, damage) + " (block " + block + ", synced tail from " + f.syncedTailStart
                    + ", log end " + f.end + ")";
            ReadOutcome read = ReadOutcome.of(
                    where + ", RecordLog.read", () -> RecordLog.read(f.a).readAll());
            assertThat(read.code()).as(where + ": RecordLog.read gave " + read).isEqualTo(ErrorCode.CORRUPT);
            ReadOutcome open = ReadOutcome.of(where + ", RecordLog.open", () -> {
                try (RecordLog log = RecordLog.open(f.a, Runnable::run)) {
                    return log.reader().readAll();
                }
            });
            assertThat(open.code()).as(where + ": RecordLog.open gave " + open).isEqualTo(ErrorCode.CORRUPT);
            return true;
        }
    }
}
