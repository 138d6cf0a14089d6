package org.mpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.Reaper;
import org.mpool.testing.MemoryDevices;

/**
 * The properties added with issue 17: each class's spare (and the older {@code spare} that
 * sets both), {@code discard}, and the reaper's tunables — validated, normalised, in force at
 * once, kept across a reopen. How a pool made before them reads them: GoldenImageTest.
 */
class PoolPropertiesTest {
    private static final long MIB = 1L << 20;
    private static final Path CAPACITY = MemoryDevices.DEFAULT_PATH;
    private static final Path STAGING = Path.of("/memory/staging");

    private static MemoryDevices newPool() {
        MemoryDevices devices = new MemoryDevices();
        Mpool.create(
                        "props",
                        CAPACITY,
                        new CreateOptions()
                                .size(100 * MIB)
                                .mblockSize(MIB)
                                .shards(1)
                                .sparePercent(10)
                                .staging(STAGING, 20 * MIB, MIB),
                        devices)
                .close();
        return devices;
    }

    private static long spareBytes(Mpool pool, MediaClass mc) {
        return pool.stats().classes().get(mc).spareBytes();
    }

    @Test
    void eachClassHasItsOwnSpareAndSpareSetsBoth() {
        MemoryDevices devices = newPool();
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(pool.properties())
                    .containsEntry("spare", "10")
                    .containsEntry("spare.capacity", "10")
                    .containsEntry("spare.staging", "10");
            pool.setProperty(Mpool.PROP_SPARE_CAPACITY, "80%");
            assertThat(pool.properties())
                    .as("the reference's range, up to 100")
                    .containsEntry("spare.capacity", "80")
                    .containsEntry("spare.staging", "10")
                    .containsEntry("spare", "10");
            assertThat(spareBytes(pool, MediaClass.CAPACITY))
                    .as("in force at once")
                    .isEqualTo(80 * MIB);
            assertThat(spareBytes(pool, MediaClass.STAGING)).isEqualTo(2 * MIB);
            pool.setProperty(Mpool.PROP_SPARE_STAGING, "100");
            assertThatThrownBy(() -> pool.allocateMblock(MediaClass.STAGING))
                    .as("at 100% only metadata takes zones")
                    .isInstanceOfSatisfying(
                            MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE));
        }
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(spareBytes(pool, MediaClass.CAPACITY))
                    .as("applied at open")
                    .isEqualTo(80 * MIB);
            assertThat(spareBytes(pool, MediaClass.STAGING)).isEqualTo(20 * MIB);
            pool.setProperty(Mpool.PROP_SPARE, "20");
            assertThat(pool.properties())
                    .as("spare sets both classes: their own values go")
                    .containsEntry("spare", "20")
                    .containsEntry("spare.capacity", "20")
                    .containsEntry("spare.staging", "20");
            assertThat(spareBytes(pool, MediaClass.CAPACITY)).isEqualTo(20 * MIB);
            assertThat(spareBytes(pool, MediaClass.STAGING)).isEqualTo(4 * MIB);
        }
        try (Pool pool = PoolOpener.open(CAPACITY, devices, true)) {
            assertThat(pool.config().properties())
                    .as("what is stored: spare alone, as pools made before the per-class spares")
                    .containsEntry("spare", "20")
                    .doesNotContainKeys("spare.capacity", "spare.staging");
        }
    }

    @Test
    void reaperTunablesArePersistedAndAppliedAtOpen() {
        MemoryDevices devices = newPool();
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(pool.properties())
                    .as("the defaults")
                    .containsEntry("reaper.budget", "25%")
                    .containsEntry("reaper.ttl", "10m")
                    .containsEntry("reaper.period", "1s");
            pool.setProperty(Mpool.PROP_REAPER_BUDGET, "2g");
            pool.setProperty(Mpool.PROP_REAPER_TTL, "90s");
            pool.setProperty(Mpool.PROP_REAPER_PERIOD, "250ms");
            assertThat(pool.reaperConfig())
                    .as("in force at once")
                    .isEqualTo(new Reaper.Config(2L << 30, 0, Duration.ofSeconds(90), Duration.ofMillis(250)));
            pool.setReaperConfig(Reaper.Config.defaults()); // for this open only
        }
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(pool.reaperConfig())
                    .as("the properties at the next open, not the unpersisted change")
                    .isEqualTo(new Reaper.Config(2L << 30, 0, Duration.ofSeconds(90), Duration.ofMillis(250)));
            assertThat(pool.properties())
                    .containsEntry("reaper.budget", String.valueOf(2L << 30))
                    .containsEntry("reaper.ttl", "90s")
                    .containsEntry("reaper.period", "250ms");
            pool.setProperty(Mpool.PROP_REAPER_BUDGET, "10%");
            pool.setProperty(Mpool.PROP_REAPER_TTL, "0");
            assertThat(pool.reaperConfig().budgetPercent()).isEqualTo(10);
            assertThat(pool.reaperConfig().ttl()).as("0: off").isEqualTo(Duration.ZERO);
            assertThat(pool.properties().get("reaper.ttl")).isEqualTo("0");
        }
    }

    @Test
    void discardIsOnOrOff() {
        MemoryDevices devices = newPool();
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            assertThat(pool.properties()).containsEntry("discard", "off");
            pool.setProperty(Mpool.PROP_DISCARD, "ON");
            assertThat(pool.properties()).as("normalised").containsEntry("discard", "on");
        }
        try (Mpool pool = Mpool.openReadOnly(CAPACITY, devices)) {
            assertThat(pool.properties()).containsEntry("discard", "on");
        }
    }

    @Test
    void badValuesAreRefusedSayingWhatIsWanted() {
        MemoryDevices devices = newPool();
        try (Mpool pool = Mpool.open(CAPACITY, devices)) {
            refused(pool, "spare", "60", ErrorCode.INVALID_ARGUMENT, "0 to 50 (spare.capacity and spare.staging go");
            refused(pool, "spare.capacity", "101", ErrorCode.INVALID_ARGUMENT, "0 to 100");
            refused(pool, "spare.staging", "-1", ErrorCode.INVALID_ARGUMENT, "0 to 100");
            refused(pool, "discard", "maybe", ErrorCode.INVALID_ARGUMENT, "on or off");
            refused(pool, "reaper.budget", "0%", ErrorCode.INVALID_ARGUMENT, "1% to 100%");
            refused(pool, "reaper.budget", "lots", ErrorCode.INVALID_ARGUMENT, "such as 4g");
            refused(pool, "reaper.ttl", "10 minutes", ErrorCode.INVALID_ARGUMENT, "such as 500ms, 30s, 10m");
            refused(pool, "reaper.period", "0", ErrorCode.INVALID_ARGUMENT, "from 1ms to 1h");
            refused(pool, "reaper.period", "2h", ErrorCode.INVALID_ARGUMENT, "from 1ms to 1h");
            refused(
                    pool,
                    "colour",
                    "red",
                    ErrorCode.NOT_FOUND,
                    "settable: label, uid, gid, mode, spare, spare.capacity");
            assertThat(pool.properties())
                    .as("nothing changed")
                    .containsEntry("spare.capacity", "10")
                    .containsEntry("discard", "off")
                    .containsEntry("reaper.period", "1s");
        }
    }

    @Test
    void durationsReadAndWriteInTheirShortestForm() {
        assertThat(PoolProperties.duration("t", "1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(PoolProperties.duration("t", "2d")).isEqualTo(Duration.ofDays(2));
        assertThat(PoolProperties.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(PoolProperties.formatDuration(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(PoolProperties.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(PoolProperties.formatDuration(Duration.ZERO)).isEqualTo("0");
    }

    private static void refused(Mpool pool, String key, String value, ErrorCode code, String says) {
        assertThatThrownBy(() -> pool.setProperty(key, value))
                .as("%s=%s", key, value)
                .isInstanceOfSatisfying(MpoolException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(says);
                });
    }
}
