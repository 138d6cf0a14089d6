package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.device.AlignedBuffers;

/** A full pool says NO_SPACE cleanly, loses nothing, keeps its metadata working, and recovers space on delete. */
class NoSpaceTest {
    @TempDir
    Path dir;

    @Test
    void fillDeleteAndContinue() {
        Path device = dir.resolve("full.img");
        List<ObjectId> ids = new ArrayList<>();
        try (Mpool pool = Mpool.create(
                        "full",
                        device,
                        new CreateOptions()
                                .size(64L << 20)
                                .mblockSize(1 << 20)
                                .shards(1)
                                .sparePercent(10));
                Arena arena = Arena.ofConfined()) {
            MemorySegment page = AlignedBuffers.allocate(arena, 4096);
            while (true) {
                MblockWriter w;
                try {
                    w = pool.allocateMblock(MediaClass.CAPACITY);
                } catch (MpoolException e) {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
                    assertThat(e.getMessage()).contains("no space in media class capacity");
                    break;
                }
                page.fill((byte) ids.size());
                w.write(page);
                w.commit();
                ids.add(w.id());
            }
            assertThat(ids).hasSizeGreaterThan(20);
            assertThatThrownBy(() -> pool.allocateMlog(MediaClass.CAPACITY, 1))
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.NO_SPACE);
            // Data is full, metadata still works: commits of deletes and a compaction go through.
            for (int i = 0; i < 5; i++) {
                pool.delete(ids.remove(0));
            }
            pool.compactMetadata();
            pool.setProperty("label", "still works");
            MblockWriter again = pool.allocateMblock(MediaClass.CAPACITY);
            page.fill((byte) 99);
            again.write(page);
            again.commit();
            ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(log, 0);
            try (Mlog m = pool.openMlog(log)) {
                m.append(new byte[] {1, 2, 3}, true);
            }
            ids.add(again.id());
        }
        try (Mpool pool = Mpool.open(device);
                Arena arena = Arena.ofConfined()) {
            assertThat(pool.stats().mblocks()).isEqualTo(ids.size());
            assertThat(pool.stats().mlogs()).isEqualTo(1);
            assertThat(pool.properties()).containsEntry("label", "still works");
            MemorySegment page = AlignedBuffers.allocate(arena, 4096);
            for (ObjectId id : ids) {
                pool.readMblock(id, 0, page);
                byte b = page.get(ValueLayout.JAVA_BYTE, 0);
                assertThat(page.asSlice(0, 4096).toArray(ValueLayout.JAVA_BYTE))
                        .as("bytes of %s", id)
                        .containsOnly(b);
            }
        }
    }
}
