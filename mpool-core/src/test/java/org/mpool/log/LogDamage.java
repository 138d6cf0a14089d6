package org.mpool.log;

import static org.mpool.format.LogFormat.BH_VERSION;
import static org.mpool.format.LogFormat.BLOCK_SIZE;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.mpool.testing.MediaDamage;

/**
 * Damages log A of a {@link CorruptionFixture} in place, the ways media fail: flipped bits,
 * zeroed ranges, a block written to the wrong place (from the same log, another log, or the
 * log's older generation). Remembers what it did, for assertion messages.
 */
final class LogDamage {
    private final CorruptionFixture f;
    private final MemorySegment media;
    private final MediaDamage damage;

    LogDamage(CorruptionFixture f) {
        this.f = f;
        this.media = f.mediaA();
        this.damage = new MediaDamage(media);
    }

    /** One random damage, mostly inside the written part of the log. */
    void random(Random r) {
        long used = Math.min(f.a.capacityBytes(), f.end + 64);
        long usedBlocks = (used + BLOCK_SIZE - 1) / BLOCK_SIZE;
        long blocks = f.a.capacityBytes() / BLOCK_SIZE;
        long dstBlock = r.nextInt(8) == 0 ? r.nextLong(blocks) : r.nextLong(usedBlocks);
        switch (r.nextInt(6)) {
            case 0, 1 -> flipBit(r.nextInt(8) == 0 ? r.nextLong(f.a.capacityBytes()) : r.nextLong(used), r.nextInt(8));
            case 2 -> {
                long from = r.nextLong(used);
                zero(from, 1 + (r.nextBoolean() ? r.nextInt(64) : r.nextInt(2 * BLOCK_SIZE)));
            }
            case 3 -> copyBlock(media, r.nextLong(blocks), dstBlock, "block of this log");
            case 4 -> copyBlock(f.mediaB(), r.nextLong(blocks), dstBlock, "block of log B");
            default ->
                copyBlock(
                        MemorySegment.ofArray(f.oldGeneration),
                        r.nextBoolean() ? dstBlock : r.nextLong(blocks),
                        dstBlock,
                        "block of generation 1");
        }
    }

    void flipBit(long position, int bit) {
        damage.flipBit(position, bit);
    }

    void zero(long from, long length) {
        damage.zero(from, length);
    }

    void copyBlock(MemorySegment source, long sourceBlock, long targetBlock, String what) {
        damage.copy(source, sourceBlock * BLOCK_SIZE, targetBlock * BLOCK_SIZE, BLOCK_SIZE, what);
    }

    /** The first log position whose byte differs from the undamaged log, or -1. */
    long firstChanged() {
        return MemorySegment.ofArray(f.pristine).mismatch(media);
    }

    /** Whether a changed byte lies in {@code [from, to)}. */
    boolean changedWithin(long from, long to) {
        return MemorySegment.ofArray(f.pristine).asSlice(from, to - from).mismatch(media.asSlice(from, to - from)) >= 0;
    }

    /** Whether block 0's header is now generation 1's. */
    boolean blockZeroIsStale() {
        return MemorySegment.ofArray(f.oldGeneration).asSlice(0, 32).mismatch(media.asSlice(0, 32)) < 0;
    }

    /** Whether the damage changed the version field of some block header. */
    boolean versionFieldHit() {
        for (long block = 0; block < media.byteSize(); block += BLOCK_SIZE) {
            if (changedWithin(block + BH_VERSION, block + BH_VERSION + 2)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return damage.describe().isEmpty() ? "none" : damage.describe();
    }
}
