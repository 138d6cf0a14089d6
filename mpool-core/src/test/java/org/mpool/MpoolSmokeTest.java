package org.mpool;

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
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.device.AlignedBuffers;

class MpoolSmokeTest {
    @TempDir
    Path dir;

    private static CreateOptions small() {
        return new CreateOptions().size(256L << 20).mblockSize(1 << 20);
    }

    @Test
    void mblocksSurviveReopen() {
        Path dev = dir.resolve("cap.img");
        List<ObjectId> ids = new ArrayList<>();
        try (Mpool pool = Mpool.create("smoke", dev, small());
                Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, 64 * 1024);
            for (int i = 0; i < 20; i++) {
                buf.fill((byte) i);
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY);
                w.write(buf);
                w.write(buf.asSlice(0, 100 + i));
                w.commit();
                ids.add(w.id());
            }
            assertThat(pool.info(ids.get(3)).lengthBytes()).isEqualTo(64 * 1024 + 103);
        }
        try (Mpool pool = Mpool.open(dev);
                Arena arena = Arena.ofConfined()) {
            MemorySegment buf = AlignedBuffers.allocate(arena, 64 * 1024 + 4096);
            for (int i = 0; i < 20; i++) {
                pool.readMblock(ids.get(i), 0, buf);
                assertThat(buf.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) i);
                assertThat(buf.get(ValueLayout.JAVA_BYTE, 64 * 1024 + 99 + i)).isEqualTo((byte) i);
                assertThat(buf.get(ValueLayout.JAVA_BYTE, 64 * 1024 + 100 + i)).isEqualTo((byte) 0);
            }
            pool.delete(ids.get(0));
            assertThatThrownBy(() -> pool.readMblock(ids.get(0), 0, buf))
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(pool.stats().mblocks()).isEqualTo(19);
            pool.rename("smoke2");
            pool.setProperty("label", "hello");
            pool.compactMetadata();
        }
        try (Mpool pool = Mpool.open(dev)) {
            assertThat(pool.name()).isEqualTo("smoke2");
            assertThat(pool.properties()).containsEntry("label", "hello");
            assertThat(pool.stats().mblocks()).isEqualTo(19);
            ObjectId log = pool.allocateMlog(MediaClass.CAPACITY, 1);
            pool.commit(log, 0);
            try (Mlog m = pool.openMlog(log)) {
                m.append("hi".getBytes(), true);
                assertThatThrownBy(() -> pool.delete(log))
                        .extracting(e -> ((MpoolException) e).code())
                        .isEqualTo(ErrorCode.BUSY);
            }
            try (Mlog m = pool.openMlog(log)) {
                assertThat(m.reader().readAll()).containsExactly("hi".getBytes());
            }
            pool.delete(log);
        }
    }

    @Test
    void stagingClassAndLocking() {
        Path dev = dir.resolve("cap.img");
        try (Mpool pool = Mpool.create("two", dev, small());
                Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> Mpool.open(dev))
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.LOCKED);
            assertThat(Mpool.lockHolder(dev)).hasValue(ProcessHandle.current().pid());
            assertThatThrownBy(() -> pool.allocateMblock(MediaClass.STAGING))
                    .extracting(e -> ((MpoolException) e).code())
                    .isEqualTo(ErrorCode.NOT_FOUND);
            pool.addStaging(dir.resolve("stage.img"), 64L << 20, 2 << 20, false);
            MblockWriter w = pool.allocateMblock(MediaClass.STAGING);
            MemorySegment buf = AlignedBuffers.allocate(arena, 4096);
            buf.fill((byte) 7);
            w.write(buf);
            w.commit();
            assertThat(pool.info(w.id()).capacityBytes()).isEqualTo(2 << 20);
        }
        assertThat(Mpool.lockHolder(dev)).as("closed: nobody holds it").isEmpty();
        try (Mpool _ = Mpool.openReadOnly(dev)) {
            assertThat(Mpool.lockHolder(dev))
                    .as("a read-only open takes no lock")
                    .isEmpty();
        }
        try (Mpool pool = Mpool.open(dev)) {
            assertThat(pool.stats().classes()).containsKey(MediaClass.STAGING);
            assertThat(pool.stats().mblocks()).isEqualTo(1);
        }
        assertThatThrownBy(() -> Mpool.create("again", dev, new CreateOptions()))
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.EXISTS);
    }
}
