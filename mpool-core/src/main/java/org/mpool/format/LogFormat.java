package org.mpool.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The on-media layout of a log (mlog): a sequence of 4 KiB blocks, each starting with a block
 * header and holding fragments of frames. All integers are little-endian.
 *
 * <pre>
 * block (4096 bytes)
 * +--------------------+----------------------+----------------------+-- ... --+---------+
 * | block header (32)  | fragment hdr (20)    | fragment payload     |         | zeros   |
 * +--------------------+----------------------+----------------------+-- ... --+---------+
 *
 * block header                              fragment header
 *  0 u32 magic 0x474f4c4d ("MLOG")           0 u32 crc32c (see below)
 *  4 u16 format version (1)                  4 u16 payload length
 *  6 u16 header length (32)                  6 u8  type: 1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST
 *  8 u64 generation                          7 u8  0
 * 16 u32 block index within the log          8 u32 writer epoch
 * 20 u32 epoch (block 0: the log's current  12 u64 durable position: every log byte before
 *        writer epoch; other blocks: 0)            it was durable when this was sealed
 * 24 u32 block 0: the durable mark / 16
 *        (see below); other blocks: 0
 * 28 u32 crc32c(pool uuid, log id, bytes 0..27)
 * </pre>
 *
 * <p>A frame is one or more fragments (FULL, or FIRST MIDDLE* LAST) whose payloads, joined,
 * hold whole records, each a varint length followed by its bytes. Every block's payload starts
 * with a fragment header, so a reader can check any block on its own. A fragment's CRC covers
 * the pool UUID, the log id, the generation and the fragment's log position, then bytes 4 to
 * the end of its payload: a fragment is valid only in the log, generation and place it was
 * written for, so stale data from earlier generations, other logs or other pools is never
 * accepted. There is no CRC over a whole block: the writer rewrites the partly filled tail
 * block with the same bytes before the new ones, so a torn rewrite leaves earlier fragments
 * intact.
 *
 * <p>Block 0's <b>durable mark</b>, in units of 16 bytes, says every log byte before it was
 * durable when the header was written: a close that appended records writes it once they are
 * durable, so damage to the last records cannot pass for a torn tail even when the fragments
 * after them are damaged too. 0 means no mark (a new generation; a log never closed after
 * appends; software that predates the mark, which ignores the field). See docs/FORMAT.md for
 * the recovery rules.
 */
public final class LogFormat {
    public static final int VERSION = 1;
    public static final int MAGIC = 0x474f4c4d;
    public static final int BLOCK_SIZE = 4096;
    public static final int BLOCK_HEADER_SIZE = 32;
    public static final int FRAGMENT_HEADER_SIZE = 20;
    /** Payload bytes a block can hold in one fragment. */
    public static final int BLOCK_PAYLOAD = BLOCK_SIZE - BLOCK_HEADER_SIZE - FRAGMENT_HEADER_SIZE;
    /** A new frame starts in a block only if this much room is left; otherwise in the next. */
    public static final int MIN_FRAME_START_ROOM = FRAGMENT_HEADER_SIZE + 1;

    public static final byte FULL = 1;
    public static final byte FIRST = 2;
    public static final byte MIDDLE = 3;
    public static final byte LAST = 4;

    // Block header offsets.
    public static final int BH_MAGIC = 0;
    public static final int BH_VERSION = 4;
    public static final int BH_LENGTH = 6;
    public static final int BH_GENERATION = 8;
    public static final int BH_INDEX = 16;
    public static final int BH_EPOCH = 20;
    public static final int BH_DURABLE_MARK = 24;
    /** The durable mark counts in these units: a u32 of them reaches 64 GiB. */
    public static final int DURABLE_MARK_UNIT = 16;

    public static final int BH_CRC = 28;

    // Fragment header offsets.
    public static final int FH_CRC = 0;
    public static final int FH_LENGTH = 4;
    public static final int FH_TYPE = 6;
    public static final int FH_EPOCH = 8;
    public static final int FH_DURABLE = 12;

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LogFormat() {}

    /** The decoded fields of a valid block header. */
    public record BlockHeader(int version, long generation, long index, long epoch, long durableMark) {}

    /** What a block header check found. */
    public enum HeaderCheck {
        VALID,
        BLANK,
        INVALID,
        NEWER_VERSION
    }

    /**
     * The per-log constants every checksum is seeded with. Not thread-safe: each reader and
     * writer has its own.
     */
    public static final class Seed {
        private final byte[] prefix = new byte[32];
        private final ByteBuffer prefixBuf = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        public Seed(UUID pool, long logId) {
            prefixBuf.putLong(0, pool.getMostSignificantBits());
            prefixBuf.putLong(8, pool.getLeastSignificantBits());
            prefixBuf.putLong(16, logId);
        }

        /** CRC of a block header's first 28 bytes, seeded with the pool and log identity. */
        public int blockHeaderCrc(MemorySegment block) {
            crc.reset();
            crc.update(prefix, 0, 24);
            crc.update(block.asSlice(0, BH_CRC).asByteBuffer());
            return (int) crc.getValue();
        }

        /**
         * CRC of the fragment at {@code position} of generation {@code generation}, whose bytes
         * (header included) start at {@code fragment} and run {@code FRAGMENT_HEADER_SIZE + length}.
         */
        public int fragmentCrc(long generation, long position, MemorySegment fragment, int length) {
            prefixBuf.putLong(24, generation);
            crc.reset();
            crc.update(prefix, 0, 32);
            crc.update((byte) position);
            crc.update((byte) (position >>> 8));
            crc.update((byte) (position >>> 16));
            crc.update((byte) (position >>> 24));
            crc.update((byte) (position >>> 32));
            crc.update((byte) (position >>> 40));
            crc.update((byte) (position >>> 48));
            crc.update((byte) (position >>> 56));
            crc.update(fragment.asSlice(FH_LENGTH, FRAGMENT_HEADER_SIZE - FH_LENGTH + length)
                    .asByteBuffer());
            return (int) crc.getValue();
        }
    }

    /** Writes the header of a block other than block 0, or of a block 0 without a durable mark. */
    public static void writeBlockHeader(Seed seed, MemorySegment block, long generation, long index, long epoch) {
        writeBlockHeader(seed, block, generation, index, epoch, 0);
    }

    /**
     * Writes a block header into the first 32 bytes of {@code block}. {@code durable} (block
     * 0 only) is rounded down to the mark's unit, so the mark never claims more than was
     * durable; a mark beyond what a u32 holds is recorded as the largest one it does.
     */
    public static void writeBlockHeader(
            Seed seed, MemorySegment block, long generation, long index, long epoch, long durable) {
        block.set(U32, BH_MAGIC, MAGIC);
        block.set(U16, BH_VERSION, (short) VERSION);
        block.set(U16, BH_LENGTH, (short) BLOCK_HEADER_SIZE);
        block.set(U64, BH_GENERATION, generation);
        block.set(U32, BH_INDEX, (int) index);
        block.set(U32, BH_EPOCH, (int) epoch);
        block.set(U32, BH_DURABLE_MARK, (int) Math.min(durable / DURABLE_MARK_UNIT, 0xFFFF_FFFFL));
        block.set(U32, BH_CRC, seed.blockHeaderCrc(block));
    }

    /** Classifies the header at the start of {@code block}. */
    public static HeaderCheck checkBlockHeader(Seed seed, MemorySegment block) {
        if (block.get(U32, BH_MAGIC) != MAGIC) {
            return isZero(block, 0, BLOCK_HEADER_SIZE) ? HeaderCheck.BLANK : HeaderCheck.INVALID;
        }
        if (block.get(U32, BH_CRC) != seed.blockHeaderCrc(block)
                || Short.toUnsignedInt(block.get(U16, BH_LENGTH)) != BLOCK_HEADER_SIZE) {
            return HeaderCheck.INVALID;
        }
        return Short.toUnsignedInt(block.get(U16, BH_VERSION)) > VERSION
                ? HeaderCheck.NEWER_VERSION
                : HeaderCheck.VALID;
    }

    /** The fields of a header that {@link #checkBlockHeader} found valid. */
    public static BlockHeader readBlockHeader(MemorySegment block) {
        return new BlockHeader(
                Short.toUnsignedInt(block.get(U16, BH_VERSION)),
                block.get(U64, BH_GENERATION),
                Integer.toUnsignedLong(block.get(U32, BH_INDEX)),
                Integer.toUnsignedLong(block.get(U32, BH_EPOCH)),
                Integer.toUnsignedLong(block.get(U32, BH_DURABLE_MARK)) * DURABLE_MARK_UNIT);
    }

    /** Fills in a fragment header (and its CRC) for the payload that follows it. */
    public static void sealFragment(
            Seed seed,
            MemorySegment fragment,
            long generation,
            long position,
            int length,
            byte type,
            long epoch,
            long durablePosition) {
        fragment.set(U16, FH_LENGTH, (short) length);
        fragment.set(ValueLayout.JAVA_BYTE, FH_TYPE, type);
        fragment.set(ValueLayout.JAVA_BYTE, FH_TYPE + 1, (byte) 0);
        fragment.set(U32, FH_EPOCH, (int) epoch);
        fragment.set(U64, FH_DURABLE, durablePosition);
        fragment.set(U32, FH_CRC, seed.fragmentCrc(generation, position, fragment, length));
    }

    public static int fragmentLength(MemorySegment fragment) {
        return Short.toUnsignedInt(fragment.get(U16, FH_LENGTH));
    }

    public static byte fragmentType(MemorySegment fragment) {
        return fragment.get(ValueLayout.JAVA_BYTE, FH_TYPE);
    }

    public static long fragmentEpoch(MemorySegment fragment) {
        return Integer.toUnsignedLong(fragment.get(U32, FH_EPOCH));
    }

    public static long fragmentDurable(MemorySegment fragment) {
        return fragment.get(U64, FH_DURABLE);
    }

    public static int fragmentCrc(MemorySegment fragment) {
        return fragment.get(U32, FH_CRC);
    }

    static boolean isZero(MemorySegment s, long offset, long length) {
        for (long i = 0; i < length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The end of the block that holds the byte just before {@code position}. */
    public static long blockEnd(long position) {
        return ((position - 1) / BLOCK_SIZE + 1) * BLOCK_SIZE;
    }
}
