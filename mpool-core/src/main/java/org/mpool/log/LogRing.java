package org.mpool.log;

import static org.mpool.format.LogFormat.BLOCK_HEADER_SIZE;
import static org.mpool.format.LogFormat.BLOCK_SIZE;
import static org.mpool.format.LogFormat.FRAGMENT_HEADER_SIZE;
import static org.mpool.format.LogFormat.MIN_FRAME_START_ROOM;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.mpool.format.LogFormat;
import org.mpool.format.Varint;

/**
 * The write buffer of a log: a ring of block slots holding the blocks from the oldest one not
 * yet fully written (the partly written tail block stays) up to the tail. It lays records into
 * frames and fragments exactly as {@link LogFormat} describes and seals each fragment (header
 * and CRC) as soon as it is complete. Not thread-safe: {@link RecordLog} calls it under its lock.
 *
 * <p>Bytes after the tail in a slot are always zero: a slot is zeroed when its block is entered
 * and only ever appended to, so writing a partly filled block never writes stale bytes.
 */
final class LogRing {
    private final LogFormat.Seed seed;
    private final MemorySegment ring;
    private final long ringBytes;
    private final long capacity;
    /** Where appends must end: the capacity, less a reserve the log's owner keeps (see {@link #limit}). */
    private long limit;

    private long generation;
    private long epoch;
    /** Position of the next byte to append. Never at a block start: headers come first. */
    private long tail;

    private boolean frameOpen;
    private long fragmentPos;
    private boolean fragmentIsFirst;
    /** End of the last sealed frame: every frame before it is complete and sealed. */
    private long sealedEnd;
    /** Lowest position the ring must still hold (start of the block holding the written end). */
    private long retainFrom;
    /** Recorded in each fragment sealed: every byte before it was durable at that time. */
    private long durableEnd;

    LogRing(LogFormat.Seed seed, MemorySegment ring, long capacity) {
        assert ring.byteSize() >= 2L * BLOCK_SIZE && ring.byteSize() % BLOCK_SIZE == 0 : ring.byteSize();
        assert capacity % BLOCK_SIZE == 0 && capacity >= 2L * BLOCK_SIZE : capacity;
        this.seed = seed;
        this.ring = ring;
        this.ringBytes = ring.byteSize();
        this.capacity = capacity;
        this.limit = capacity;
    }

    /**
     * Starts the ring with the tail block holding {@code tailBlock}'s bytes before
     * {@code tail}; the written and durable ends are {@code tail}.
     */
    void reset(long generation, long epoch, long tail, MemorySegment tailBlock) {
        assert generation >= 1 && epoch >= 1 : "generation " + generation + ", epoch " + epoch;
        assert tail >= BLOCK_HEADER_SIZE && tail <= capacity : tail;
        this.generation = generation;
        this.epoch = epoch;
        this.tail = tail;
        this.frameOpen = false;
        this.sealedEnd = tail;
        this.durableEnd = tail;
        long blockStart = LogFormat.blockEnd(tail) - BLOCK_SIZE;
        this.retainFrom = blockStart;
        MemorySegment slot = slot(blockStart);
        slot.fill((byte) 0);
        MemorySegment.copy(tailBlock, 0, slot, 0, tail - blockStart);
    }

    long generation() {
        return generation;
    }

    long epoch() {
        return epoch;
    }

    long tail() {
        return tail;
    }

    long sealedEnd() {
        return sealedEnd;
    }

    boolean frameOpen() {
        return frameOpen;
    }

    void writtenThrough(long writtenEnd) {
        assert writtenEnd <= tail : "written end " + writtenEnd + " past the tail " + tail;
        long from = writtenEnd - writtenEnd % BLOCK_SIZE;
        assert from >= retainFrom : "the written end went back from " + retainFrom + " to " + from;
        retainFrom = from;
    }

    void durableThrough(long durable) {
        assert durable <= tail : "durable end " + durable + " past the tail " + tail;
        durableEnd = durable;
    }

    /** The ring bytes of {@code [from, to)}, which must not wrap: see {@link #firstRun}. */
    MemorySegment bytes(long from, long to) {
        assert from >= retainFrom && from <= to : "[" + from + ", " + to + ") from " + retainFrom;
        assert to - from <= ringBytes - from % ringBytes : "a run that wraps: [" + from + ", " + to + ")";
        return ring.asSlice(from % ringBytes, to - from);
    }

    /** How much of {@code [from, to)} lies in one contiguous run of the ring. */
    long firstRun(long from, long to) {
        return Math.min(to - from, ringBytes - from % ringBytes);
    }

    /**
     * The tail position after appending {@code payloadBytes} more frame bytes (opening a frame
     * if none is open), or {@code Long.MAX_VALUE} if they do not fit before the capacity.
     */
    long endAfter(long payloadBytes) {
        long pos = tail;
        if (!frameOpen) {
            if (LogFormat.blockEnd(pos) - pos < MIN_FRAME_START_ROOM) {
                pos = LogFormat.blockEnd(pos) + BLOCK_HEADER_SIZE;
            }
            pos += FRAGMENT_HEADER_SIZE;
        }
        long remaining = payloadBytes;
        while (true) {
            long room = LogFormat.blockEnd(pos) - pos;
            if (remaining <= room) {
                long end = pos + remaining;
                return end <= limit ? end : Long.MAX_VALUE;
            }
            remaining -= room;
            pos = LogFormat.blockEnd(pos) + BLOCK_HEADER_SIZE + FRAGMENT_HEADER_SIZE;
            if (pos > limit) {
                return Long.MAX_VALUE;
            }
        }
    }

    /**
     * Lets appends reach only {@code limit} (whole blocks, at most the capacity): the blocks past
     * it are kept for records of the log's owner, appended after lifting the limit.
     */
    void limit(long limit) {
        assert limit % BLOCK_SIZE == 0 && limit <= capacity && limit >= BLOCK_SIZE : limit;
        this.limit = limit;
    }

    /** Frame payload bytes that still fit before the limit. */
    long payloadRoom() {
        long pos = tail;
        if (LogFormat.blockEnd(pos) > limit) {
            return 0; // in the reserve, past the limit
        }
        long room;
        if (frameOpen) {
            room = LogFormat.blockEnd(pos) - pos;
        } else {
            long left = LogFormat.blockEnd(pos) - pos;
            room = left >= MIN_FRAME_START_ROOM ? left - FRAGMENT_HEADER_SIZE : 0;
        }
        long fullBlocksLeft = Math.max(0, limit - LogFormat.blockEnd(pos)) / BLOCK_SIZE;
        return room + fullBlocksLeft * LogFormat.BLOCK_PAYLOAD;
    }

    /**
     * The fast path for small records: appends {@code record} (varint length, then bytes) if it
     * fits in the current block, opening a frame there if needed; false (nothing changed) if it
     * does not. The capacity check is implied: a block never reaches past the capacity.
     */
    boolean tryAppendInBlock(byte[] record) {
        int length = record.length;
        if (tail >= limit) {
            return false; // the tail is in the owner's reserve: the slow path refuses
        }
        // Lengths of 16 KiB or more take the padded form (Varint): no size computation here.
        int header = length < 0x80 ? 1 : length < 0x4000 ? 2 : Varint.MAX_BYTES;
        long room = LogFormat.blockEnd(tail) - tail;
        long pos = tail;
        if (!frameOpen) {
            if (room < MIN_FRAME_START_ROOM || room - FRAGMENT_HEADER_SIZE < header + length) {
                return false;
            }
            fragmentPos = tail;
            fragmentIsFirst = true;
            frameOpen = true;
            pos += FRAGMENT_HEADER_SIZE;
        } else if (room < header + length) {
            return false;
        }
        long at = pos % ringBytes;
        Varint.putPadded(ring, at, length, header);
        MemorySegment.copy(record, 0, ring, ValueLayout.JAVA_BYTE, at + header, length);
        tail = pos + header + length;
        assert tail <= LogFormat.blockEnd(pos) : "a fast-path record crossed a block end";
        return true;
    }

    /** Opens a frame at the tail; false if that needs a new block and the ring has no room. */
    boolean openFrame() {
        if (frameOpen) {
            return true;
        }
        if (LogFormat.blockEnd(tail) - tail < MIN_FRAME_START_ROOM) {
            long next = LogFormat.blockEnd(tail);
            if (!hasRoom(next)) {
                return false;
            }
            enterBlock(next);
            tail = next + BLOCK_HEADER_SIZE;
        }
        fragmentPos = tail;
        fragmentIsFirst = true;
        tail += FRAGMENT_HEADER_SIZE;
        frameOpen = true;
        return true;
    }

    /**
     * Appends up to {@code length} bytes of {@code src} to the open frame; returns how many it
     * took, fewer only when the ring is out of room (write out the oldest blocks, then retry).
     */
    long put(MemorySegment src, long srcOffset, long length) {
        long done = 0;
        while (done < length) {
            long room = LogFormat.blockEnd(tail) - tail;
            if (room == 0) {
                if (!crossBlock()) {
                    break;
                }
                room = LogFormat.blockEnd(tail) - tail;
            }
            long n = Math.min(room, length - done);
            MemorySegment.copy(src, srcOffset + done, ring, tail % ringBytes, n);
            tail += n;
            done += n;
        }
        return done;
    }

    /** Seals the open frame; afterwards every appended record is in a sealed frame. */
    void sealFrame() {
        assert sealedEnd <= tail : "sealed end " + sealedEnd + " past the tail " + tail;
        if (frameOpen) {
            sealFragment(fragmentIsFirst ? LogFormat.FULL : LogFormat.LAST);
            frameOpen = false;
        }
        sealedEnd = tail;
    }

    /** Blocks before this position are full and sealed: they may be written out any time. */
    long sealedFullBlocksEnd() {
        return LogFormat.blockEnd(tail) - BLOCK_SIZE;
    }

    private boolean crossBlock() {
        long next = tail; // the current block is full
        if (!hasRoom(next)) {
            return false;
        }
        sealFragment(fragmentIsFirst ? LogFormat.FIRST : LogFormat.MIDDLE);
        enterBlock(next);
        fragmentPos = next + BLOCK_HEADER_SIZE;
        fragmentIsFirst = false;
        tail = fragmentPos + FRAGMENT_HEADER_SIZE;
        return true;
    }

    private void sealFragment(byte type) {
        int length = (int) (tail - fragmentPos - FRAGMENT_HEADER_SIZE);
        assert length >= 0 && fragmentPos + FRAGMENT_HEADER_SIZE + length <= LogFormat.blockEnd(fragmentPos + 1)
                : "a fragment of " + length + " bytes at " + fragmentPos + " leaves its block";
        assert fragmentPos >= retainFrom : "sealing a fragment the ring no longer holds";
        MemorySegment fragment = ring.asSlice(fragmentPos % ringBytes, FRAGMENT_HEADER_SIZE + length);
        LogFormat.sealFragment(seed, fragment, generation, fragmentPos, length, type, epoch, durableEnd);
    }

    private boolean hasRoom(long blockStart) {
        return blockStart + BLOCK_SIZE <= retainFrom + ringBytes && blockStart + BLOCK_SIZE <= limit;
    }

    private void enterBlock(long blockStart) {
        assert blockStart % BLOCK_SIZE == 0 && blockStart + BLOCK_SIZE <= capacity : blockStart;
        MemorySegment slot = slot(blockStart);
        slot.fill((byte) 0);
        LogFormat.writeBlockHeader(seed, slot, generation, blockStart / BLOCK_SIZE, 0);
    }

    private MemorySegment slot(long blockStart) {
        return ring.asSlice(blockStart % ringBytes, BLOCK_SIZE);
    }
}
