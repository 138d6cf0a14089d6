package org.mpool.cache;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;

/**
 * Where each mblock of a map sits in its address range. Every mblock gets a slot of the same
 * size, the largest mblock size among the media classes involved (a power of two): slot
 * {@code i} starts at {@code i * slotBytes}, so offsets are aligned to the slot size and a
 * reader finds an mblock without a table. Bytes of a slot past its mblock's length read as
 * zeros.
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
     * @param zoneBytes its class's mblock size (a power of two)
     */
    public record Piece(ObjectId id, MediaClass mediaClass, long deviceOffset, long lengthBytes, long zoneBytes) {}

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

    /** Lays out {@code pieces} in order, in slots of the largest mblock size among them. */
    public static SlotLayout of(List<Piece> pieces) {
        long slot = 0;
        for (Piece p : pieces) {
            if (p.zoneBytes() <= 0 || (p.zoneBytes() & (p.zoneBytes() - 1)) != 0 || p.lengthBytes() > p.zoneBytes()) {
                throw new IllegalArgumentException("bad piece " + p);
            }
            slot = Math.max(slot, p.zoneBytes());
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
