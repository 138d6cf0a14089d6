package org.mpool.meta;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.ObjectIdBits;

/**
 * The committed objects of one shard: an open-addressing hash table in parallel primitive
 * arrays (24 bytes a slot at 37–75% load: 32–64 bytes an object), so a million objects cost
 * tens of megabytes, not hundreds. Lookups are lock-free (optimistic reads validated against a
 * stamp); changes take the write lock briefly.
 *
 * <p>Owner tags are few (a client tags its objects with its own), so a slot holds an index
 * into the table's list of distinct owners rather than the 8-byte tag.
 */
public final class ObjectTable {
    private static final long EMPTY = 0;
    /** A removed entry; not a valid object id (its type bits are 0). */
    private static final long TOMBSTONE = 1;
    /** Zones are kept in 32 bits (a space map holds at most 2^31 - 1); lengths in an int. */
    static final long ZONE_LIMIT = 1L << 32;
    /** Distinct owner tags one shard can hold: the index has 23 bits. */
    static final int MAX_OWNERS = 1 << 23;

    // A slot's place: zone (bits 0-31) | media class code (32-39) | deleting (40) | owner index (41-63)
    private static final long ZONE_MASK = ZONE_LIMIT - 1;
    private static final int CLASS_SHIFT = 32;
    private static final long DELETING = 1L << 40;
    private static final int OWNER_SHIFT = 41;
    /** In an mblock's length: its data is checked by a chunk table (lengths are at most 64 MiB). */
    private static final long CHUNKED = 1L << 31;

    /** One committed object as the catalog knows it. */
    public sealed interface Entry permits Mblock, Mlog, Mdc {
        long id();

        MediaClass mediaClass();

        /** The first zone the object owns. */
        long zone();

        /** How many zones it owns, from {@link #zone()}. */
        long zoneCount();

        /** The tag its committer gave it (0: none). */
        long owner();

        /** A delete of it is under way. */
        boolean deleting();
    }

    /**
     * A committed mblock: one zone, {@code lengthBytes} of data; {@code crc} is the CRC32C of the
     * data, or with {@code chunked} that of its chunk table (format version 3).
     */
    public record Mblock(
            long id,
            MediaClass mediaClass,
            long zone,
            long lengthBytes,
            int crc,
            long owner,
            boolean chunked,
            boolean deleting)
            implements Entry {
        @Override
        public long zoneCount() {
            return 1;
        }
    }

    /** A committed mlog: {@code zoneCount} zones from {@code zone}. */
    public record Mlog(long id, MediaClass mediaClass, long zone, long zoneCount, long owner, boolean deleting)
            implements Entry {}

    /** A committed MDC: two logs of {@code zonesPerLog} zones each, one after the other from {@code zone}. */
    public record Mdc(long id, MediaClass mediaClass, long zone, long zonesPerLog, long owner, boolean deleting)
            implements Entry {
        @Override
        public long zoneCount() {
            return 2 * zonesPerLog;
        }
    }

    private final StampedLock lock = new StampedLock();
    private long[] ids = new long[64];
    /** See the layout above. */
    private long[] places = new long[64];
    /** mblock: bytes written (at most 64 MiB); mlog: its zone count; MDC: zones per log. */
    private int[] lengths = new int[64];
    /** mblock: CRC32C of its data; others: 0. */
    private int[] crcs = new int[64];
    /** The distinct owner tags, by index; index 0 is the tag 0 (none). Only grows. */
    private long[] owners = new long[] {0};

    private final Map<Long, Integer> ownerIndex = new HashMap<>(Map.of(0L, 0));
    private int size;
    private int occupied;

    public Entry get(long id) {
        long stamp = lock.tryOptimisticRead();
        Entry e = find(id);
        if (lock.validate(stamp)) {
            return e;
        }
        stamp = lock.readLock();
        try {
            return find(id);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Entry find(long id) {
        long[] k = ids;
        long[] p = places;
        int[] l = lengths;
        int[] c = crcs;
        long[] o = owners;
        if (p.length != k.length || l.length != k.length || c.length != k.length) {
            return null; // a resize is under way: the caller's stamp check fails and it retries locked
        }
        int mask = k.length - 1;
        for (int i = mix(id) & mask, n = 0; n < k.length; i = (i + 1) & mask, n++) {
            long key = k[i];
            if (key == id) {
                int owner = (int) (p[i] >>> OWNER_SHIFT);
                // An index past the list read is a torn read: the caller's stamp check fails.
                return owner < o.length ? entry(id, p[i], l[i], c[i], o[owner]) : null;
            }
            if (key == EMPTY) {
                return null;
            }
        }
        return null;
    }

    /** Adds or replaces a committed mblock. */
    public void putMblock(
            long id, MediaClass mediaClass, long zone, long lengthBytes, int crc, long owner, boolean chunked) {
        assert ObjectIdBits.typeCode(id) == ObjectIdBits.TYPE_MBLOCK : ObjectIdBits.toString(id);
        assert lengthBytes >= 0 && lengthBytes <= Integer.MAX_VALUE : lengthBytes;
        put(id, mediaClass, zone, chunked ? lengthBytes | CHUNKED : lengthBytes, crc, owner);
    }

    /** Adds or replaces a committed mlog. */
    public void putMlog(long id, MediaClass mediaClass, long firstZone, long zoneCount, long owner) {
        assert ObjectIdBits.typeCode(id) == ObjectIdBits.TYPE_MLOG : ObjectIdBits.toString(id);
        put(id, mediaClass, firstZone, zoneCount, 0, owner);
    }

    /** Adds or replaces a committed MDC. */
    public void putMdc(long id, MediaClass mediaClass, long firstZone, long zonesPerLog, long owner) {
        assert ObjectIdBits.typeCode(id) == ObjectIdBits.TYPE_MDC : ObjectIdBits.toString(id);
        put(id, mediaClass, firstZone, zonesPerLog, 0, owner);
    }

    private void put(long id, MediaClass mediaClass, long zone, long length, int crc, long owner) {
        assert ObjectIdBits.isObjectId(id) : ObjectIdBits.toString(id);
        assert zone >= 0 && zone <= ZONE_MASK : "zone " + zone;
        long stamp = lock.writeLock();
        try {
            long ownerBits = (long) ownerIndexOf(owner) << OWNER_SHIFT;
            if ((occupied + 1) * 4L > ids.length * 3L) {
                // Tombstones count as occupied: rebuilding drops them, doubling only if really full.
                resize(size * 2L > ids.length ? ids.length * 2L : ids.length);
            }
            int i = slotFor(id);
            if (ids[i] != id) {
                if (ids[i] == EMPTY) {
                    occupied++;
                }
                size++;
            }
            ids[i] = id;
            places[i] = zone | (long) mediaClass.code() << CLASS_SHIFT | ownerBits;
            assert length >= 0 && length <= 0xFFFF_FFFFL : length;
            lengths[i] = (int) length; // an mblock's may carry the CHUNKED bit
            crcs[i] = crc;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The index of {@code owner} in the list of owners, added if new. Under the write lock. */
    private int ownerIndexOf(long owner) {
        Integer known = ownerIndex.get(owner);
        if (known != null) {
            return known;
        }
        if (ownerIndex.size() >= MAX_OWNERS) {
            throw new MpoolException(
                    ErrorCode.NO_SPACE,
                    "a metadata shard holds at most " + MAX_OWNERS
                            + " distinct owner tags; tag objects by client, not one by one");
        }
        int index = ownerIndex.size();
        long[] grown = Arrays.copyOf(owners, index + 1);
        grown[index] = owner;
        owners = grown; // published whole: a lock-free reader sees the old list or the new one
        ownerIndex.put(owner, index);
        return index;
    }

    /** Marks an entry as being deleted (or not); false if it is absent or already so marked. */
    public boolean setDeleting(long id, boolean deleting) {
        long stamp = lock.writeLock();
        try {
            int i = indexOf(id);
            if (i < 0 || ((places[i] & DELETING) != 0) == deleting) {
                return false;
            }
            places[i] = deleting ? places[i] | DELETING : places[i] & ~DELETING;
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    public boolean remove(long id) {
        long stamp = lock.writeLock();
        try {
            int i = indexOf(id);
            if (i < 0) {
                return false;
            }
            ids[i] = TOMBSTONE;
            size--;
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    public int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Visits every entry (under the read lock: do not call back into this table). */
    public void forEach(Consumer<Entry> visitor) {
        long stamp = lock.readLock();
        try {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != EMPTY && ids[i] != TOMBSTONE) {
                    visitor.accept(
                            entry(ids[i], places[i], lengths[i], crcs[i], owners[(int) (places[i] >>> OWNER_SHIFT)]));
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Visits the entries tagged {@code owner}: compares the 23-bit index, never builds the others. */
    public void forEachOwnedBy(long owner, Consumer<Entry> visitor) {
        long stamp = lock.readLock();
        try {
            Integer index = ownerIndex.get(owner);
            if (index == null) {
                return;
            }
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != EMPTY && ids[i] != TOMBSTONE && (int) (places[i] >>> OWNER_SHIFT) == index) {
                    visitor.accept(entry(ids[i], places[i], lengths[i], crcs[i], owner));
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private int indexOf(long id) {
        int mask = ids.length - 1;
        for (int i = mix(id) & mask, n = 0; n < ids.length; i = (i + 1) & mask, n++) {
            if (ids[i] == id) {
                return i;
            }
            if (ids[i] == EMPTY) {
                return -1;
            }
        }
        return -1;
    }

    private int slotFor(long id) {
        int existing = indexOf(id);
        if (existing >= 0) {
            return existing;
        }
        int mask = ids.length - 1;
        int i = mix(id) & mask;
        while (ids[i] != EMPTY && ids[i] != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void resize(long capacityWanted) {
        int capacity = (int) Math.min(1 << 30, capacityWanted);
        long[] oldIds = ids;
        long[] oldPlaces = places;
        int[] oldLengths = lengths;
        int[] oldCrcs = crcs;
        ids = new long[capacity];
        places = new long[capacity];
        lengths = new int[capacity];
        crcs = new int[capacity];
        occupied = 0;
        int mask = capacity - 1;
        for (int j = 0; j < oldIds.length; j++) {
            long id = oldIds[j];
            if (id != EMPTY && id != TOMBSTONE) {
                int i = mix(id) & mask;
                while (ids[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                ids[i] = id;
                places[i] = oldPlaces[j];
                lengths[i] = oldLengths[j];
                crcs[i] = oldCrcs[j];
                occupied++;
            }
        }
    }

    private static Entry entry(long id, long place, int length, int crc, long owner) {
        MediaClass mc = MediaClass.fromCode((int) (place >>> CLASS_SHIFT) & 0xFF);
        long zone = place & ZONE_MASK;
        boolean deleting = (place & DELETING) != 0;
        return switch (ObjectIdBits.typeCode(id)) {
            case ObjectIdBits.TYPE_MBLOCK -> {
                long bits = Integer.toUnsignedLong(length);
                yield new Mblock(id, mc, zone, bits & ~CHUNKED, crc, owner, (bits & CHUNKED) != 0, deleting);
            }
            case ObjectIdBits.TYPE_MLOG -> new Mlog(id, mc, zone, length, owner, deleting);
            default -> new Mdc(id, mc, zone, length, owner, deleting);
        };
    }

    private static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
