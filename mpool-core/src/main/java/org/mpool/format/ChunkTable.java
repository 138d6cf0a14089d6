package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The checksums of an mblock's data (format version 3): the CRC32C of every 4 KiB page, in a
 * table at the end of the mblock's zone, written with the data before the commit record, whose
 * CRC of the table makes the table as trustworthy as the record. Any 4096-aligned direct read
 * can then be verified page by page, and a damaged page is named.
 *
 * <pre>
 * zone of an mblock                                    table (little-endian)
 * +----------------------------------+--------+         0 u32 magic "MBCT" (0x5443424d)
 * | data: capacity bytes (pages)     | table  |         4 u16 version (1)
 * +----------------------------------+--------+         6 u16 0
 * capacity = zone - regionBytes(zone)                   8 u64 mblock id
 *                                                       16 u64 data length in bytes
 *                                                       24 u32 page count n = ceil(length / 4096)
 *                                                       28 u32 crc32c of bytes 0..27 and 32..32+4n
 *                                                       32 u32[n] crc32c of data page i (4096 bytes;
 *                                                              the last page's zero padding included)
 * </pre>
 *
 * <p>The table region holds the table of the largest mblock the zone can take; a commit writes
 * only the pages its table fills. A page's CRC covers its 4096 bytes with no seed: the table's
 * own CRC (and, through it, the catalog record) ties them to this mblock, id and length.
 */
public final class ChunkTable {
    /** The unit the table checks: a page of direct I/O. */
    public static final int PAGE = 4096;

    public static final int MAGIC = 0x5443424d; // "MBCT" little-endian
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 32;

    public static final int OFF_MAGIC = 0;
    public static final int OFF_VERSION = 4;
    public static final int OFF_ID = 8;
    public static final int OFF_LENGTH = 16;
    public static final int OFF_COUNT = 24;
    public static final int OFF_CRC = 28;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ChunkTable() {}

    /** Bytes at the end of a zone of {@code zoneBytes} reserved for the table: whole pages. */
    public static long regionBytes(long zoneBytes) {
        return pagesFor(zoneBytes / PAGE);
    }

    /** The bytes of data an mblock in a zone of {@code zoneBytes} can hold. */
    public static long capacity(long zoneBytes) {
        return zoneBytes - regionBytes(zoneBytes);
    }

    /** Data pages of an mblock of {@code length} bytes. */
    public static int pageCount(long length) {
        return Math.toIntExact((length + PAGE - 1) / PAGE);
    }

    /** Bytes a table of {@code pageCount} entries is written in: whole pages. */
    public static long pagesFor(long pageCount) {
        long bytes = HEADER_BYTES + 4 * pageCount;
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    /** The CRC32C of one page of data. */
    public static int pageCrc(MemorySegment page) {
        assert page.byteSize() == PAGE : page.byteSize();
        CRC32C crc = new CRC32C();
        crc.update(page.asByteBuffer());
        return (int) crc.getValue();
    }

    /**
     * Writes the table of mblock {@code id} ({@code length} bytes, page CRCs {@code crcs[0..n)})
     * into {@code out} (zeroed, at least {@link #pagesFor} bytes); returns the table's CRC, which
     * the commit record carries.
     */
    public static int encode(MemorySegment out, long id, long length, int[] crcs) {
        int n = pageCount(length);
        assert out.byteSize() >= pagesFor(n) : out.byteSize();
        out.set(U32, OFF_MAGIC, MAGIC);
        out.set(U16, OFF_VERSION, (short) VERSION);
        out.set(U64, OFF_ID, id);
        out.set(U64, OFF_LENGTH, length);
        out.set(U32, OFF_COUNT, n);
        for (int i = 0; i < n; i++) {
            out.set(U32, HEADER_BYTES + 4L * i, crcs[i]);
        }
        int crc = tableCrc(out, n);
        out.set(U32, OFF_CRC, crc);
        return crc;
    }

    /**
     * The page CRCs of the table in {@code in} (read from the zone's table region, at least
     * {@link #pagesFor} bytes of it), checked against what the commit record says: the mblock's
     * id, length and the table's CRC.
     *
     * @throws FormatException if the table is not the one the record names, or is damaged
     */
    public static int[] decode(MemorySegment in, long id, long length, int expectedCrc) throws FormatException {
        int n = pageCount(length);
        if (in.get(U32, OFF_MAGIC) != MAGIC) {
            throw new FormatException("no chunk table (bad magic)");
        }
        int version = Short.toUnsignedInt(in.get(U16, OFF_VERSION));
        if (version != VERSION) {
            throw new FormatException("chunk table of unknown version " + version);
        }
        if (in.get(U64, OFF_ID) != id || in.get(U64, OFF_LENGTH) != length || in.get(U32, OFF_COUNT) != n) {
            throw new FormatException("the chunk table names another mblock or length");
        }
        if (in.get(U32, OFF_CRC) != expectedCrc || tableCrc(in, n) != expectedCrc) {
            throw new FormatException("the chunk table fails its checksum");
        }
        int[] crcs = new int[n];
        for (int i = 0; i < n; i++) {
            crcs[i] = in.get(U32, HEADER_BYTES + 4L * i);
        }
        return crcs;
    }

    private static int tableCrc(MemorySegment table, int n) {
        CRC32C crc = new CRC32C();
        crc.update(table.asSlice(0, OFF_CRC).asByteBuffer());
        crc.update(table.asSlice(HEADER_BYTES, 4L * n).asByteBuffer());
        return (int) crc.getValue();
    }
}
