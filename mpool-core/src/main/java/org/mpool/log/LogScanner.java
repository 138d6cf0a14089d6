package org.mpool.log;

import static org.mpool.format.LogFormat.BLOCK_HEADER_SIZE;
import static org.mpool.format.LogFormat.BLOCK_SIZE;
import static org.mpool.format.LogFormat.FRAGMENT_HEADER_SIZE;
import static org.mpool.format.LogFormat.MIN_FRAME_START_ROOM;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.mpool.common.MpoolException;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.LogFormat;

/**
 * Reads a log's frames from the media in order and decides where the log ends. It reads
 * ahead in large direct reads, checks every block header and fragment, and joins fragments
 * into frames. A scan stops at the first thing that is not a valid continuation and names
 * the row of the recovery table it took ({@link LogEnd}, docs/FORMAT.md §3): blank space or a
 * block of an older generation is a clean end; an invalid or incomplete fragment is a torn
 * tail, unless block 0's durable mark or some valid fragment (in its durable position) claims
 * that the bytes at the stop were already durable when it was written: then the media lost
 * acknowledged data and the scan fails with CORRUPT.
 */
final class LogScanner implements AutoCloseable {
    /**
     * The read-ahead starts at a few blocks and doubles with each read up to this: most
     * metadata logs hold a few blocks in an extent of a MiB or more, and an open scans each
     * one (twice for an MDC: its generation, then its records). Reading 256 KiB for each was
     * half of what an open cost.
     */
    private static final int READ_AHEAD = 256 * 1024;

    private static final int FIRST_READ = 4 * BLOCK_SIZE;

    private final LogSpec spec;
    private final LogFormat.Seed seed;
    private final long limit;
    private final Arena arena = Arena.ofConfined();
    private MemorySegment chunk;
    private long readAhead = FIRST_READ;
    private long chunkStart = -1;
    private long chunkEnd = -1;

    private long generation;
    private long logEpoch;
    private long position;
    private long lastEpoch;
    /** What block 0's durable mark says was durable at the last close after appends (0: nothing). */
    private final long durableMark;

    private long maxDurable;

    private byte[] frame = new byte[BLOCK_SIZE];
    private int frameLength;
    private long frameStart;
    private long frameEnd;

    private LogEnd why;
    private long end = -1;

    /**
     * @param limit scan no further than this position: the capacity when recovering, the
     *              written end when reading a live log
     */
    LogScanner(LogSpec spec, long limit) {
        this.spec = spec;
        this.seed = new LogFormat.Seed(spec.poolUuid(), spec.logId());
        this.limit = limit;
        this.chunk = AlignedBuffers.allocate(arena, Math.min(FIRST_READ, spec.capacityBytes()));
        MemorySegment block0 = block(0);
        switch (LogFormat.checkBlockHeader(seed, block0)) {
            case VALID -> {}
            case BLANK ->
                throw fail(
                        LogEnd.NO_LOG_HEADER,
                        spec.describe() + " has no log header: it was never formatted, or was wiped");
            case NEWER_VERSION -> throw newerVersion(block0);
            case INVALID ->
                throw fail(
                        LogEnd.NO_LOG_HEADER,
                        spec.describe()
                                + ": the header of block 0 fails its checksum (expected magic MLOG, this pool and log id)");
        }
        LogFormat.BlockHeader header = LogFormat.readBlockHeader(block0);
        if (header.index() != 0) {
            throw fail(LogEnd.NO_LOG_HEADER, spec.describe() + ": block 0 claims index " + header.index());
        }
        this.generation = header.generation();
        this.logEpoch = header.epoch();
        this.durableMark = header.durableMark();
        this.maxDurable = durableMark; // the mark vouches like a fragment's durable position
        this.position = BLOCK_HEADER_SIZE;
    }

    long generation() {
        return generation;
    }

    String describe() {
        return spec.describe();
    }

    long logEpoch() {
        return logEpoch;
    }

    long durableMark() {
        return durableMark;
    }

    /** The bytes of the block starting at {@code blockStart}, read through the read-ahead chunk. */
    MemorySegment block(long blockStart) {
        assert blockStart % BLOCK_SIZE == 0 && blockStart >= 0 && blockStart + BLOCK_SIZE <= spec.capacityBytes()
                : blockStart;
        if (blockStart < chunkStart || blockStart + BLOCK_SIZE > chunkEnd) {
            long len = Math.min(readAhead, spec.capacityBytes() - blockStart);
            if (len > chunk.byteSize()) {
                chunk = AlignedBuffers.allocate(arena, len); // the arena frees the smaller one at close
            }
            spec.device().read(spec.offset() + blockStart, chunk.asSlice(0, len));
            chunkStart = blockStart;
            chunkEnd = blockStart + len;
            readAhead = Math.min(readAhead * 2, READ_AHEAD);
        }
        return chunk.asSlice(blockStart - chunkStart, BLOCK_SIZE);
    }

    /**
     * Advances to the next complete frame; false at the end of the log, after which
     * {@link #end()} and {@link #tailState()} tell where and how it ended.
     */
    boolean nextFrame() {
        if (end >= 0) {
            return false;
        }
        frameLength = 0;
        frameStart = -1;
        while (true) {
            if (position >= limit) {
                LogEnd at = limit < spec.capacityBytes()
                        ? LogEnd.WRITTEN_END
                        : frameStart >= 0 ? LogEnd.FRAME_CUT_SHORT : LogEnd.EXTENT_END;
                return stop(frameStart >= 0 ? frameStart : position, at);
            }
            if (position % BLOCK_SIZE == 0) {
                LogEnd at = enterBlock(position);
                if (at != null) {
                    return stop(frameStart >= 0 ? frameStart : position, frameStart >= 0 ? LogEnd.FRAME_CUT_SHORT : at);
                }
                position += BLOCK_HEADER_SIZE;
                continue; // the limit may fall right after the header
            }
            long room = LogFormat.blockEnd(position) - position;
            if (frameStart < 0 && room < MIN_FRAME_START_ROOM) {
                position += room;
                continue;
            }
            long blockStart = position - position % BLOCK_SIZE;
            MemorySegment fragment = block(blockStart).asSlice(position - blockStart, room);
            int length = LogFormat.fragmentLength(fragment);
            byte type = LogFormat.fragmentType(fragment);
            if (!validFragment(fragment, length, type, room)) {
                boolean blank = frameStart < 0 && isBlank(fragment);
                return stop(
                        frameStart >= 0 ? frameStart : position, blank ? LogEnd.BLANK_FRAGMENT : LogEnd.TORN_FRAGMENT);
            }
            maxDurable = Math.max(maxDurable, LogFormat.fragmentDurable(fragment));
            assert LogFormat.fragmentEpoch(fragment) >= lastEpoch : "epochs decrease in a valid scan";
            lastEpoch = LogFormat.fragmentEpoch(fragment);
            if (frameStart < 0) {
                frameStart = position;
            }
            appendToFrame(fragment, length);
            long next = position + FRAGMENT_HEADER_SIZE + length;
            assert next <= LogFormat.blockEnd(position + 1) : "a fragment crossed its block's end";
            position = next;
            if (type == LogFormat.FULL || type == LogFormat.LAST) {
                frameEnd = position;
                return true;
            }
        }
    }

    /** Checks a block header at a block boundary; null if valid, else why the log ends here. */
    private LogEnd enterBlock(long blockStart) {
        if (blockStart == 0) {
            return null; // checked when the scan started
        }
        MemorySegment block = block(blockStart);
        return switch (LogFormat.checkBlockHeader(seed, block)) {
            case VALID -> {
                LogFormat.BlockHeader h = LogFormat.readBlockHeader(block);
                if (h.generation() > generation) {
                    throw newerGeneration(blockStart, h.generation());
                }
                if (h.generation() != generation) {
                    yield LogEnd.UNWRITTEN_BLOCK; // left over from an earlier generation
                }
                yield h.index() == blockStart / BLOCK_SIZE ? null : LogEnd.TORN_BLOCK;
            }
            case BLANK -> LogEnd.UNWRITTEN_BLOCK;
            case NEWER_VERSION -> throw newerVersion(block);
            case INVALID -> LogEnd.TORN_BLOCK;
        };
    }

    private boolean validFragment(MemorySegment fragment, int length, byte type, long room) {
        if (length > room - FRAGMENT_HEADER_SIZE) {
            return false;
        }
        boolean continuing = frameStart >= 0;
        boolean typeFits = continuing
                ? (type == LogFormat.MIDDLE || type == LogFormat.LAST)
                : (type == LogFormat.FULL || type == LogFormat.FIRST);
        if (!typeFits) {
            return false;
        }
        // FIRST and MIDDLE fragments always run to the end of their block.
        if ((type == LogFormat.FIRST || type == LogFormat.MIDDLE) && length != room - FRAGMENT_HEADER_SIZE) {
            return false;
        }
        long epoch = LogFormat.fragmentEpoch(fragment);
        if (epoch > logEpoch || epoch < lastEpoch) {
            return false;
        }
        // One writer writes a whole frame, in one epoch: a continuation of another epoch
        // belongs to a different frame, one a crash cut short at the same place.
        if (continuing && epoch != lastEpoch) {
            return false;
        }
        return LogFormat.fragmentCrc(fragment) == seed.fragmentCrc(generation, position, fragment, length);
    }

    private static boolean isBlank(MemorySegment fragment) {
        long n = Math.min(fragment.byteSize(), FRAGMENT_HEADER_SIZE);
        for (long i = 0; i < n; i++) {
            if (fragment.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private void appendToFrame(MemorySegment fragment, int length) {
        if (frameLength + length > frame.length) {
            frame = Arrays.copyOf(frame, Math.max(frame.length * 2, frameLength + length));
        }
        MemorySegment.copy(fragment, FRAGMENT_HEADER_SIZE, MemorySegment.ofArray(frame), frameLength, length);
        frameLength += length;
    }

    private boolean stop(long endPosition, LogEnd at) {
        assert !at.fails() : at + " fails: it is thrown, not stopped at";
        assert endPosition >= BLOCK_HEADER_SIZE && endPosition <= limit : endPosition;
        end = endPosition;
        why = at;
        if (at != LogEnd.WRITTEN_END) {
            checkNothingDurableLost(endPosition, position);
        }
        return false;
    }

    /** Records that the scan ends failing at {@code row} and returns the error to throw. */
    private MpoolException fail(LogEnd row, String detail) {
        why = row;
        return row.error(detail);
    }

    /**
     * A torn tail may only hold data that was never made durable. If block 0's durable mark or
     * a valid fragment, here or after the stop, says the bytes at the end were durable, the
     * media lost them: CORRUPT.
     * After the stop means the rest of the block where the scan stopped ({@code stoppedAt}),
     * then the later blocks up to the first whose header is not valid; not after the end: when a frame spanning blocks is cut off, the
     * end is the frame's start in an earlier block, and the blocks up to the bad one only hold
     * that frame's fragments.
     */
    private void checkNothingDurableLost(long endPosition, long stoppedAt) {
        if (maxDurable > endPosition) {
            throw lost(endPosition, maxDurable);
        }
        checkRestOfBlock(endPosition, stoppedAt);
        long blockStart = LogFormat.blockEnd(Math.max(endPosition, stoppedAt) + 1);
        for (; blockStart + BLOCK_SIZE <= spec.capacityBytes(); blockStart += BLOCK_SIZE) {
            MemorySegment block = block(blockStart);
            if (LogFormat.checkBlockHeader(seed, block) != LogFormat.HeaderCheck.VALID) {
                return;
            }
            LogFormat.BlockHeader h = LogFormat.readBlockHeader(block);
            if (h.generation() > generation) {
                throw newerGeneration(blockStart, h.generation());
            }
            if (h.generation() != generation || h.index() != blockStart / BLOCK_SIZE) {
                return;
            }
            checkFragmentsOf(endPosition, blockStart);
        }
    }

    /** Follows the fragments of a later block by their lengths, as far as they are valid, checking each one's claim. */
    private void checkFragmentsOf(long endPosition, long blockStart) {
        long blockEnd = blockStart + BLOCK_SIZE;
        long at = blockStart + BLOCK_HEADER_SIZE;
        while (blockEnd - at >= MIN_FRAME_START_ROOM) {
            int length = fragmentLengthIfValid(at);
            if (length < 0) {
                return;
            }
            MemorySegment fragment = block(blockStart).asSlice(at - blockStart);
            if (LogFormat.fragmentDurable(fragment) > endPosition) {
                throw lost(endPosition, LogFormat.fragmentDurable(fragment));
            }
            at += FRAGMENT_HEADER_SIZE + length;
        }
    }

    /**
     * The fragments after a bad one in its block cannot be found by their lengths: the bad
     * fragment's length is not to be trusted. Every position is tried instead; the checksum
     * covers the position, so a fragment is only accepted where it was written. A bad block
     * header hides none of its block's fragments: their checksums do not cover it. This runs
     * once per scan, over at most one block.
     */
    private void checkRestOfBlock(long endPosition, long stoppedAt) {
        long blockEnd = stoppedAt - stoppedAt % BLOCK_SIZE + BLOCK_SIZE;
        if (blockEnd > spec.capacityBytes()) {
            return;
        }
        for (long candidate = stoppedAt + 1; candidate + FRAGMENT_HEADER_SIZE <= blockEnd; candidate++) {
            checkClaim(endPosition, candidate);
        }
    }

    /** CORRUPT if a valid fragment of this log and generation at {@code at} says {@code endPosition} was durable. */
    private void checkClaim(long endPosition, long at) {
        long blockStart = at - at % BLOCK_SIZE;
        MemorySegment fragment = block(blockStart).asSlice(at - blockStart);
        // Most candidates are not fragments at all: the cheap test first.
        if (LogFormat.fragmentDurable(fragment) > endPosition && fragmentLengthIfValid(at) >= 0) {
            throw lost(endPosition, LogFormat.fragmentDurable(fragment));
        }
    }

    /** The payload length of the fragment of this log and generation at {@code at}, or -1 if none is there. */
    private int fragmentLengthIfValid(long at) {
        long blockStart = at - at % BLOCK_SIZE;
        MemorySegment fragment = block(blockStart).asSlice(at - blockStart);
        byte type = LogFormat.fragmentType(fragment);
        int length = LogFormat.fragmentLength(fragment);
        if (type < LogFormat.FULL
                || type > LogFormat.LAST
                || length > fragment.byteSize() - FRAGMENT_HEADER_SIZE
                || LogFormat.fragmentCrc(fragment) != seed.fragmentCrc(generation, at, fragment, length)) {
            return -1;
        }
        return length;
    }

    private MpoolException lost(long endPosition, long durable) {
        return fail(
                LogEnd.DURABLE_DATA_LOST,
                spec.describe() + ": data at log position " + endPosition
                        + " (device offset " + (spec.offset() + endPosition)
                        + ") is unreadable, but the log records that "
                        + "everything before position " + durable + " was made durable");
    }

    /**
     * Block 0 is written (and flushed) with a new generation before any other block of it, so
     * a later block of a newer generation proves block 0 lost that write: an older block 0
     * would otherwise pass records of an erased generation off as the log's content.
     */
    private MpoolException newerGeneration(long blockStart, long newer) {
        return fail(
                LogEnd.STALE_BLOCK_ZERO,
                spec.describe() + ": block 0 says generation " + generation
                        + ", but the block at log position " + blockStart + " is of the newer generation " + newer
                        + ": block 0 is stale");
    }

    private MpoolException newerVersion(MemorySegment block) {
        return fail(
                LogEnd.NEWER_VERSION,
                spec.describe() + " was written by a newer format (version "
                        + LogFormat.readBlockHeader(block).version() + "); this mpool reads up to version "
                        + LogFormat.VERSION);
    }

    /** The payload of the current frame: {@code frameBytes()[0, frameLength())}. */
    byte[] frameBytes() {
        return frame;
    }

    int frameLength() {
        return frameLength;
    }

    long frameStart() {
        return frameStart;
    }

    long frameEnd() {
        return frameEnd;
    }

    /** The highest durable position any fragment read so far recorded. */
    long maxDurable() {
        return maxDurable;
    }

    long end() {
        return end;
    }

    /** The position this scan goes no further than. */
    long limit() {
        return limit;
    }

    TailState tailState() {
        return why == null ? null : why.state();
    }

    /** After the scan ended (or failed): the row of the recovery table it took; null before. */
    LogEnd why() {
        return why;
    }

    /** Idempotent: readAll() closes, and a try-with-resources around it closes again. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
