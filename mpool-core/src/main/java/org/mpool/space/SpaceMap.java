package org.mpool.space;

import java.util.BitSet;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * The free zones of one media class. Built at open from the catalog (every zone not owned by
 * metadata or an object is free); never persisted. Data allocations keep a spare reserve free
 * so that metadata can still grow (compaction) after data has hit NO_SPACE: the class's spare
 * percentage of its zones, as the reference's {@code spare_pct_capacity} / {@code
 * spare_pct_staging} (0 to 100; at 100 only metadata can allocate). A grown device adds zones
 * at the end ({@link #grow}).
 */
public final class SpaceMap {
    private final MediaClass mediaClass;
    private long zoneCount;
    private final BitSet used;
    private long usedCount;
    private int sparePercent;
    private long spareZones;
    private int cursor;

    public SpaceMap(MediaClass mediaClass, long zoneCount, int sparePercent) {
        if (zoneCount > Integer.MAX_VALUE) {
            throw MpoolException.invalid("too many zones: " + zoneCount + " (use a larger mblock size)");
        }
        this.mediaClass = mediaClass;
        this.zoneCount = zoneCount;
        this.used = new BitSet((int) zoneCount);
        setSparePercent(sparePercent);
    }

    public synchronized void setSparePercent(int sparePercent) {
        if (sparePercent < 0 || sparePercent > 100) {
            throw MpoolException.invalid("spare percent must be 0 to 100, got " + sparePercent);
        }
        this.sparePercent = sparePercent;
        this.spareZones = zoneCount * sparePercent / 100;
    }

    /**
     * Adds zones {@code [zoneCount, newZoneCount)}, free, at the end (the device grew); the
     * spare grows with them. Call once the new count is durable where open reads it.
     */
    public synchronized void grow(long newZoneCount) {
        if (newZoneCount < zoneCount || newZoneCount > Integer.MAX_VALUE) {
            throw MpoolException.invalid(mediaClass.label() + ": cannot grow from " + zoneCount + " to " + newZoneCount
                    + " zones (at most " + Integer.MAX_VALUE + ", never fewer)");
        }
        zoneCount = newZoneCount;
        spareZones = zoneCount * sparePercent / 100;
        assert usedCount == used.cardinality() && used.length() <= zoneCount : "used zones beyond the end";
    }

    public synchronized int sparePercent() {
        return sparePercent;
    }

    /** Marks zones {@code [first, first + count)} used, as found in the catalog at open. */
    public synchronized void claim(long first, long count) {
        checkRange(first, count);
        assert usedCount == used.cardinality() : "count " + usedCount + ", bitmap " + used.cardinality();
        for (long z = first; z < first + count; z++) {
            if (used.get((int) z)) {
                throw new MpoolException(
                        ErrorCode.CORRUPT, mediaClass.label() + " zone " + z + " is owned twice in the catalog");
            }
            used.set((int) z);
        }
        usedCount += count;
    }

    /**
     * Allocates {@code count} contiguous free zones and returns the first. With
     * {@code useSpare} (metadata), the spare reserve may be used; data may not.
     */
    public synchronized long allocate(long count, boolean useSpare) {
        long free = zoneCount - usedCount - (useSpare ? 0 : spareZones);
        if (count > free) {
            throw noSpace(count);
        }
        int start = findRun(cursor, (int) count);
        if (start < 0) {
            start = findRun(0, (int) count);
        }
        if (start < 0) {
            throw noSpace(count);
        }
        assert used.nextSetBit(start) < 0 || used.nextSetBit(start) >= start + count : "allocated an owned zone";
        used.set(start, start + (int) count);
        usedCount += count;
        assert usedCount <= zoneCount && usedCount == used.cardinality() : usedCount;
        cursor = (int) ((start + count) % zoneCount);
        return start;
    }

    /** Returns zones to the free pool; call only once the record freeing them is durable. */
    public synchronized void free(long first, long count) {
        checkRange(first, count);
        for (long z = first; z < first + count; z++) {
            if (!used.get((int) z)) {
                throw new IllegalStateException(mediaClass.label() + " zone " + z + " freed twice");
            }
        }
        used.clear((int) first, (int) (first + count));
        usedCount -= count;
        assert usedCount >= 0 && usedCount == used.cardinality() : usedCount;
    }

    public synchronized boolean isUsed(long zone) {
        return used.get((int) zone);
    }

    public synchronized long zoneCount() {
        return zoneCount;
    }

    public synchronized long usedZones() {
        return usedCount;
    }

    public synchronized long spareZones() {
        return spareZones;
    }

    private int findRun(int from, int count) {
        int start = used.nextClearBit(from);
        while (start + count <= zoneCount) {
            int nextUsed = used.nextSetBit(start);
            if (nextUsed < 0 || nextUsed >= start + count) {
                return start;
            }
            start = used.nextClearBit(nextUsed);
        }
        return -1;
    }

    private MpoolException noSpace(long count) {
        return new MpoolException(
                ErrorCode.NO_SPACE,
                "no space in media class " + mediaClass.label() + ": "
                        + count + " zone(s) wanted, " + (zoneCount - usedCount) + " of " + zoneCount + " free ("
                        + spareZones + " kept spare for metadata)");
    }

    private void checkRange(long first, long count) {
        if (first < 0 || count < 1 || first > zoneCount - count) { // not first + count: it may overflow
            throw new MpoolException(
                    ErrorCode.CORRUPT,
                    mediaClass.label() + " zones [" + first + ", +" + count + ") lie outside the device's " + zoneCount
                            + " zones");
        }
    }
}
