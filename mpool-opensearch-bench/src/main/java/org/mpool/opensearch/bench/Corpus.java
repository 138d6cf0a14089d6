package org.mpool.opensearch.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.SplittableRandom;

/**
 * Generated documents: words drawn from a Zipf-distributed vocabulary (exponent 1.0) of made-up
 * syllable words, bodies of 50 to 450 words, a title, a date, a category and a price. Each
 * document is a function of (seed, id), so both indices get the very same bytes.
 */
final class Corpus {
    static final String[] CATEGORIES = {"news", "sport", "science", "culture", "business", "travel", "food", "tech"};
    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "gu", "de", "fi", "ho", "ju", "be", "co", "ra",
        "ny", "xe", "wa", "qui", "st", "or", "an"
    };
    static final long DATE_BASE_MILLIS = 1_600_000_000_000L;
    static final long DATE_SPAN_MILLIS = 4L * 365 * 24 * 3600 * 1000;

    private final long seed;
    final String[] words;
    private final double[] cdf;

    Corpus(long seed, int vocabularySize) {
        this.seed = seed;
        SplittableRandom r = new SplittableRandom(seed);
        LinkedHashSet<String> set = new LinkedHashSet<>();
        while (set.size() < vocabularySize) {
            StringBuilder w = new StringBuilder();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            set.add(w.toString());
        }
        words = set.toArray(String[]::new);
        cdf = new double[vocabularySize];
        double sum = 0;
        for (int i = 0; i < vocabularySize; i++) {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }
        for (int i = 0; i < vocabularySize; i++) {
            cdf[i] /= sum;
        }
    }

    /** A word drawn by frequency. */
    String word(SplittableRandom r) {
        int i = Arrays.binarySearch(cdf, r.nextDouble());
        return words[Math.min(words.length - 1, i < 0 ? -i - 1 : i)];
    }

    /** Document {@code id} as the source map's values: title, body, date, category, price. */
    Object[] doc(int id) {
        SplittableRandom r = new SplittableRandom(seed * 31 + id);
        StringBuilder body = new StringBuilder();
        int n = 50 + r.nextInt(400);
        for (int i = 0; i < n; i++) {
            body.append(word(r)).append(' ');
        }
        StringBuilder title = new StringBuilder();
        for (int i = 0; i < 3 + r.nextInt(5); i++) {
            title.append(word(r)).append(' ');
        }
        return new Object[] {
            "title", title.toString().trim(),
            "body", body.toString().trim(),
            "date", DATE_BASE_MILLIS + r.nextLong(DATE_SPAN_MILLIS),
            "category", CATEGORIES[r.nextInt(CATEGORIES.length)],
            "price", r.nextInt(100_000)
        };
    }
}
