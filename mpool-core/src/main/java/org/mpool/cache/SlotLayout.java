package org.mpool.cache;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;

/**
 * Where each mblock of a map sits in its address range. Every mblock gets a slot of the same
 * size, the largest data capacity among the mblocks (whole pages): slot {@code i} starts at
 * {@code i * slotBytes}, so a reader finds an mblock without a table, and full mblocks of one
 * media class follow each other without a gap (their zones' page checksums are not data and
 * are not mapped), so a file stored as a run of full mblocks reads as one range. Bytes of a
 * slot past its mblock's length read as zeros.
 *
 * @param slotBytes size of every slot
 * @param pieces the mblocks in slot order
 */
public record SlotLayout(long slotBytes, List<Piece> pieces) {
    /** Mblocks per map: each costs two kernel mappings, and vm.max_map_count is 65530 by default. */
    public static final int MAX_MBLOCKS = 16_384;

    /**
     * One committed mblock to map.
     *
     * @param id the mblock
     * @param mediaClass its media class (selects the device)
     * @param deviceOffset byte offset of its zone on the device
     * @param lengthBytes bytes written
     * @param capacityBytes the data it can hold: its zone less the page checksum table (format
     *     v3), or its whole zone (committed before)
     */
    public record Piece(ObjectId id, MediaClass mediaClass, long deviceOffset, long lengthBytes, long capacityBytes) {}

    public SlotLayout {
        pieces = List.copyOf(pieces);
    }

    /** Rejects what no map can hold: nothing, too many, mlogs, or the same mblock twice. */
    public static void checkIds(List<ObjectId> ids) {
        if (ids == null || ids.isEmpty()) {
            throw MpoolException.invalid("map: give at least one mblock");
        }
        if (ids.size() > MAX_MBLOCKS) {
            throw MpoolException.invalid("map: " + ids.size() + " mblocks exceed the limit of " + MAX_MBLOCKS
                    + " per map; split the collection");
        }
        Set<ObjectId> seen = new HashSet<>();
        for (ObjectId id : ids) {
            if (id.type() != ObjectId.Type.MBLOCK) {
                throw MpoolException.invalid(
                        "map: " + id + " is an " + id.type().label() + "; only mblocks can be mapped");
            }
            if (!seen.add(id)) {
                throw MpoolException.invalid("map: mblock " + id + " is listed twice");
            }
        }
    }

    /** Lays out {@code pieces} in order, in slots of the largest capacity among them. */
    public static SlotLayout of(List<Piece> pieces) {
        long slot = 0;
        for (Piece p : pieces) {
            if (p.capacityBytes() <= 0 || p.capacityBytes() % 4096 != 0 || p.lengthBytes() > p.capacityBytes()) {
                throw new IllegalArgumentException("bad piece " + p);
            }
            slot = Math.max(slot, p.capacityBytes());
        }
        return new SlotLayout(slot, pieces);
    }

    public int size() {
        return pieces.size();
    }

    public long totalBytes() {
        return slotBytes * pieces.size();
    }

    public long slotOffset(int slot) {
        return slot * slotBytes;
    }
}
