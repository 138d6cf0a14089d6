package org.mpool.lucene.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A generated corpus of text that indexes like prose: a vocabulary of pronounceable words whose
 * frequencies follow Zipf's law (exponent 1.07, as in English), documents of varied length
 * (log-normal, median ~180 words) with a short title, a date and a category. Deterministic from
 * its seed; generated once, in memory, so that both directories index the very same bytes and
 * generating text costs neither of them.
 */
final class Corpus {
    /** One document. */
    record Doc(int id, String title, String body, long date, String category) {}

    static final String[] CATEGORIES = {"news", "sport", "science", "culture", "business", "travel", "food", "tech"};

    private static final String[] ONSETS = {
        "", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cl", "dr",
        "fl", "gr", "pl", "pr", "sh", "st", "th", "tr"
    };
    private static final String[] NUCLEI = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"};
    private static final String[] CODAS = {"", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng"};

    final String[] vocabulary;
    final List<Doc> docs;
    /** Cumulative Zipf weights over {@link #vocabulary}, for sampling by rank. */
    private final double[] cdf;

    Corpus(String[] vocabulary, double[] cdf, List<Doc> docs) {
        this.vocabulary = vocabulary;
        this.cdf = cdf;
        this.docs = docs;
    }

    /** {@code n} documents over a vocabulary of {@code words} words, from {@code seed}; uses every core. */
    static Corpus generate(int n, int words, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] vocabulary = vocabulary(words, r);
        double[] cdf = new double[words];
        double sum = 0;
        for (int i = 0; i < words; i++) {
            sum += 1.0 / Math.pow(i + 1, 1.07);
            cdf[i] = sum;
        }
        for (int i = 0; i < words; i++) {
            cdf[i] /= sum;
        }
        Corpus shape = new Corpus(vocabulary, cdf, List.of());
        Doc[] docs = new Doc[n];
        long base = 1_600_000_000_000L;
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom dr = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
            int length = (int) Math.min(2000, Math.max(20, Math.exp(5.2 + 0.7 * gaussian(dr))));
            String title = shape.text(dr, 4 + dr.nextInt(8));
            String body = shape.text(dr, length);
            long date = base + dr.nextLong(5L * 365 * 24 * 3600 * 1000);
            docs[i] = new Doc(i, title, body, date, CATEGORIES[dr.nextInt(CATEGORIES.length)]);
        });
        return new Corpus(vocabulary, cdf, Arrays.asList(docs));
    }

    double[] cdf() {
        return cdf;
    }

    /** A word of rank {@code rank} (0: the most frequent). */
    String word(int rank) {
        return vocabulary[rank];
    }

    /** A word drawn by frequency. */
    String sample(SplittableRandom r) {
        int i = Arrays.binarySearch(cdf, r.nextDouble());
        return vocabulary[Math.min(vocabulary.length - 1, i < 0 ? -i - 1 : i)];
    }

    private String text(SplittableRandom r, int words) {
        StringBuilder sb = new StringBuilder(words * 8);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(i % 17 == 16 ? ". " : ' ');
            }
            sb.append(sample(r));
        }
        return sb.toString();
    }

    /** Two consecutive words of a random document: a phrase that occurs. */
    String[] phrase(SplittableRandom r) {
        String body = docs.get(r.nextInt(docs.size())).body();
        String[] w = body.replace(".", "").split(" ");
        int at = r.nextInt(Math.max(1, w.length - 1));
        return new String[] {w[at], w[Math.min(w.length - 1, at + 1)]};
    }

    private static String[] vocabulary(int words, SplittableRandom r) {
        Set<String> seen = new LinkedHashSet<>();
        while (seen.size() < words) {
            int syllables = 1 + Math.min(3, (int) Math.abs(gaussian(r) * 1.2));
            StringBuilder w = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                w.append(ONSETS[r.nextInt(ONSETS.length)])
                        .append(NUCLEI[r.nextInt(NUCLEI.length)])
                        .append(CODAS[r.nextInt(CODAS.length)]);
            }
            if (w.length() >= 2) {
                seen.add(w.toString());
            }
        }
        // Short words are the frequent ones in natural language: sort ranks by length a little.
        List<String> list = new ArrayList<>(seen);
        list.sort((a, b) -> Integer.compare(a.length() / 3, b.length() / 3));
        return list.toArray(String[]::new);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Characters of text in the corpus (titles and bodies). */
    long chars() {
        long c = 0;
        for (Doc d : docs) {
            c += d.title().length() + d.body().length();
        }
        return c;
    }
}
