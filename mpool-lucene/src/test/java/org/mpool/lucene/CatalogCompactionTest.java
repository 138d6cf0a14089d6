package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/** The catalog is compacted when half full, grows into a bigger MDC when compaction cannot help, and keeps the namespace either way. */
class CatalogCompactionTest {
    static final int MiB = 1 << 20;

    @TempDir
    Path dir;

    private MpoolDirectory open() throws IOException {
        // 1 MiB mblocks: each log of the catalog is one mblock, 1 MiB.
        return new MpoolDirectory(
                dir,
                MpoolLockFactory.INSTANCE,
                new MpoolDirectoryOptions()
                        .poolSizeBytes(256L * MiB)
                        .mblockSizeBytes(MiB)
                        .catalogLogBytes(MiB));
    }

    @Test
    void churnCompactsTheCatalogInPlaceAndTheFilesSurvive() throws IOException {
        Map<String, byte[]> live = new TreeMap<>();
        try (MpoolDirectory d = open()) {
            Store.CatalogStats before = d.store().catalogStats();
            assertThat(before.capacityBytes()).isEqualTo(MiB);
            // Each round records a 2 KiB inline file, renames it and deletes it: about 4 KiB of
            // records a round, so 1,000 rounds fill half a 1 MiB log several times over.
            for (int i = 0; i < 1000; i++) {
                Files2.write(d, "tmp" + i, Files2.bytes(i, 2048));
                d.rename("tmp" + i, "renamed" + i);
                if (i % 100 == 0) {
                    live.put("renamed" + i, Files2.bytes(i, 2048));
                } else {
                    d.deleteFile("renamed" + i);
                }
            }
            Store.CatalogStats after = d.store().catalogStats();
            assertThat(after.compactions()).as("compactions").isGreaterThanOrEqualTo(4);
            assertThat(after.grows()).isZero();
            assertThat(after.id()).isEqualTo(before.id());
            assertThat(after.usedBytes()).isLessThanOrEqualTo(MiB / 2);
        }
        try (MpoolDirectory d = open()) {
            assertThat(d.listAll()).containsExactlyElementsOf(live.keySet());
            for (var e : live.entrySet()) {
                assertThat(Files2.read(d, e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aCatalogTooFullToCompactGrowsIntoABiggerOne() throws IOException {
        ObjectId first;
        ObjectId last;
        long tag;
        try (MpoolDirectory d = open()) {
            first = d.store().catalogStats().id();
            // 400 inline files of 4 KiB: 1.6 MiB of live records, more than a quarter of a 1 MiB log.
            for (int i = 0; i < 400; i++) {
                Files2.write(d, "f" + i, Files2.bytes(i, 4096));
            }
            Store.CatalogStats s = d.store().catalogStats();
            assertThat(s.grows()).isGreaterThanOrEqualTo(1);
            assertThat(s.capacityBytes()).isGreaterThan(MiB);
            last = s.id();
            tag = d.ownerTag();
            assertThat(last).isNotEqualTo(first);
            assertThat(d.pool().objects(tag))
                    .extracting(ObjectInfo::id)
                    .as("the old catalogs were deleted: only the new one has the tag")
                    .containsExactly(last);
        }
        try (MpoolDirectory d = open()) {
            // The open found the catalog the root MDC named last (and may have grown it again).
            assertThat(d.openReport().records()).as("a header and 400 files").isEqualTo(401);
            ObjectId now = d.store().catalogStats().id();
            assertThat(RootRecords.read(d.pool()).get("index").catalog()).isEqualTo(now);
            assertThat(d.pool().objects(tag)).extracting(ObjectInfo::id).containsExactly(now);
            assertThat(d.openReport().files()).isEqualTo(400);
            for (int i = 0; i < 400; i += 37) {
                assertThat(Files2.read(d, "f" + i)).isEqualTo(Files2.bytes(i, 4096));
            }
        }
    }

    @Test
    void anExplicitCompactionLeavesOnlyTheLiveRecords() throws IOException {
        try (MpoolDirectory d = open()) {
            for (int i = 0; i < 50; i++) {
                Files2.write(d, "f" + i, Files2.bytes(i, 1000));
                d.deleteFile("f" + i);
            }
            Files2.write(d, "kept", Files2.bytes(7, 1000));
            long used = d.store().catalogStats().usedBytes();
            d.compactCatalog();
            assertThat(d.store().catalogStats().usedBytes()).isLessThan(used / 10);
        }
        try (MpoolDirectory d = open()) {
            assertThat(d.openReport().records()).as("a header and one file").isEqualTo(2);
            assertThat(d.listAll()).containsExactly("kept");
        }
    }
}
