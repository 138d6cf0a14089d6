package org.mpool.testing;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * Damages media in place the ways media fail — a flipped bit, a zeroed range, a block or
 * sector written to the wrong place — and remembers what it did, for assertion messages.
 * Works on any segment: a {@link MemoryDevice}'s media, or a slice of it.
 */
public final class MediaDamage {
    private final MemorySegment media;
    private final StringBuilder done = new StringBuilder();

    public MediaDamage(MemorySegment media) {
        this.media = media;
    }

    /** The media being damaged. */
    public MemorySegment media() {
        return media;
    }

    public void flipBit(long position, int bit) {
        media.set(JAVA_BYTE, position, (byte) (media.get(JAVA_BYTE, position) ^ (1 << bit)));
        note("flip bit " + bit + " of byte " + position);
    }

    /** Zeroes {@code [from, from + length)}, cut at the end of the media. */
    public void zero(long from, long length) {
        long len = Math.min(length, media.byteSize() - from);
        media.asSlice(from, len).fill((byte) 0);
        note("zero [" + from + ", " + (from + len) + ")");
    }

    /** Copies {@code length} bytes at {@code from} of {@code source} over {@code to} of the media. */
    public void copy(MemorySegment source, long from, long to, long length, String what) {
        MemorySegment.copy(source, from, media, to, length);
        note("copy " + length + " bytes of " + what + " at " + from + " over " + to);
    }

    /** What was done so far, in order. */
    public String describe() {
        return done.toString();
    }

    private void note(String what) {
        done.append(done.isEmpty() ? "" : "; ").append(what);
    }

    @Override
    public String toString() {
        return describe();
    }
}
