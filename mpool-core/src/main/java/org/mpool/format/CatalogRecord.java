package org.mpool.format;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.mpool.ErrorCode;
import org.mpool.MediaClass;
import org.mpool.MpoolException;

/**
 * The records of the pool catalog, as stored in MDCs (each record is one MDC record, so the
 * log's CRC covers it). A record is a type byte and fixed little-endian fields; strings are a
 * u16 length and UTF-8 bytes.
 *
 * <pre>
 * MDC-0 (pool configuration)
 *   1 CONFIG       key str, value str              a pool property (later records win)
 *   2 MEDIA_CLASS  class u8, device uuid 16, zone bytes u64, zone count u64, path str
 *   3 SHARD        shard u8, log 0 zone u64, log 1 zone u64, zones per log u32
 * MDC-1..N (objects of one shard)
 *  10 MBLOCK       id u64, class u8, zone u64, length u64, crc32c of data u32
 *  11 MLOG         id u64, class u8, first zone u64, zone count u64
 *  12 DELETE       id u64
 *  13 ID_RESERVE   uniquifiers below this u64 may have been handed out
 * </pre>
 */
public sealed interface CatalogRecord {
    record Config(String key, String value) implements CatalogRecord {}

    record MediaClassInfo(MediaClass mediaClass, UUID deviceUuid, long zoneBytes, long zoneCount, String path)
            implements CatalogRecord {}

    record Shard(int shard, long log0Zone, long log1Zone, int zonesPerLog) implements CatalogRecord {}

    record Mblock(long id, MediaClass mediaClass, long zone, long length, int crc) implements CatalogRecord {}

    record Mlog(long id, MediaClass mediaClass, long firstZone, long zoneCount) implements CatalogRecord {}

    record Delete(long id) implements CatalogRecord {}

    record IdReserve(long nextUniquifier) implements CatalogRecord {}

    static byte[] encode(CatalogRecord r) {
        ByteBuffer b = ByteBuffer.allocate(size(r)).order(ByteOrder.LITTLE_ENDIAN);
        switch (r) {
            case Config c -> {
                b.put((byte) 1);
                putString(b, c.key());
                putString(b, c.value());
            }
            case MediaClassInfo m -> {
                b.put((byte) 2).put((byte) m.mediaClass().ordinal());
                b.putLong(m.deviceUuid().getMostSignificantBits()).putLong(m.deviceUuid().getLeastSignificantBits());
                b.putLong(m.zoneBytes()).putLong(m.zoneCount());
                putString(b, m.path());
            }
            case Shard s -> b.put((byte) 3).put((byte) s.shard()).putLong(s.log0Zone()).putLong(s.log1Zone())
                    .putInt(s.zonesPerLog());
            case Mblock m -> b.put((byte) 10).putLong(m.id()).put((byte) m.mediaClass().ordinal()).putLong(m.zone())
                    .putLong(m.length()).putInt(m.crc());
            case Mlog m -> b.put((byte) 11).putLong(m.id()).put((byte) m.mediaClass().ordinal())
                    .putLong(m.firstZone()).putLong(m.zoneCount());
            case Delete d -> b.put((byte) 12).putLong(d.id());
            case IdReserve i -> b.put((byte) 13).putLong(i.nextUniquifier());
        }
        return b.array();
    }

    private static int size(CatalogRecord r) {
        return switch (r) {
            case Config c -> 1 + 2 + utf8(c.key()).length + 2 + utf8(c.value()).length;
            case MediaClassInfo m -> 1 + 1 + 16 + 8 + 8 + 2 + utf8(m.path()).length;
            case Shard s -> 1 + 1 + 8 + 8 + 4;
            case Mblock m -> 1 + 8 + 1 + 8 + 8 + 4;
            case Mlog m -> 1 + 8 + 1 + 8 + 8;
            case Delete d -> 1 + 8;
            case IdReserve i -> 1 + 8;
        };
    }

    static CatalogRecord decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int type = b.get();
            CatalogRecord r = switch (type) {
                case 1 -> new Config(getString(b), getString(b));
                case 2 -> new MediaClassInfo(mediaClass(b.get()), new UUID(b.getLong(), b.getLong()), b.getLong(),
                        b.getLong(), getString(b));
                case 3 -> new Shard(Byte.toUnsignedInt(b.get()), b.getLong(), b.getLong(), b.getInt());
                case 10 -> new Mblock(b.getLong(), mediaClass(b.get()), b.getLong(), b.getLong(), b.getInt());
                case 11 -> new Mlog(b.getLong(), mediaClass(b.get()), b.getLong(), b.getLong());
                case 12 -> new Delete(b.getLong());
                case 13 -> new IdReserve(b.getLong());
                default -> throw new MpoolException(ErrorCode.CORRUPT, "unknown catalog record type " + type);
            };
            if (b.hasRemaining()) {
                throw new MpoolException(ErrorCode.CORRUPT, "catalog record of type " + type + " has "
                        + b.remaining() + " stray bytes");
            }
            return r;
        } catch (BufferUnderflowException e) {
            throw new MpoolException(ErrorCode.CORRUPT, "catalog record is truncated (" + bytes.length + " bytes)");
        }
    }

    private static MediaClass mediaClass(byte b) {
        if (b < 0 || b >= MediaClass.values().length) {
            throw new MpoolException(ErrorCode.CORRUPT, "catalog record names unknown media class " + b);
        }
        return MediaClass.values()[b];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] u = utf8(s);
        b.putShort((short) u.length).put(u);
    }

    private static String getString(ByteBuffer b) {
        byte[] u = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }
}
