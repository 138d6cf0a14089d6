package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Units} prints byte counts and rates in binary units with one decimal. */
class UnitsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1.0 KiB",
        "1536, 1.5 KiB",
        "1048576, 1.0 MiB",
        "268435456, 256.0 MiB",
        "1099511627776, 1.0 TiB",
        "1125899906842624, 1.0 PiB"
    })
    void human(long bytes, String expected) {
        assertThat(Units.human(bytes)).isEqualTo(expected);
    }

    @Test
    void rateIsBytesPerSecond() {
        assertThat(Units.rate(512L << 20, 500_000_000L)).isEqualTo("1.0 GiB/s");
    }
}
