package org.mpool.format;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators shared by the format tests: well-formed text, identities, media class codes. */
final class FormatArbitraries {
    private FormatArbitraries() {}

    /** Every media class code the format defines (searched over every byte value, so a new one is covered). */
    static List<Integer> knownClassCodes() {
        return IntStream.range(0, 256).filter(MediaClassCodes::isKnown).boxed().toList();
    }

    /** Every byte value no media class has. */
    static List<Integer> unknownClassCodes() {
        return IntStream.range(0, 256)
                .filter(c -> !MediaClassCodes.isKnown((byte) c))
                .boxed()
                .toList();
    }

    static Arbitrary<Integer> classCodes() {
        return Arbitraries.of(knownClassCodes());
    }

    /**
     * Unicode scalar values (no lone surrogates: Java would encode those as '?', so they do not
     * round-trip through UTF-8 whatever the codec does), weighted towards each UTF-8 width.
     */
    static Arbitrary<Integer> codePoints(boolean withNul) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(withNul ? 0 : 1, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFD).filter(c -> c < 0xD800 || c > 0xDFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    }

    /** Strings of up to {@code maxCodePoints} code points of every UTF-8 width. */
    static Arbitrary<String> strings(int maxCodePoints, boolean withNul) {
        return codePoints(withNul).list().ofMaxSize(maxCodePoints).map(FormatArbitraries::fromCodePoints);
    }

    /** Strings whose UTF-8 takes at most {@code maxBytes} bytes. */
    static Arbitrary<String> stringsOfAtMost(int maxBytes, boolean withNul) {
        return strings(maxBytes, withNul).map(s -> truncateUtf8(s, maxBytes));
    }

    static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder b = new StringBuilder();
        codePoints.forEach(b::appendCodePoint);
        return b.toString();
    }

    /** The longest prefix of whole code points of {@code s} whose UTF-8 fits {@code maxBytes}. */
    static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int n = utf8Length(cp);
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    static int utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    /** Unsigned 32-bit values, as a long. */
    static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }
}
