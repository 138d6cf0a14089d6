package org.mpool.format;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The records of the pool catalog. Each is the client bytes of one MDC record
 * ({@link MdcRecord}), so the log's CRC covers it. A record is a type byte and fixed fields,
 * all little-endian; a string is a u16 byte count and that many bytes of UTF-8; a UUID is its
 * most significant 8 bytes as a u64, then its least significant 8 bytes as a u64 (so, unlike
 * the superblock's, not in RFC 4122 byte order); a media class is its code
 * ({@link MediaClassCodes}); an object id is a u64 ({@link ObjectIdBits}).
 *
 * <pre>
 * MDC-0 (pool configuration)
 *   1 CONFIG       key str, value str                  a property ("" removes it; later records win)
 *   2 MEDIA_CLASS  class u8, device uuid, zone bytes u64, zone count u64, path str
 *   3 SHARD        shard u8, log 0 zone u64, log 1 zone u64, zones per log u32
 *   4 ROOT_MDC     class u8, first zone u64, zones per log u64        (version 2)
 * MDC-1..N (the objects of one shard)
 *  10 MBLOCK_V1    id u64, class u8, zone u64, length u64, crc32c of the data u32       (read only)
 *  11 MLOG_V1      id u64, class u8, first zone u64, zone count u64                    (read only)
 *  12 DELETE       id u64
 *  13 ID_RESERVE   next u64: uniquifiers below it may have been handed out
 *  14 MBLOCK       id u64, class u8, zone u64, length u64, crc32c u32, owner u64      (version 2)
 *  15 MLOG         id u64, class u8, first zone u64, zone count u64, owner u64        (version 2)
 *  16 MDC          id u64, class u8, first zone u64, zones per log u64, owner u64     (version 2)
 *  17 MBLOCK_CHUNKED id u64, class u8, zone u64, length u64, crc32c of its chunk table u32,
 *                   owner u64                                                       (version 3)
 * </pre>
 *
 * <p>An MDC object's two logs are its zones {@code [first, first + n)} and
 * {@code [first + n, first + 2n)}, n = zones per log. The root MDC's are the same, at the place
 * its ROOT_MDC record names. Version-2 writers write MBLOCK and MLOG; the version-1 records
 * MBLOCK_V1 and MLOG_V1 still decode, with owner 0. Version-3 writers commit mblocks as
 * MBLOCK_CHUNKED: the data is checked page by page against the {@link ChunkTable} at the end of
 * the zone, whose CRC the record carries; MBLOCK records of mblocks committed before stay so
 * (their data has one CRC of the whole). A record of unknown type, too short for its
 * fields, with stray bytes after them, or naming an unknown media class does not decode.
 */
public sealed interface CatalogRecord {
    byte CONFIG = 1;
    byte MEDIA_CLASS = 2;
    byte SHARD = 3;
    byte ROOT_MDC = 4;
    byte MBLOCK_V1 = 10;
    byte MLOG_V1 = 11;
    byte DELETE = 12;
    byte ID_RESERVE = 13;
    byte MBLOCK = 14;
    byte MLOG = 15;
    byte MDC = 16;
    byte MBLOCK_CHUNKED = 17;

    record Config(String key, String value) implements CatalogRecord {}

    record MediaClassInfo(int classCode, UUID deviceUuid, long zoneBytes, long zoneCount, String path)
            implements CatalogRecord {}

    record Shard(int shard, long log0Zone, long log1Zone, int zonesPerLog) implements CatalogRecord {}

    /** Where the root MDC's two logs are ({@code zonesPerLog} zones each, from {@code firstZone}). */
    record RootMdc(int classCode, long firstZone, long zonesPerLog) implements CatalogRecord {}

    /**
     * A committed mblock. {@code crc}: the CRC32C of its data, or with {@code chunked} (format
     * version 3) the CRC of its {@link ChunkTable}.
     */
    record Mblock(long id, int classCode, long zone, long length, int crc, long owner, boolean chunked)
            implements CatalogRecord {
        /** An mblock checked by one CRC of its whole data (committed before format version 3). */
        public Mblock(long id, int classCode, long zone, long length, int crc, long owner) {
            this(id, classCode, zone, length, crc, owner, false);
        }
    }

    record Mlog(long id, int classCode, long firstZone, long zoneCount, long owner) implements CatalogRecord {}

    record Mdc(long id, int classCode, long firstZone, long zonesPerLog, long owner) implements CatalogRecord {}

    record Delete(long id) implements CatalogRecord {}

    record IdReserve(long nextUniquifier) implements CatalogRecord {}

    static byte[] encode(CatalogRecord r) {
        ByteBuffer b = ByteBuffer.allocate(size(r)).order(ByteOrder.LITTLE_ENDIAN);
        switch (r) {
            case Config c -> {
                b.put(CONFIG);
                putString(b, c.key());
                putString(b, c.value());
            }
            case MediaClassInfo m -> {
                b.put(MEDIA_CLASS).put((byte) m.classCode());
                b.putLong(m.deviceUuid().getMostSignificantBits())
                        .putLong(m.deviceUuid().getLeastSignificantBits());
                b.putLong(m.zoneBytes()).putLong(m.zoneCount());
                putString(b, m.path());
            }
            case Shard s ->
                b.put(SHARD)
                        .put((byte) s.shard())
                        .putLong(s.log0Zone())
                        .putLong(s.log1Zone())
                        .putInt(s.zonesPerLog());
            case RootMdc m ->
                b.put(ROOT_MDC).put((byte) m.classCode()).putLong(m.firstZone()).putLong(m.zonesPerLog());
            case Mblock m ->
                b.put(m.chunked() ? MBLOCK_CHUNKED : MBLOCK)
                        .putLong(m.id())
                        .put((byte) m.classCode())
                        .putLong(m.zone())
                        .putLong(m.length())
                        .putInt(m.crc())
                        .putLong(m.owner());
            case Mlog m ->
                b.put(MLOG)
                        .putLong(m.id())
                        .put((byte) m.classCode())
                        .putLong(m.firstZone())
                        .putLong(m.zoneCount())
                        .putLong(m.owner());
            case Mdc m ->
                b.put(MDC)
                        .putLong(m.id())
                        .put((byte) m.classCode())
                        .putLong(m.firstZone())
                        .putLong(m.zonesPerLog())
                        .putLong(m.owner());
            case Delete d -> b.put(DELETE).putLong(d.id());
            case IdReserve i -> b.put(ID_RESERVE).putLong(i.nextUniquifier());
        }
        assert !b.hasRemaining() : r;
        return b.array();
    }

    private static int size(CatalogRecord r) {
        return switch (r) {
            case Config c -> 1 + 2 + utf8(c.key()).length + 2 + utf8(c.value()).length;
            case MediaClassInfo m -> 1 + 1 + 16 + 8 + 8 + 2 + utf8(m.path()).length;
            case Shard s -> 1 + 1 + 8 + 8 + 4;
            case RootMdc m -> 1 + 1 + 8 + 8;
            case Mblock m -> 1 + 8 + 1 + 8 + 8 + 4 + 8;
            case Mlog m -> 1 + 8 + 1 + 8 + 8 + 8;
            case Mdc m -> 1 + 8 + 1 + 8 + 8 + 8;
            case Delete d -> 1 + 8;
            case IdReserve i -> 1 + 8;
        };
    }

    static CatalogRecord decode(byte[] bytes) throws FormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int type = -1;
        try {
            type = b.get();
            CatalogRecord r = switch (type) {
                case CONFIG -> new Config(getString(b), getString(b));
                case MEDIA_CLASS ->
                    new MediaClassInfo(
                            classCode(b.get()),
                            new UUID(b.getLong(), b.getLong()),
                            b.getLong(),
                            b.getLong(),
                            getString(b));
                case SHARD -> new Shard(Byte.toUnsignedInt(b.get()), b.getLong(), b.getLong(), b.getInt());
                case ROOT_MDC -> new RootMdc(classCode(b.get()), b.getLong(), b.getLong());
                case MBLOCK_V1 -> new Mblock(b.getLong(), classCode(b.get()), b.getLong(), b.getLong(), b.getInt(), 0);
                case MLOG_V1 -> new Mlog(b.getLong(), classCode(b.get()), b.getLong(), b.getLong(), 0);
                case MBLOCK ->
                    new Mblock(b.getLong(), classCode(b.get()), b.getLong(), b.getLong(), b.getInt(), b.getLong());
                case MBLOCK_CHUNKED ->
                    new Mblock(
                            b.getLong(), classCode(b.get()), b.getLong(), b.getLong(), b.getInt(), b.getLong(), true);
                case MLOG -> new Mlog(b.getLong(), classCode(b.get()), b.getLong(), b.getLong(), b.getLong());
                case MDC -> new Mdc(b.getLong(), classCode(b.get()), b.getLong(), b.getLong(), b.getLong());
                case DELETE -> new Delete(b.getLong());
                case ID_RESERVE -> new IdReserve(b.getLong());
                default -> throw new FormatException("unknown catalog record type " + type);
            };
            if (b.hasRemaining()) {
                throw new FormatException("catalog record of type " + type + " has " + b.remaining() + " stray bytes");
            }
            return r;
        } catch (BufferUnderflowException e) {
            throw new FormatException("catalog record of type " + type + " is truncated (" + bytes.length + " bytes)");
        }
    }

    private static int classCode(byte b) throws FormatException {
        if (!MediaClassCodes.isKnown(b)) {
            throw new FormatException("catalog record names unknown media class code " + b);
        }
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] u = utf8(s);
        assert u.length <= 0xFFFF : u.length;
        b.putShort((short) u.length).put(u);
    }

    private static String getString(ByteBuffer b) {
        byte[] u = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }
}
