package org.mpool.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mpool.Mpool;
import org.mpool.common.CheckReport;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/** Whether an open pool holds exactly what a golden image's manifest says, byte for byte. */
final class GoldenChecks {
    private static final int PAGE = 4096;

    private GoldenChecks() {}

    /** An object as {@code objects()} lists it, less its offset (where it lies is the pool's choice). */
    record Listed(ObjectId id, MediaClass mediaClass, long lengthBytes, long owner) {
        static Listed of(ObjectInfo o) {
            return new Listed(o.id(), o.mediaClass(), o.lengthBytes(), o.owner());
        }
    }

    /**
     * The properties the manifest lists, and those added since its version was released, with
     * what a pool that never set them reads: each class's spare is the pool's {@code spare}, no
     * discard, the reaper's defaults. Released manifests never change, so this is where a new
     * property's reading of an old pool is pinned.
     */
    static Map<String, String> expected(GoldenManifest m) {
        Map<String, String> p = new TreeMap<>(m.properties());
        String spare = p.get(Mpool.PROP_SPARE);
        p.putIfAbsent(Mpool.PROP_SPARE_CAPACITY, spare);
        p.putIfAbsent(Mpool.PROP_SPARE_STAGING, spare);
        p.putIfAbsent(Mpool.PROP_DISCARD, "off");
        p.putIfAbsent(Mpool.PROP_REAPER_BUDGET, "25%");
        p.putIfAbsent(Mpool.PROP_REAPER_TTL, "10m");
        p.putIfAbsent(Mpool.PROP_REAPER_PERIOD, "1s");
        return p;
    }

    /** Everything in {@code m}, checked through {@code pool}; {@code where} opens every message. */
    static void verify(Mpool pool, GoldenManifest m, String where) {
        assertThat(pool.name()).as("%s: pool name", where).isEqualTo(m.poolName());
        assertThat(pool.uuid()).as("%s: pool uuid", where).isEqualTo(m.poolUuid());
        assertThat(pool.properties()).as("%s: properties", where).containsExactlyInAnyOrderEntriesOf(expected(m));
        for (GoldenManifest.Device d : m.devices()) {
            assertThat(pool.devicePath(d.mediaClass()))
                    .as("%s: path of the %s device", where, d.mediaClass().label())
                    .isEqualTo(d.path());
        }

        List<Listed> expected = new ArrayList<>();
        m.mblocks().forEach(b -> expected.add(new Listed(b.id(), b.mediaClass(), b.length(), m.owner(b.id()))));
        m.mlogs().forEach(l -> expected.add(new Listed(l.id(), l.mediaClass(), l.capacityBytes(), m.owner(l.id()))));
        m.mdcs().forEach(d -> expected.add(new Listed(d.id(), d.mediaClass(), d.capacityBytes(), m.owner(d.id()))));
        expected.sort(Comparator.comparing(Listed::id));
        assertThat(pool.objects())
                .as("%s: objects() lists exactly the manifest's objects, in id order", where)
                .map(Listed::of)
                .containsExactlyElementsOf(expected);

        try (Arena arena = Arena.ofConfined()) {
            for (GoldenManifest.Mblock b : m.mblocks()) {
                verifyMblock(pool, m, b, arena, where);
            }
        }
        for (GoldenManifest.Mlog l : m.mlogs()) {
            assertThat(Listed.of(pool.info(l.id())))
                    .as("%s: info(%s)", where, l.id())
                    .isEqualTo(new Listed(l.id(), l.mediaClass(), l.capacityBytes(), m.owner(l.id())));
            List<GoldenManifest.Record> records = pool.read(l.id()).readAll().stream()
                    .map(GoldenManifest.Record::of)
                    .toList();
            assertThat(records)
                    .as("%s: the records of mlog %s (length, SHA-256)", where, l.id())
                    .containsExactlyElementsOf(l.records());
        }
        for (GoldenManifest.Mdc d : m.mdcs()) {
            List<GoldenManifest.Record> records = pool.read(d.id()).readAll().stream()
                    .map(GoldenManifest.Record::of)
                    .toList();
            assertThat(records)
                    .as("%s: the records of MDC %s (length, SHA-256)", where, d.id())
                    .containsExactlyElementsOf(d.records());
        }
        if (m.rootRecords() != null) {
            List<GoldenManifest.Record> records = pool.read(null).readAll().stream()
                    .map(GoldenManifest.Record::of)
                    .toList();
            assertThat(records)
                    .as("%s: the records of the root MDC (length, SHA-256)", where)
                    .containsExactlyElementsOf(m.rootRecords());
        }
        for (ObjectId id : m.deleted()) {
            MpoolException e = catchThrowableOfType(MpoolException.class, () -> pool.info(id));
            assertThat(e)
                    .as("%s: info(%s) of a deleted object fails", where, id)
                    .isNotNull();
            assertThat(e.code())
                    .as("%s: info(%s) of a deleted object: %s", where, id, e)
                    .isEqualTo(ErrorCode.NOT_FOUND);
        }

        assertThat(pool.health()).as("%s: health()", where).isEmpty();
        CheckReport report = pool.check((done, total) -> 0);
        assertThat(report.problems()).as("%s: check() finds no problem", where).isEmpty();
        assertThat(report.objectsChecked())
                .as("%s: objects check() verified", where)
                .isEqualTo(m.objectCount());
        assertThat(report.bytesChecked())
                .as("%s: bytes check() verified", where)
                .isEqualTo(m.checkedBytes());
    }

    /** An mblock's info, its bytes (by SHA-256), and the zeros that pad its last page. */
    private static void verifyMblock(Mpool pool, GoldenManifest m, GoldenManifest.Mblock b, Arena arena, String where) {
        assertThat(Listed.of(pool.info(b.id())))
                .as("%s: info(%s)", where, b.id())
                .isEqualTo(new Listed(b.id(), b.mediaClass(), b.length(), m.owner(b.id())));
        long pages = (b.length() + PAGE - 1) / PAGE * PAGE;
        byte[] data = new byte[0];
        if (pages > 0) {
            MemorySegment buf = Mpool.allocateBuffer(arena, pages);
            pool.readMblock(b.id(), 0, buf);
            data = buf.asSlice(0, b.length()).toArray(ValueLayout.JAVA_BYTE);
            byte[] padding = buf.asSlice(b.length()).toArray(ValueLayout.JAVA_BYTE);
            if (padding.length > 0) {
                assertThat(padding)
                        .as("%s: the padding of mblock %s after its %d bytes", where, b.id(), b.length())
                        .containsOnly(0);
            }
        }
        assertThat(GoldenManifest.sha256(data))
                .as("%s: SHA-256 of the %d bytes of mblock %s", where, b.length(), b.id())
                .isEqualTo(b.sha256());
    }
}
