package org.mpool.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.format.CatalogRecord;
import org.mpool.format.MediaClassCodes;
import org.mpool.log.LogPair;
import org.mpool.log.LogReader;
import org.mpool.log.LogSpec;
import org.mpool.log.RecordLog;
import org.mpool.testing.MemoryDevice;

/**
 * MDC-0, the pool configuration: properties (a later record wins, "" removes), media classes
 * and shards; durable updates; compaction when its log is half full; read-only loading; and
 * the records it must not hold.
 */
class ConfigCatalogTest {
    private static final long LOG_BLOCKS = 16;
    private static final int BUFFER_BLOCKS = 4;
    private static final CatalogRecord.MediaClassInfo CAPACITY =
            new CatalogRecord.MediaClassInfo(MediaClassCodes.CAPACITY, new UUID(1, 2), 1 << 20, 1000, "/dev/capacity");
    private static final CatalogRecord.MediaClassInfo STAGING =
            new CatalogRecord.MediaClassInfo(MediaClassCodes.STAGING, new UUID(3, 4), 2 << 20, 50, "/dev/stäging");
    private static final List<CatalogRecord.Shard> SHARDS = List.of(
            new CatalogRecord.Shard(1, 1, 2, 1),
            new CatalogRecord.Shard(2, 3, 4, 1),
            new CatalogRecord.Shard(3, 5, 6, 1));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private MemoryDevice device() {
        return closing(new MemoryDevice("mdc0", 2 * LOG_BLOCKS * MetaLogs.BLOCK));
    }

    private static LogSpec[] logs(org.mpool.spi.BlockDevice device) {
        return MetaLogs.mdc0(device, LOG_BLOCKS, BUFFER_BLOCKS);
    }

    private ConfigCatalog create(MemoryDevice device, List<CatalogRecord> initial) {
        LogSpec[] l = logs(device);
        return closing(ConfigCatalog.create(l[0], l[1], initial));
    }

    private ConfigCatalog open(MemoryDevice device) {
        LogSpec[] l = logs(device);
        return closing(ConfigCatalog.open(l[0], l[1]));
    }

    private static ConfigCatalog load(MemoryDevice device) {
        LogSpec[] l = logs(device);
        return ConfigCatalog.load(l[0], l[1]);
    }

    private static List<CatalogRecord> initial() {
        List<CatalogRecord> records = new ArrayList<>();
        records.add(new CatalogRecord.Config("name", "pool"));
        records.add(new CatalogRecord.Config("spare.percent", "5"));
        records.add(CAPACITY);
        records.addAll(SHARDS);
        return records;
    }

    /** What a catalog shows: properties, classes, shards. */
    record View(
            Map<String, String> properties,
            Map<MediaClass, CatalogRecord.MediaClassInfo> classes,
            List<CatalogRecord.Shard> shards) {
        static View of(ConfigCatalog c) {
            return new View(new TreeMap<>(c.properties()), c.mediaClasses(), c.shards());
        }
    }

    @Test
    void createHoldsTheInitialRecordsDurably() {
        MemoryDevice mem = device();
        ConfigCatalog catalog = create(mem, initial());
        View expected = new View(
                new TreeMap<>(Map.of("name", "pool", "spare.percent", "5")),
                Map.of(MediaClass.CAPACITY, CAPACITY),
                SHARDS);
        assertThat(View.of(catalog)).as("catalog after create").isEqualTo(expected);
        assertThat(catalog.property("name", "x")).as("property name").isEqualTo("pool");
        assertThat(catalog.property("absent", "fallback")).as("property absent").isEqualTo("fallback");
        MemoryDevice crashed = closing(MemoryDevice.copyOf(mem)); // create flushed before returning
        catalog.close();
        assertThat(View.of(open(mem))).as("catalog after reopen").isEqualTo(expected);
        assertThat(View.of(open(crashed)))
                .as("catalog after a crash right after create")
                .isEqualTo(expected);
        assertThat(View.of(load(mem))).as("catalog loaded read-only").isEqualTo(expected);
    }

    @Test
    void updatesChangeRemoveAndAddAndAreDurable() {
        MemoryDevice mem = device();
        ConfigCatalog catalog = create(mem, initial());
        CatalogRecord.Shard moved = new CatalogRecord.Shard(2, 30, 40, 2);
        catalog.update(List.of(
                new CatalogRecord.Config("name", "renamed"),
                new CatalogRecord.Config("spare.percent", ""),
                new CatalogRecord.Config("ünïcode", "välue ✓"),
                new CatalogRecord.Config("never.set", ""),
                STAGING,
                moved));
        View expected = new View(
                new TreeMap<>(Map.of("name", "renamed", "ünïcode", "välue ✓")),
                Map.of(MediaClass.CAPACITY, CAPACITY, MediaClass.STAGING, STAGING),
                List.of(SHARDS.get(0), moved, SHARDS.get(2)));
        assertThat(View.of(catalog)).as("catalog after the update").isEqualTo(expected);
        assertThat(catalog.property("spare.percent", "fallback"))
                .as("removed property")
                .isEqualTo("fallback");
        MemoryDevice crashed = closing(MemoryDevice.copyOf(mem)); // update flushes before returning
        catalog.update(List.of(new CatalogRecord.Config("name", "again")));
        assertThat(catalog.property("name", ""))
                .as("name after a second update")
                .isEqualTo("again");
        catalog.close();
        assertThat(View.of(open(crashed)))
                .as("catalog after a crash after the first update")
                .isEqualTo(expected);
        View later = new View(
                new TreeMap<>(Map.of("name", "again", "ünïcode", "välue ✓")), expected.classes(), expected.shards());
        assertThat(View.of(open(mem))).as("catalog after reopen").isEqualTo(later);
    }

    @Test
    void viewsAreCopies() {
        ConfigCatalog catalog = create(device(), initial());
        Map<String, String> props = catalog.properties();
        catalog.update(List.of(new CatalogRecord.Config("name", "changed")));
        assertThat(props).as("properties taken before an update").containsEntry("name", "pool");
        assertThat(catalog.properties()).as("properties after it").containsEntry("name", "changed");
    }

    /**
     * Thousands of updates, far more than the 64 KiB log holds: the catalog compacts whenever
     * its log is half full, and keeps exactly the latest state, across reopen and across a
     * crash (every update is durable when it returns).
     */
    @Test
    void compactionKeepsTheLatestStateAcrossReopen() {
        MemoryDevice mem = device();
        ConfigCatalog catalog = create(mem, initial());
        Map<String, String> model = new TreeMap<>(Map.of("name", "pool", "spare.percent", "5"));
        long capacity = LOG_BLOCKS * MetaLogs.BLOCK;
        long appended = 0;
        for (int i = 0; i < 3000; i++) {
            String key = "key." + (i % 37);
            String value = i % 11 == 0 ? "" : "value " + i + " " + "x".repeat(i % 40);
            catalog.update(List.of(new CatalogRecord.Config(key, value)));
            appended += CatalogRecord.encode(new CatalogRecord.Config(key, value)).length;
            if (value.isEmpty()) {
                model.remove(key);
            } else {
                model.put(key, value);
            }
            if (i % 500 == 0) {
                assertThat(catalog.properties())
                        .as("properties after update %d", i)
                        .isEqualTo(model);
            }
        }
        assertThat(appended)
                .as("record bytes appended (log capacity %d)", capacity)
                .isGreaterThan(capacity);
        LogSpec[] l = logs(mem);
        long generations;
        try (LogReader r0 = RecordLog.read(l[0]);
                LogReader r1 = RecordLog.read(l[1])) {
            generations = Math.max(r0.generation(), r1.generation());
        }
        assertThat(generations)
                .as("highest log generation (a new MDC has 2; each compaction adds one)")
                .isGreaterThan(4);
        View expected = new View(model, Map.of(MediaClass.CAPACITY, CAPACITY), SHARDS);
        assertThat(View.of(catalog)).as("catalog after the updates").isEqualTo(expected);
        MemoryDevice crashed = closing(MemoryDevice.copyOf(mem));
        catalog.close();
        assertThat(View.of(open(mem))).as("catalog after reopen").isEqualTo(expected);
        assertThat(View.of(open(crashed))).as("catalog after a crash").isEqualTo(expected);
        assertThat(View.of(load(mem))).as("catalog loaded read-only").isEqualTo(expected);
    }

    @Test
    void aLoadedCatalogRefusesUpdatesAndWritesNothing() {
        MemoryDevice mem = device();
        create(mem, initial()).close();
        MemoryDevice before = closing(MemoryDevice.copyOf(mem));
        ConfigCatalog loaded = load(mem);
        assertThat(loaded.property("name", "")).as("name in the loaded catalog").isEqualTo("pool");
        MpoolException e = catchThrowableOfType(
                MpoolException.class, () -> loaded.update(List.of(new CatalogRecord.Config("name", "x"))));
        assertThat(e).as("update of a loaded catalog").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.PERMISSION);
        assertThat(loaded.property("name", ""))
                .as("name after the refused update")
                .isEqualTo("pool");
        loaded.close();
        assertThat(MetaLogs.sameBytes(mem, before))
                .as("device unchanged by load, update and close")
                .isTrue();
    }

    @Test
    void anObjectRecordInMdc0IsCorrupt() {
        List<CatalogRecord> objectRecords = List.of(
                new CatalogRecord.Mblock(0x1101, 0, 5, 4096, 1, 0),
                new CatalogRecord.Mlog(0x1201, 0, 5, 1, 0),
                new CatalogRecord.Delete(0x1101),
                new CatalogRecord.IdReserve(4097));
        for (CatalogRecord r : objectRecords) {
            MemoryDevice mem = device();
            LogSpec[] l = logs(mem);
            try (LogPair mdc = LogPair.create(l[0], l[1], false)) {
                mdc.append(CatalogRecord.encode(new CatalogRecord.Config("name", "pool")), false);
                mdc.append(CatalogRecord.encode(r), true);
            }
            MpoolException opened = catchThrowableOfType(MpoolException.class, () -> open(mem));
            assertThat(opened).as("open of MDC-0 holding %s", r).isNotNull();
            assertThat(opened.code()).as("code of %s", opened).isEqualTo(ErrorCode.CORRUPT);
            assertThat(opened.getMessage()).as("message of %s", opened).contains("MDC-0 holds an object record");
            MpoolException loaded = catchThrowableOfType(MpoolException.class, () -> load(mem));
            assertThat(loaded).as("load of MDC-0 holding %s", r).isNotNull();
            assertThat(loaded.code()).as("code of %s", loaded).isEqualTo(ErrorCode.CORRUPT);
        }
    }

    @Test
    void aRecordThatDoesNotDecodeIsCorrupt() {
        MemoryDevice mem = device();
        LogSpec[] l = logs(mem);
        try (LogPair mdc = LogPair.create(l[0], l[1], false)) {
            mdc.append(new byte[] {CatalogRecord.CONFIG, 5, 0, 'a'}, true); // a key of 5 bytes holding 1
        }
        MpoolException e = catchThrowableOfType(MpoolException.class, () -> open(mem));
        assertThat(e).as("open of MDC-0 holding a truncated CONFIG").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.CORRUPT);
        assertThat(e.getMessage()).as("message of %s", e).contains("MDC-0").contains("truncated");
    }
}
