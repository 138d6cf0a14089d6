package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** {@link SizeConverter} reads byte counts with binary suffixes and rejects anything else. */
class SizeConverterTest {
    private final SizeConverter converter = new SizeConverter();

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '=',
            value = {
                "0 = 0",
                "4096 = 4096",
                "64k = 65536",
                "64K = 65536",
                "32m = 33554432",
                "1g = 1073741824",
                "2t = 2199023255552",
                "64KiB = 65536",
                "32MiB = 33554432",
                "1GiB = 1073741824",
                "1TiB = 1099511627776",
                "8kb = 8192",
                "8MB = 8388608",
                "'  16m  ' = 16777216",
                "1048576t = 1152921504606846976",
                "1152921504606846976 = 1152921504606846976"
            })
    void convertsSizes(String input, long expected) {
        assertThat(converter.convert(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "",
                " ",
                "k",
                "KiB",
                "3x",
                "1.5g",
                "-1",
                "-1k",
                "abc",
                "12 m",
                "0x10",
                "8388608t",
                "8388607t",
                "1048577t",
                "1152921504606846977",
                "9223372036854775807",
                "99999999999999999999",
                "1kk",
                "m1"
            })
    void rejectsWhatIsNotASize(String input) {
        assertThatThrownBy(() -> converter.convert(input))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + input + "'");
    }
}
