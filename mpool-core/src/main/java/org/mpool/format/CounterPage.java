package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The page where a process that has a pool open publishes its counters, for tools in other
 * processes ({@code mpool show --stats}). Not on the pool's media: a 4 KiB file beside the pool's
 * lock ({@code <lock dir>/<pool uuid>.stats}), mapped shared by the writer. Laid out here because
 * another process, maybe of another version, reads it. Native byte order (the page never leaves
 * the machine), every counter a naturally aligned u64 updated atomically.
 *
 * <pre>
 *   0 u64     magic "mpoolCTR"
 *   8 u32     layout version (1)
 *  12 u32     counters n (slots in use; a reader shows min(n, the counters it knows))
 *  16 u64     pid of the process that has the pool open
 *  24 u64     opened: ms since the epoch
 *  32 u64     closed: ms since the epoch, 0 while open (a process that died leaves 0)
 *  40 u64     pool UUID, most significant 8 bytes
 *  48 u64     pool UUID, least significant 8 bytes
 *  56 u64     0
 *  64 u64[n]  the counters, in the order of org.mpool.observe.Counter (new ones only at the end)
 * </pre>
 */
public final class CounterPage {
    public static final int SIZE = 4096;
    public static final int VERSION = 1;
    public static final int OFF_MAGIC = 0;
    public static final int OFF_VERSION = 8;
    public static final int OFF_COUNT = 12;
    public static final int OFF_PID = 16;
    public static final int OFF_OPENED = 24;
    public static final int OFF_CLOSED = 32;
    public static final int OFF_UUID = 40;
    public static final int OFF_COUNTERS = 64;
    /** Slots the page has room for. */
    public static final int MAX_COUNTERS = (SIZE - OFF_COUNTERS) / Long.BYTES;

    static final long MAGIC = MemorySegment.ofArray("mpoolCTR".getBytes(StandardCharsets.US_ASCII))
            .get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder()), 0);

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** What a reader finds in a page. */
    public record Header(int count, long pid, long openedMillis, long closedMillis, UUID pool) {}

    private CounterPage() {}

    /** Writes the header of a page of {@code count} counters (the counters are written by their owner). */
    public static void writeHeader(MemorySegment page, int count, long pid, long openedMillis, UUID pool) {
        assert count <= MAX_COUNTERS : count;
        page.set(U32, OFF_VERSION, VERSION);
        page.set(U32, OFF_COUNT, count);
        page.set(U64, OFF_PID, pid);
        page.set(U64, OFF_OPENED, openedMillis);
        page.set(U64, OFF_CLOSED, 0);
        page.set(U64, OFF_UUID, pool.getMostSignificantBits());
        page.set(U64, OFF_UUID + 8, pool.getLeastSignificantBits());
        page.set(U64, OFF_MAGIC, MAGIC);
    }

    /** Marks the page closed at {@code millis}: its counters are final. */
    public static void markClosed(MemorySegment page, long millis) {
        page.set(U64, OFF_CLOSED, millis);
    }

    /**
     * The header of {@code page}; a FormatException if it is not a counter page of a version
     * known here, or its header is impossible (no checksum: the counters change in place, so
     * the header's fields are checked one by one, and the reader checks the pool's UUID).
     */
    public static Header readHeader(MemorySegment page) throws FormatException {
        if (page.byteSize() < SIZE || page.get(U64, OFF_MAGIC) != MAGIC) {
            throw new FormatException("not an mpool counter page");
        }
        int version = page.get(U32, OFF_VERSION);
        int count = page.get(U32, OFF_COUNT);
        if (version != VERSION) {
            throw new FormatException(
                    "counter page of layout version " + version + " (this code reads " + VERSION + ")");
        }
        if (count < 0 || count > MAX_COUNTERS) {
            throw new FormatException("counter page with " + count + " counters (at most " + MAX_COUNTERS + ")");
        }
        long pid = page.get(U64, OFF_PID);
        long opened = page.get(U64, OFF_OPENED);
        long closed = page.get(U64, OFF_CLOSED);
        if (pid <= 0 || opened <= 0 || closed < 0) {
            throw new FormatException(
                    "counter page of process " + pid + ", opened at " + opened + " ms, closed at " + closed + " ms");
        }
        return new Header(count, pid, opened, closed, new UUID(page.get(U64, OFF_UUID), page.get(U64, OFF_UUID + 8)));
    }

    /** Byte offset of counter slot {@code i}. */
    public static long slot(int i) {
        assert i >= 0 && i < MAX_COUNTERS : i;
        return OFF_COUNTERS + (long) i * Long.BYTES;
    }
}
