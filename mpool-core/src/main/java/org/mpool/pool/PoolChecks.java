package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongBinaryOperator;
import java.util.zip.CRC32C;
import org.mpool.common.CheckReport;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.CatalogRecord;
import org.mpool.format.ChunkTable;
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
     * data of every mblock against its page checksums (or, committed before format version 3, its
     * commit CRC), every mlog's records, every MDC's records and
     * the root MDC's. Metadata logs and zone ownership were verified when the pool was opened.
     * Never changes anything.
     */
    public static CheckReport check(Pool pool, LongBinaryOperator progress) {
        return check(pool, 0, progress);
    }

    /**
     * Like {@link #check(Pool, LongBinaryOperator)}, reading at most {@code maxBytesPerSecond}
     * of objects' data on average (0: as fast as the devices go), so a scrub of a busy pool
     * leaves the devices to its users. INVALID_STATE if the thread is interrupted.
     */
    public static CheckReport check(Pool pool, long maxBytesPerSecond, LongBinaryOperator progress) {
        pool.checkOpen("check");
        if (maxBytesPerSecond < 0) {
            throw MpoolException.invalid("scrub rate must be positive (or 0: unlimited), got " + maxBytesPerSecond);
        }
        long started = System.nanoTime();
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
                String named = o.id().type().label() + " " + o.id();
                found.add(ex.getMessage().startsWith(named) ? ex.getMessage() : named + ": " + ex.getMessage());
            }
            if (exists(pool, o.id())) {
                problems.addAll(found);
                checked++;
            }
            progress.applyAsLong(++done, all.size());
            pace(started, bytes, maxBytesPerSecond);
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

    /** Sleeps until {@code bytes} read since {@code started} are within the rate (0: none). */
    private static void pace(long started, long bytes, long maxBytesPerSecond) {
        if (maxBytesPerSecond == 0) {
            return;
        }
        long dueNanos = (long) (bytes * 1e9 / maxBytesPerSecond);
        long aheadNanos = dueNanos - (System.nanoTime() - started);
        if (aheadNanos > 0) {
            try {
                Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MpoolException(ErrorCode.INVALID_STATE, "scrub interrupted");
            }
        }
    }

    private static long checkMblock(Pool pool, ObjectId id, List<String> problems) {
        ObjectTable.Mblock e = pool.committedMblock(id);
        PoolDevice d = pool.device(e.mediaClass());
        if (e.chunked()) {
            verifyPages(e, d); // CORRUPT, naming the page, is reported by the caller
        } else if (!wholeDataMatches(d, e.zone(), e.lengthBytes(), e.crc())) {
            problems.add("mblock " + id + ": data at " + e.mediaClass().label() + " offset " + d.zoneOffset(e.zone())
                    + " (" + e.lengthBytes() + " bytes) does not match its commit checksum");
        }
        return e.lengthBytes();
    }

    /** Reads a chunked mblock's table and all its pages, verifying each; CORRUPT names what fails. */
    static void verifyPages(ObjectTable.Mblock e, PoolDevice d) {
        int[] crcs = ChunkTables.read(e, d);
        long padded = AlignedBuffers.alignUp(e.lengthBytes(), MblockWrite.PAGE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, READ_CHUNK_BYTES);
            for (long off = 0; off < padded; off += READ_CHUNK_BYTES) {
                MemorySegment piece = buf.asSlice(0, Math.min(READ_CHUNK_BYTES, padded - off));
                d.device().read(d.zoneOffset(e.zone()) + off, piece);
                ChunkTables.verify(e, d, crcs, off, piece);
            }
        }
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

    /**
     * Whether the data of the mblock a commit record names matches the record: page by page
     * against its chunk table (whose CRC the record carries), or for records of mblocks
     * committed before format version 3, its length and whole CRC.
     */
    static boolean dataMatches(PoolDevice device, CatalogRecord.Mblock m) {
        if (device == null || m.length() < 0) {
            return false;
        }
        if (!m.chunked()) {
            return m.length() <= device.zoneBytes() && wholeDataMatches(device, m.zone(), m.length(), m.crc());
        }
        if (m.length() > ChunkTable.capacity(device.zoneBytes())) {
            return false;
        }
        ObjectTable.Mblock e = new ObjectTable.Mblock(
                m.id(), MediaClass.fromCode(m.classCode()), m.zone(), m.length(), m.crc(), m.owner(), true, false);
        try {
            verifyPages(e, device);
            return true;
        } catch (MpoolException ex) {
            if (ex.code() == ErrorCode.CORRUPT) {
                return false;
            }
            throw ex;
        }
    }

    private static boolean wholeDataMatches(PoolDevice device, long zone, long length, int expectedCrc) {
        CRC32C crc = new CRC32C();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, READ_CHUNK_BYTES);
            for (long off = 0; off < length; off += READ_CHUNK_BYTES) {
                long len = Math.min(READ_CHUNK_BYTES, length - off);
                long readLen = AlignedBuffers.alignUp(len, MblockWrite.PAGE);
                device.device().read(device.zoneOffset(zone) + off, buf.asSlice(0, readLen));
                crc.update(buf.asSlice(0, len).asByteBuffer());
            }
        }
        return (int) crc.getValue() == expectedCrc;
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
