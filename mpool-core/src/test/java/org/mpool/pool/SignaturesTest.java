package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Each foreign signature create refuses to overwrite is recognised at its offset, and only
 * there: one byte off, or one byte of the magic changed, and the head is not taken for it.
 */
class SignaturesTest {
    private static final int HEAD = 68 * 1024;

    private record Magic(String what, long offset, byte[] bytes) {
        static Magic text(String what, long offset, String magic) {
            return new Magic(what, offset, magic.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static final Magic[] MAGICS = {
        Magic.text("an XFS file system", 0, "XFSB"),
        Magic.text("a LUKS encrypted volume", 0, "LUKS\u00ba\u00be"),
        Magic.text("an LVM physical volume", 512, "LABELONE"),
        Magic.text("a GPT partition table", 512, "EFI PART"),
        new Magic("an ext2/3/4 file system", 1080, new byte[] {0x53, (byte) 0xEF}),
        Magic.text("a swap area", 4086, "SWAPSPACE2"),
        Magic.text("a swap area", 4086, "SWAP-SPACE"),
        Magic.text("a btrfs file system", 65600, "_BHRfS_M"),
        Magic.text("a FAT file system", 82, "FAT32   "),
        Magic.text("a FAT file system", 54, "FAT16   "),
        Magic.text("a FAT file system", 54, "FAT12   "),
    };

    private static MemorySegment headWith(Arena arena, long offset, byte[] bytes) {
        MemorySegment head = arena.allocate(HEAD);
        MemorySegment.copy(bytes, 0, head, ValueLayout.JAVA_BYTE, offset, bytes.length);
        return head;
    }

    @Test
    void everyMagicIsRecognisedAtItsOffset() {
        try (Arena arena = Arena.ofConfined()) {
            for (Magic m : MAGICS) {
                assertThat(Signatures.identify(headWith(arena, m.offset(), m.bytes())))
                        .as("%s at %d", m.what(), m.offset())
                        .contains(m.what());
            }
        }
    }

    @Test
    void aMagicOneByteOffOrOneByteWrongIsNotRecognised() {
        try (Arena arena = Arena.ofConfined()) {
            for (Magic m : MAGICS) {
                assertThat(Signatures.identify(headWith(arena, m.offset() + 1, m.bytes())))
                        .as("%s one byte further", m.what())
                        .isEmpty();
                byte[] wrong = m.bytes().clone();
                wrong[wrong.length - 1] ^= 0x20;
                assertThat(Signatures.identify(headWith(arena, m.offset(), wrong)))
                        .as("%s with its last byte changed", m.what())
                        .isEmpty();
            }
        }
    }

    @Test
    void zerosAreNothing() {
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Signatures.identify(arena.allocate(HEAD))).isEmpty();
        }
    }

    @Test
    void theExtMagicIsLittleEndian() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment head = arena.allocate(HEAD);
            head.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 1080, (short) 0xEF53);
            assertThat(Signatures.identify(head)).as("0xEF53 stored big-endian").isEmpty();
        }
    }
}
