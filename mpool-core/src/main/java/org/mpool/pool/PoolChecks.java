package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongBinaryOperator;
import java.util.zip.CRC32C;
import org.mpool.common.CheckReport;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.format.Superblock;
import org.mpool.log.RecordReader;
import org.mpool.meta.ObjectTable;

/** The checks that read media: superblock copies, mblock data against commit checksums, mlog records. */
public final class PoolChecks {
    /** Data is read back in pieces of this size to check it. */
    private static final long READ_CHUNK_BYTES = 1 << 20;

    private PoolChecks() {}

    /** Cheap health: problems with the superblock copies of the pool's devices (empty: optimal). */
    public static List<String> health(Pool pool) {
        pool.checkOpen("health");
        List<String> problems = new ArrayList<>();
        for (PoolDevice d : pool.devices().values()) {
            problems.addAll(superblockCopies(d));
        }
        return problems;
    }

    /**
     * Verifies everything that carries a checksum: both superblock copies of every device, the
     * data of every mblock against its commit CRC, every mlog's records, every MDC's records and
     * the root MDC's. Metadata logs and zone ownership were verified when the pool was opened.
     * Never changes anything.
     */
    public static CheckReport check(Pool pool, LongBinaryOperator progress) {
        pool.checkOpen("check");
        List<String> problems = new ArrayList<>(health(pool));
        List<ObjectInfo> all = pool.objects();
        long done = 0;
        long checked = 0;
        long bytes = 0;
        for (ObjectInfo o : all) {
            // The pool stays in use: what fails for an object deleted since the listing (its
            // lookup, or its zone read after another object took it) is no damage.
            List<String> found = new ArrayList<>();
            try {
                bytes += switch (o.id().type()) {
                    case MBLOCK -> checkMblock(pool, o.id(), found);
                    case MLOG -> recordBytes(pool.logs().readMlog(o.id()));
                    case MDC -> recordBytes(pool.logs().readMdc(o.id()));
                };
            } catch (MpoolException ex) {
                found.add(o.id().type().label() + " " + o.id() + ": " + ex.getMessage());
            }
            if (exists(pool, o.id())) {
                problems.addAll(found);
                checked++;
            }
            progress.applyAsLong(++done, all.size());
        }
        if (pool.config().rootMdc() != null) {
            try {
                bytes += recordBytes(pool.logs().readRoot());
            } catch (MpoolException ex) {
                problems.add("the root MDC: " + ex.getMessage());
            }
        }
        return new CheckReport(checked, bytes, problems);
    }

    private static boolean exists(Pool pool, ObjectId id) {
        try {
            pool.committed(id, id.type());
            return true;
        } catch (MpoolException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static long checkMblock(Pool pool, ObjectId id, List<String> problems) {
        ObjectTable.Mblock e = pool.committedMblock(id);
        PoolDevice d = pool.device(e.mediaClass());
        CatalogRecord.Mblock rec =
                new CatalogRecord.Mblock(e.id(), e.mediaClass().code(), e.zone(), e.lengthBytes(), e.crc(), e.owner());
        if (!dataMatches(d, rec)) {
            problems.add("mblock " + id + ": data at " + e.mediaClass().label() + " offset " + d.zoneOffset(e.zone())
                    + " (" + e.lengthBytes() + " bytes) does not match its commit checksum");
        }
        return e.lengthBytes();
    }

    /** Reads every record (each checked against its checksums on the way); returns their bytes. */
    private static long recordBytes(RecordReader reader) {
        long bytes = 0;
        try (reader) {
            while (reader.next()) {
                bytes += reader.record().byteSize();
            }
        }
        return bytes;
    }

    /** Whether the data of the mblock a commit record names matches the record's length and CRC. */
    static boolean dataMatches(PoolDevice device, CatalogRecord.Mblock m) {
        if (device == null || m.length() < 0 || m.length() > device.zoneBytes()) {
            return false;
        }
        CRC32C crc = new CRC32C();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, READ_CHUNK_BYTES);
            for (long off = 0; off < m.length(); off += READ_CHUNK_BYTES) {
                long len = Math.min(READ_CHUNK_BYTES, m.length() - off);
                long readLen = AlignedBuffers.alignUp(len, MblockWrite.PAGE);
                device.device().read(device.zoneOffset(m.zone()) + off, buf.asSlice(0, readLen));
                crc.update(buf.asSlice(0, len).asByteBuffer());
            }
        }
        return (int) crc.getValue() == m.crc();
    }

    /** Both superblock copies of a device must be valid; a bad one is reported (open repairs it). */
    static List<String> superblockCopies(PoolDevice d) {
        List<String> problems = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, Superblock.SIZE);
            for (int copy = 0; copy < Superblock.COPY_OFFSETS.length; copy++) {
                d.device().read(Superblock.COPY_OFFSETS[copy], buf);
                Superblock.Check c = Superblock.check(buf);
                if (c != Superblock.Check.VALID) {
                    problems.add(d.path() + ": superblock copy " + copy + " at offset " + Superblock.COPY_OFFSETS[copy]
                            + " is " + c.name().toLowerCase(Locale.ROOT).replace('_', ' '));
                }
            }
        }
        return problems;
    }
}
