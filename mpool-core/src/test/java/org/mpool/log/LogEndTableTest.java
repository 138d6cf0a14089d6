package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mpool.format.LogFormat.BLOCK_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.LogFormat;
import org.mpool.testing.MediaDamage;
import org.mpool.testing.MemoryDevice;

/**
 * The recovery table of docs/FORMAT.md §3, row by row: for every {@link LogEnd} one log built
 * by hand (appends, then bytes changed where the row says), and the scan must take that row,
 * return exactly the records before it, and fail only where the row fails. A row without a
 * case here fails the test. The randomized explorers (LogCrashExplorerTest, LogDamageTest)
 * cover the combinations; this covers every row deterministically.
 */
class LogEndTableTest {
    private static final int BLOCKS = 8;
    private static final long LOG_ID = 0x4C;

    /**
     * What a hand-built case leaves: the log, the records a scan must return before its end,
     * whether the scan is a live reader's (of the log opened for writing), damage to do after
     * that open and before the read, and a writer left open (as a crash leaves it) to release.
     */
    private record Built(LogSpec spec, List<byte[]> expected, boolean live, Runnable afterOpen, RecordLog leftOpen) {
        Built(LogSpec spec, List<byte[]> expected, boolean live) {
            this(spec, expected, live, () -> {}, null);
        }

        Built(LogSpec spec, List<byte[]> expected, RecordLog leftOpen) {
            this(spec, expected, false, () -> {}, leftOpen);
        }
    }

    /** What a scan of a built log found. */
    private record Scan(List<byte[]> records, LogEnd end, MpoolException error) {}

    private static final Map<LogEnd, Function<MemoryDevice, Built>> CASES = new EnumMap<>(LogEnd.class);

    static {
        CASES.put(LogEnd.BLANK_FRAGMENT, LogEndTableTest::blankFragment);
        CASES.put(LogEnd.UNWRITTEN_BLOCK, LogEndTableTest::unwrittenBlock);
        CASES.put(LogEnd.EXTENT_END, LogEndTableTest::extentEnd);
        CASES.put(LogEnd.TORN_FRAGMENT, LogEndTableTest::tornFragment);
        CASES.put(LogEnd.TORN_BLOCK, LogEndTableTest::tornBlock);
        CASES.put(LogEnd.FRAME_CUT_SHORT, LogEndTableTest::frameCutShort);
        CASES.put(LogEnd.WRITTEN_END, LogEndTableTest::writtenEnd);
        CASES.put(LogEnd.DAMAGE_BEFORE_WRITTEN_END, LogEndTableTest::damageBeforeWrittenEnd);
        CASES.put(LogEnd.DURABLE_DATA_LOST, LogEndTableTest::durableDataLost);
        CASES.put(LogEnd.NO_LOG_HEADER, LogEndTableTest::noLogHeader);
        CASES.put(LogEnd.STALE_BLOCK_ZERO, LogEndTableTest::staleBlockZero);
        CASES.put(LogEnd.NEWER_VERSION, LogEndTableTest::newerVersion);
    }

    @ParameterizedTest
    @EnumSource(LogEnd.class)
    void everyRowOfTheTableIsTakenByItsCase(LogEnd row) {
        assertThat(CASES).as("a hand-built case for every row of the table").containsKey(row);
        try (MemoryDevice dev = new MemoryDevice("table", (long) BLOCKS * BLOCK_SIZE * 2)) {
            Built built = CASES.get(row).apply(dev);
            Scan scan = scan(built);
            if (row.fails()) {
                assertThat(scan.error()).as("%s fails the scan", row).isNotNull();
                ErrorCode code = row.state() == TailState.CORRUPT ? ErrorCode.CORRUPT : ErrorCode.UNSUPPORTED;
                assertThat(scan.error().code())
                        .as("%s: %s", row, scan.error().getMessage())
                        .isEqualTo(code);
                assertThat(scan.error().getMessage())
                        .as("the error says what the row means")
                        .endsWith("(" + row.meaning() + ")");
            } else {
                assertThat(scan.error()).as("%s does not fail the scan", row).isNull();
                assertThat(scan.end()).as("the row the scan took").isEqualTo(row);
                assertThat(Records.prefixMismatch(scan.records(), built.expected()))
                        .as("records before the end")
                        .isNull();
                assertThat(scan.records()).as("all of them").hasSameSizeAs(built.expected());
            }
            if (scan.end() != null) {
                assertThat(scan.end()).as("the row named by the scan").isEqualTo(row);
            }
        }
    }

    private static Scan scan(Built built) {
        List<byte[]> records = new ArrayList<>();
        LogReader reader = null;
        RecordLog open = null;
        try {
            if (built.live()) {
                open = RecordLog.open(built.spec());
                built.afterOpen().run();
                reader = open.reader();
            } else {
                reader = RecordLog.read(built.spec());
            }
            while (reader.next()) {
                records.add(reader.recordBytes());
            }
            return new Scan(records, reader.end(), null);
        } catch (MpoolException e) {
            return new Scan(records, reader == null ? null : reader.end(), e);
        } finally {
            if (reader != null) {
                reader.close();
            }
            closeQuietly(open);
            closeQuietly(built.leftOpen());
        }
    }

    private static void closeQuietly(RecordLog log) {
        try {
            if (log != null) {
                log.close();
            }
        } catch (MpoolException e) {
            // it wrote to damaged media, or found it so: the scan above was the test
        }
    }

    // ---------------------------------------------------------------- the cases, one per row

    /** Two synced records, closed: zeros follow the last frame in block 0. */
    private static Built blankFragment(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1, false)) {
            append(log, written, 100, 2);
        }
        return new Built(spec, written, false);
    }

    /** Block 0 filled to within a frame header's room of its end; block 1 never written. */
    private static Built unwrittenBlock(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        RecordLog log = RecordLog.format(spec, 1, false);
        fillBlockZero(log, written);
        // Not closed: that would vouch for the tail in block 1. The log is read as power left it.
        return new Built(spec, written, log);
    }

    /** A two-block log filled until nothing more fits. */
    private static Built extentEnd(MemoryDevice dev) {
        LogSpec spec = TestLogs.spec(dev, 0, 2, LOG_ID, 2);
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1, false)) {
            while (log.remaining() >= 60) {
                append(log, written, 60, 1);
            }
            if (log.remaining() >= 0) {
                append(log, written, (int) log.remaining(), 1);
            }
            assertThat(log.usedBytes())
                    .as("the last frame ends in the last block")
                    .isGreaterThan(BLOCK_SIZE);
        }
        return new Built(spec, written, false);
    }

    /** Two synced records; the last one's payload damaged (nothing later vouches for it). */
    private static Built tornFragment(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        RecordLog log = RecordLog.format(spec, 1, false);
        append(log, written, 100, 2);
        long lastPayload = LogFormat.BLOCK_HEADER_SIZE
                + (LogFormat.FRAGMENT_HEADER_SIZE + 1 + 100)
                + LogFormat.FRAGMENT_HEADER_SIZE
                + 1
                + 50;
        new MediaDamage(dev.media()).flipBit(spec.offset() + lastPayload, 3);
        return new Built(spec, written.subList(0, 1), log);
    }

    /** Block 0 full, a synced record in block 1, then block 1's header damaged. */
    private static Built tornBlock(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        RecordLog log = RecordLog.format(spec, 1, false);
        fillBlockZero(log, written);
        List<byte[]> inBlockZero = List.copyOf(written);
        append(log, written, 100, 1);
        new MediaDamage(dev.media()).flipBit(spec.offset() + BLOCK_SIZE + LogFormat.BH_GENERATION, 0);
        return new Built(spec, inBlockZero, log);
    }

    /** A synced record spanning blocks 0 and 1, after one in block 0; block 1 then lost. */
    private static Built frameCutShort(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        RecordLog log = RecordLog.format(spec, 1, false);
        append(log, written, 100, 1);
        append(log, written, BLOCK_SIZE, 1);
        new MediaDamage(dev.media()).zero(spec.offset() + BLOCK_SIZE, BLOCK_SIZE);
        return new Built(spec, written.subList(0, 1), log);
    }

    /** A log open for writing: its reader stops at the written end, short of the capacity. */
    private static Built writtenEnd(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1, false)) {
            append(log, written, 100, 3);
        }
        return new Built(spec, written, true);
    }

    /**
     * Three synced records and power lost (no close: its durable mark would vouch for them all),
     * reopened, then the last frame damaged: no fragment and no mark vouches for it, so only
     * the written end a live reader knows says data was lost.
     */
    private static Built damageBeforeWrittenEnd(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        RecordLog crashed = RecordLog.format(spec, 1, false);
        append(crashed, written, 100, 3);
        long lastFrame = LogFormat.BLOCK_HEADER_SIZE + 2L * (LogFormat.FRAGMENT_HEADER_SIZE + 1 + 100);
        // The open's recovery reads the intact log; the damage comes after it, before the read.
        Runnable damage = () -> new MediaDamage(dev.media()).flipBit(spec.offset() + lastFrame + LogFormat.FH_CRC, 2);
        return new Built(spec, written, true, damage, crashed);
    }

    /** Two synced records: the second records that the first was durable; then the first damaged. */
    private static Built durableDataLost(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        RecordLog log = RecordLog.format(spec, 1, false);
        append(log, written, 100, 2);
        long firstPayload = LogFormat.BLOCK_HEADER_SIZE + LogFormat.FRAGMENT_HEADER_SIZE + 1 + 10;
        new MediaDamage(dev.media()).flipBit(spec.offset() + firstPayload, 5);
        return new Built(spec, List.of(), log);
    }

    /** Block 0's header wiped. */
    private static Built noLogHeader(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1, false)) {
            append(log, written, 100, 2);
        }
        new MediaDamage(dev.media()).zero(spec.offset(), LogFormat.BLOCK_HEADER_SIZE);
        return new Built(spec, List.of(), false);
    }

    /** Erased to generation 2 and written into block 1; then block 0 of generation 1 put back. */
    private static Built staleBlockZero(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1, false)) {
            append(log, written, 100, 2);
        }
        byte[] generationOne = dev.media().asSlice(spec.offset(), BLOCK_SIZE).toArray(ValueLayout.JAVA_BYTE);
        try (RecordLog log = RecordLog.open(spec)) {
            log.erase();
            written.clear();
            fillBlockZero(log, written);
            append(log, written, 100, 1);
        }
        new MediaDamage(dev.media())
                .copy(MemorySegment.ofArray(generationOne), 0, spec.offset(), BLOCK_SIZE, "block 0 of generation 1");
        return new Built(spec, List.of(), false);
    }

    /** Block 0's header claims the next format version (its checksum made right). */
    private static Built newerVersion(MemoryDevice dev) {
        LogSpec spec = spec(dev);
        List<byte[]> written = new ArrayList<>();
        try (RecordLog log = RecordLog.format(spec, 1, false)) {
            append(log, written, 100, 1);
        }
        MemorySegment block0 = dev.media().asSlice(spec.offset(), BLOCK_SIZE);
        block0.set(ValueLayout.JAVA_SHORT_UNALIGNED, LogFormat.BH_VERSION, (short) (LogFormat.VERSION + 1));
        LogFormat.Seed seed = TestLogs.seed(spec);
        block0.set(ValueLayout.JAVA_INT_UNALIGNED, LogFormat.BH_CRC, seed.blockHeaderCrc(block0));
        return new Built(spec, List.of(), false);
    }

    // ---------------------------------------------------------------- helpers

    private static LogSpec spec(MemoryDevice dev) {
        return TestLogs.spec(dev, 0, BLOCKS, LOG_ID, 4);
    }

    private static void append(RecordLog log, List<byte[]> written, int size, int count) {
        for (int i = 0; i < count; i++) {
            byte[] r = Records.make(7, written.size(), size);
            log.append(r, true);
            written.add(r);
        }
    }

    /** Synced records that fill block 0 to its last byte. */
    private static void fillBlockZero(RecordLog log, List<byte[]> written) {
        while (BLOCK_SIZE - log.usedBytes() >= LogFormat.MIN_FRAME_START_ROOM + 60 + 1) {
            append(log, written, 60, 1);
        }
        long room = BLOCK_SIZE - log.usedBytes();
        if (room >= LogFormat.MIN_FRAME_START_ROOM) {
            append(log, written, (int) (room - LogFormat.FRAGMENT_HEADER_SIZE - 1), 1);
        }
        assertThat(BLOCK_SIZE - log.usedBytes())
                .as("block 0 has no room for another frame")
                .isLessThan(LogFormat.MIN_FRAME_START_ROOM)
                .isNotNegative();
    }
}
