package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.ChunkTable;
import org.mpool.format.FormatException;
import org.mpool.meta.ObjectTable;

/**
 * The page checksums of mblocks (their {@link ChunkTable}s) that reads verify against, kept for
 * the mblocks read or committed lately so a verified read costs no extra I/O. A commit puts its
 * table here; a read of an mblock not here reads its table once (and checks it against the CRC
 * the commit record carries). The cache holds at most {@link #BUDGET_BYTES} of tables — 4 bytes
 * a page, so 1 GiB of data costs 1 MiB — and drops an arbitrary eighth when it is full.
 */
final class ChunkTables {
    static final long BUDGET_BYTES = 64L << 20;

    private final ConcurrentHashMap<Long, int[]> tables = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** The page CRCs of a committed, chunked mblock. CORRUPT if its table is damaged. */
    int[] of(ObjectTable.Mblock e, PoolDevice d) {
        assert e.chunked() : e;
        int[] crcs = tables.get(e.id());
        if (crcs == null) {
            crcs = read(e, d);
            put(e.id(), crcs);
        }
        return crcs;
    }

    void put(long id, int[] crcs) {
        if (tables.put(id, crcs) == null) {
            if (bytes.addAndGet(4L * crcs.length + 64) > BUDGET_BYTES) {
                shrink();
            }
        }
    }

    void remove(long id) {
        int[] gone = tables.remove(id);
        if (gone != null) {
            bytes.addAndGet(-(4L * gone.length + 64));
        }
    }

    private void shrink() {
        int drop = Math.max(1, tables.size() / 8);
        Iterator<Long> it = tables.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            remove(it.next());
        }
    }

    /** Reads and checks the table of {@code e} from the end of its zone. */
    static int[] read(ObjectTable.Mblock e, PoolDevice d) {
        long tableOffset = d.zoneOffset(e.zone()) + ChunkTable.capacity(d.zoneBytes());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table =
                    AlignedBuffers.allocate(arena, ChunkTable.pagesFor(ChunkTable.pageCount(e.lengthBytes())));
            d.device().read(tableOffset, table);
            return ChunkTable.decode(table, e.id(), e.lengthBytes(), e.crc());
        } catch (FormatException ex) {
            throw MpoolException.corrupt("mblock " + new ObjectId(e.id()) + ": its checksum table at "
                    + e.mediaClass().label() + " offset " + tableOffset + " is damaged (" + ex.getMessage() + ")");
        }
    }

    /**
     * Checks {@code data}, the mblock's bytes from {@code offset} (whole pages, the last one's
     * padding included), against its page CRCs. CORRUPT naming the mblock and the first bad
     * page's offsets.
     */
    static void verify(ObjectTable.Mblock e, PoolDevice d, int[] crcs, long offset, MemorySegment data) {
        assert offset % ChunkTable.PAGE == 0 && data.byteSize() % ChunkTable.PAGE == 0 : offset + " " + data;
        for (long p = 0; p < data.byteSize(); p += ChunkTable.PAGE) {
            int page = (int) ((offset + p) / ChunkTable.PAGE);
            if (page >= crcs.length || ChunkTable.pageCrc(data.asSlice(p, ChunkTable.PAGE)) != crcs[page]) {
                throw MpoolException.corrupt("mblock " + new ObjectId(e.id()) + ": the page at offset " + (offset + p)
                        + " (" + e.mediaClass().label() + " device offset " + (d.zoneOffset(e.zone()) + offset + p)
                        + ") fails its checksum: the media returned other bytes than were written");
            }
        }
    }
}
