package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.MblockWriter;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/**
 * What a crash leaves between a commit and its catalog record, built by hand in a pool the test
 * opened (so nothing has to crash): at open, objects with the directory's tag that no file names
 * are deleted, files whose mblocks are gone are dropped, and nobody else's objects are touched.
 */
class OrphanCleanupTest {
    static final int MiB = 1 << 20;
    /** The data a 1 MiB mblock holds: its zone less the page checksums at its end. */
    static final int FULL = MiB - 4096;

    @TempDir
    Path dir;

    Mpool pool;

    @BeforeEach
    void createPool() {
        pool = Mpool.create(
                "orphans",
                dir.resolve("pool.img"),
                new CreateOptions().size(256L * MiB).mblockSize(MiB));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    /** A committed mblock tagged {@code tag} that no catalog names: what a crash after the commit leaves. */
    private ObjectId committedMblock(long tag, int bytes) {
        try (Arena arena = Arena.ofConfined();
                MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY).owner(tag)) {
            w.write(Mpool.allocateBuffer(arena, bytes));
            w.commit();
            return w.id();
        }
    }

    private boolean exists(ObjectId id) {
        try {
            pool.info(id);
            return true;
        } catch (MpoolException e) {
            return false;
        }
    }

    @Test
    void orphansOfTheDirectoryAreDeletedAndNobodyElsesAre() throws IOException {
        long tagOne;
        ObjectId orphan;
        ObjectId appObject = committedMblock(42, 4096); // the application's own, tag 42
        ObjectId untagged = committedMblock(0, 4096);
        try (MpoolDirectory one = MpoolDirectory.open(pool, "one");
                MpoolDirectory two = MpoolDirectory.open(pool, "two")) {
            assertThat(one.ownerTag()).isNotEqualTo(two.ownerTag());
            assertThat(one.ownerTag() >>> 32).as("'MPLU'").isEqualTo(0x4D504C55L);
            Files2.write(one, "a", Files2.bytes(1, 2 * FULL));
            Files2.write(two, "a", Files2.bytes(2, 3 * FULL));
            one.sync(List.of("a"));
            two.sync(List.of("a"));
            tagOne = one.ownerTag();
            orphan = committedMblock(tagOne, 8192);
        }
        try (MpoolDirectory one = MpoolDirectory.open(pool, "one");
                MpoolDirectory two = MpoolDirectory.open(pool, "two")) {
            assertThat(one.openReport().orphansDeleted()).isEqualTo(1);
            assertThat(two.openReport().orphansDeleted()).isZero();
            assertThat(exists(orphan)).isFalse();
            assertThat(exists(appObject)).isTrue();
            assertThat(exists(untagged)).isTrue();
            assertThat(Files2.read(one, "a")).isEqualTo(Files2.bytes(1, 2 * FULL));
            assertThat(Files2.read(two, "a")).isEqualTo(Files2.bytes(2, 3 * FULL));
            assertThat(pool.objects(tagOne))
                    .extracting(ObjectInfo::id)
                    .as("file a's two mblocks and the catalog")
                    .hasSize(3)
                    .containsAll(one.mblocks("a"));
        }
    }

    @Test
    void aFileWhoseMblocksACrashTookIsDroppedAndItsOthersFreed() throws IOException {
        List<ObjectId> lost;
        try (MpoolDirectory d = MpoolDirectory.open(pool, "d")) {
            Files2.write(d, "kept", Files2.bytes(1, 5000));
            Files2.write(d, "lost", Files2.bytes(2, 3 * FULL));
            d.sync(List.of("kept", "lost"));
            lost = d.mblocks("lost");
        }
        // As if the record of "lost" had reached the media and its second commit had not.
        pool.delete(lost.get(1));
        try (MpoolDirectory d = MpoolDirectory.open(pool, "d")) {
            MpoolDirectory.OpenReport r = d.openReport();
            assertThat(r.lostFiles()).isEqualTo(1);
            assertThat(r.orphansDeleted())
                    .as("the two mblocks of 'lost' that remained")
                    .isEqualTo(2);
            assertThat(d.listAll()).containsExactly("kept");
            assertThat(exists(lost.get(0))).isFalse();
            assertThat(Files2.read(d, "kept")).isEqualTo(Files2.bytes(1, 5000));
        }
        try (MpoolDirectory d = MpoolDirectory.open(pool, "d")) {
            assertThat(d.openReport().lostFiles())
                    .as("the catalog was rewritten without it")
                    .isZero();
        }
    }

    @Test
    void aCreationACrashInterruptedIsFinishedAndItsLeftoversFreed() throws IOException {
        // The first root record of a new directory is written before anything else of it...
        long tag = RootRecords.newTag(pool, "x", RootRecords.read(pool));
        RootRecords.append(pool, null, new RootRecords.Entry("x", tag, null));
        // ...then its catalog MDC is committed: a crash here leaves it, and nothing names it.
        ObjectId leftover = pool.allocateMdc(MediaClass.CAPACITY, MiB);
        pool.commit(leftover, tag);
        ObjectId stray = committedMblock(tag, 4096);
        try (MpoolDirectory d = MpoolDirectory.open(pool, "x")) {
            assertThat(d.openReport().created()).isTrue();
            assertThat(d.openReport().orphansDeleted()).isEqualTo(2);
            assertThat(d.ownerTag()).isEqualTo(tag);
            assertThat(exists(leftover)).isFalse();
            assertThat(exists(stray)).isFalse();
            assertThat(pool.objects(tag)).hasSize(1); // its catalog
            Files2.write(d, "f", Files2.bytes(9, 9000));
        }
        try (MpoolDirectory d = MpoolDirectory.open(pool, "x")) {
            assertThat(d.openReport().created()).isFalse();
            assertThat(d.listAll()).containsExactly("f");
        }
    }

    @Test
    void aNewDirectoryStaysClearOfTagsOthersUse() throws IOException {
        long wouldBe = RootRecords.TAG_PREFIX | ("y".hashCode() & 0xFFFF_FFFFL);
        ObjectId someoneElses = committedMblock(wouldBe, 4096); // another client happens to use that tag
        try (MpoolDirectory d = MpoolDirectory.open(pool, "y")) {
            assertThat(d.ownerTag()).isNotEqualTo(wouldBe);
        }
        try (MpoolDirectory d = MpoolDirectory.open(pool, "y")) {
            assertThat(d.openReport().orphansDeleted()).isZero();
        }
        assertThat(exists(someoneElses)).isTrue();
    }

    @Test
    void theRootMdcHeldByTheApplicationIsUsedThroughItsHandle() throws IOException {
        try (var root = pool.rootMdc()) {
            assertThatThrownBy(() -> MpoolDirectory.open(pool, "z"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("MpoolDirectoryOptions.rootMdc");
            try (MpoolDirectory d = MpoolDirectory.open(pool, "z", new MpoolDirectoryOptions().rootMdc(root))) {
                Files2.write(d, "f", Files2.bytes(3, 100));
            }
        }
        try (MpoolDirectory d = MpoolDirectory.open(pool, "z")) {
            assertThat(d.listAll()).containsExactly("f");
        }
    }

    @Test
    void namesOfDirectoriesAreChecked() {
        assertThatThrownBy(() -> MpoolDirectory.open(pool, "a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid directory name");
        assertThatThrownBy(() -> MpoolDirectory.open(pool, "-x")).isInstanceOf(IllegalArgumentException.class);
    }
}
