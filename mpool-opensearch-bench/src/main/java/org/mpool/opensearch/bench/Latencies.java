package org.mpool.opensearch.bench;

import java.util.Arrays;

/** Query latencies in µs, pooled over the rounds: percentiles of many samples, not medians of few. */
final class Latencies {
    private long[] micros = new long[1024];
    private int count;

    void add(long us) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, 2 * count);
        }
        micros[count++] = us;
    }

    void addAll(long[] us) {
        for (long u : us) {
            add(u);
        }
    }

    int count() {
        return count;
    }

    /** The {@code q}-quantile (0..1), nearest rank; 0 if empty. */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long[] s = Arrays.copyOf(micros, count);
        Arrays.sort(s);
        int rank = Math.max(1, (int) Math.ceil(q * count));
        return s[rank - 1];
    }
}
