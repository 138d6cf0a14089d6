package org.mpool.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.Superblock;
import org.mpool.spi.BlockDevice;

/**
 * Recognises what a device already holds, so create never overwrites a pool, a file system
 * or a volume by accident. Checks the magic numbers blkid would find first.
 */
public final class Signatures {
    private static final int PROBE_BYTES = 68 * 1024;

    private Signatures() {}

    /**
     * A description of what the device holds ("an mpool named x", "an ext4 file system"...), if
     * anything: a known signature, else any non-zero byte in its first or last {@link #DATA_BYTES}
     * ("unrecognised data"). Empty for a device of zeros.
     */
    public static Optional<String> find(BlockDevice device) {
        long len = Math.min(PROBE_BYTES, device.sizeBytes());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment head = AlignedBuffers.allocate(arena, AlignedBuffers.alignUp(len, device.logicalBlockSize()));
            device.read(0, head.asSlice(0, AlignedBuffers.alignDown(head.byteSize(), device.logicalBlockSize())));
            Optional<String> known = identify(head);
            if (known.isPresent()) {
                return known;
            }
            return unrecognisedData(device, arena);
        }
    }

    /** Bytes at each end of a device that must be zero for it to count as empty. */
    static final long DATA_BYTES = 1 << 20;

    private static Optional<String> unrecognisedData(BlockDevice device, Arena arena) {
        long block = device.logicalBlockSize();
        long len = AlignedBuffers.alignDown(Math.min(DATA_BYTES, device.sizeBytes()), block);
        if (len == 0) {
            return Optional.empty();
        }
        MemorySegment buf = AlignedBuffers.allocate(arena, len);
        MemorySegment zeros = arena.allocate(len); // zeroed by the arena
        device.read(0, buf);
        if (buf.mismatch(zeros) >= 0) {
            return Optional.of("unrecognised data (non-zero bytes in its first " + len / 1024 + " KiB)");
        }
        device.read(AlignedBuffers.alignDown(device.sizeBytes() - len, block), buf);
        if (buf.mismatch(zeros) >= 0) {
            return Optional.of("unrecognised data (non-zero bytes in its last " + len / 1024 + " KiB)");
        }
        return Optional.empty();
    }

    static Optional<String> identify(MemorySegment head) {
        switch (Superblock.check(head)) {
            case VALID -> {
                return Optional.of("an mpool named '" + Superblock.decode(head).poolName() + "'");
            }
            case CORRUPT, NEWER_VERSION -> {
                return Optional.of("an mpool superblock");
            }
            default -> {}
        }
        if (at(head, 0, "XFSB")) {
            return Optional.of("an XFS file system");
        }
        if (at(head, 0, "LUKS\u00ba\u00be")) {
            return Optional.of("a LUKS encrypted volume");
        }
        if (at(head, 512, "LABELONE")) {
            return Optional.of("an LVM physical volume");
        }
        if (at(head, 512, "EFI PART")) {
            return Optional.of("a GPT partition table");
        }
        if (head.byteSize() > 1081
                && head.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 1080)
                        == (short) 0xEF53) {
            return Optional.of("an ext2/3/4 file system");
        }
        if (at(head, 4086, "SWAPSPACE2") || at(head, 4086, "SWAP-SPACE")) {
            return Optional.of("a swap area");
        }
        if (at(head, 65600, "_BHRfS_M")) {
            return Optional.of("a btrfs file system");
        }
        if (at(head, 82, "FAT32   ") || at(head, 54, "FAT16   ") || at(head, 54, "FAT12   ")) {
            return Optional.of("a FAT file system");
        }
        return Optional.empty();
    }

    private static boolean at(MemorySegment head, long offset, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        if (offset + m.length > head.byteSize()) {
            return false;
        }
        for (int i = 0; i < m.length; i++) {
            if (head.get(ValueLayout.JAVA_BYTE, offset + i) != m[i]) {
                return false;
            }
        }
        return true;
    }
}
