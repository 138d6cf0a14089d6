package org.mpool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.Superblock;
import org.mpool.pool.PoolDevice;

/** Checks behind {@link Mpool#check} that look at media directly. */
final class PoolChecks {
    private PoolChecks() {}

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
                            + " is " + c.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                }
            }
        }
        return problems;
    }
}
