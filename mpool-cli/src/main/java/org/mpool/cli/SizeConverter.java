package org.mpool.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Parses sizes such as {@code 4096}, {@code 64k}, {@code 32m}, {@code 1g}, {@code 2t} (powers of
 * 1024), up to {@link #MAX_BYTES}: far beyond any device, and small enough that rounding a size
 * up to a block or a zone cannot overflow a long.
 */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    static final long MAX_BYTES = 1L << 60;

    @Override
    public Long convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ib")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("b") && v.length() > 1) {
            v = v.substring(0, v.length() - 1); // "512b" is bytes, "4kb" is "4k"
        }
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> {}
            }
        }
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (MAX_BYTES >> shift)) {
                throw new CommandLine.TypeConversionException(
                        "size out of range: '" + value + "' (sizes go from 0 to 1 EiB)");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            if (digits.matches("[0-9]+")) {
                throw new CommandLine.TypeConversionException(
                        "size out of range: '" + value + "' (sizes go from 0 to 1 EiB)");
            }
            throw new CommandLine.TypeConversionException(
                    "not a size: '" + value + "' (use a number with an optional k, m, g or t suffix)");
        }
    }
}
