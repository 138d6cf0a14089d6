package org.mpool.log;

import java.lang.foreign.MemorySegment;
import org.mpool.format.LogFormat;

/** Seals a fragment again after a test changed its bytes: a valid CRC over what it holds now. */
final class Reseal {
    private Reseal() {}

    /** The fragment at log position {@code position} of {@code spec}'s log, on {@code media} (its device's). */
    static void fragmentAt(LogSpec spec, MemorySegment media, long position) {
        MemorySegment log = media.asSlice(spec.offset(), spec.capacityBytes());
        MemorySegment fragment = log.asSlice(position, LogFormat.blockEnd(position + 1) - position);
        LogFormat.sealFragment(
                TestLogs.seed(spec),
                fragment,
                LogFormat.readBlockHeader(log).generation(),
                position,
                LogFormat.fragmentLength(fragment),
                LogFormat.fragmentType(fragment),
                LogFormat.fragmentEpoch(fragment),
                LogFormat.fragmentDurable(fragment));
    }
}
