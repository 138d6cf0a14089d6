package org.mpool.lucene.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The suite's table, in mpool-bench's columns: medians of the rounds, mpool beside MMapDirectory. */
final class Report {
    private Report() {}

    static List<String> table(
            List<LuceneBench.Run> mpool, List<LuceneBench.Run> mmap, List<Double> inMemorySeconds, int docs) {
        List<String> lines = new ArrayList<>();
        lines.add("| suite | measurement | mpool | baseline | ratio | p50 / p99 µs (baseline p99) | target | met |");
        lines.add("|---|---|---|---|---|---|---|---|");
        double indexMpool = docs / median(mpool, LuceneBench.Run::indexSeconds);
        double indexMmap = docs / median(mmap, LuceneBench.Run::indexSeconds);
        lines.add(row(
                "indexing with commits (" + String.format(Locale.ROOT, "%,d", docs) + " docs, a commit per 10%)",
                indexMpool,
                "docs/s",
                "MMapDirectory",
                indexMmap,
                "",
                "≥ 1.2× MMapDirectory",
                indexMpool >= 1.2 * indexMmap));
        double indexMemory = docs / median(inMemorySeconds, Double::doubleValue);
        lines.add(row(
                "indexing with commits into memory (ByteBuffersDirectory, no I/O: the ceiling of any Directory)",
                indexMemory,
                "docs/s",
                "MMapDirectory",
                indexMmap,
                "",
                "report",
                true));
        double mergeMpool = docs / median(mpool, LuceneBench.Run::mergeSeconds);
        double mergeMmap = docs / median(mmap, LuceneBench.Run::mergeSeconds);
        lines.add(row("forceMerge(1) + commit", mergeMpool, "docs/s", "MMapDirectory", mergeMmap, "", "report", true));
        String[] kinds = {"term query, top 10", "phrase query (2 words), top 10", "term query sorted by date, top 10"};
        for (int k = 0; k < kinds.length; k++) {
            int kk = k;
            double p50 = median(mpool, r -> r.p50Micros()[kk]);
            double p99 = median(mpool, r -> r.p99Micros()[kk]);
            double bp50 = median(mmap, r -> r.p50Micros()[kk]);
            double bp99 = median(mmap, r -> r.p99Micros()[kk]);
            lines.add(String.format(
                    Locale.ROOT,
                    "| lucene | %s (merged index, warm) | p99 %.0f µs | MMapDirectory: p99 %.0f µs | %.2f | %.0f / %.0f (%.0f; p50 %.0f) | p99 ≤ 1.1× MMapDirectory | %s |",
                    kinds[k],
                    p99,
                    bp99,
                    p99 / bp99,
                    p50,
                    p99,
                    bp99,
                    bp50,
                    p99 <= 1.1 * bp99 ? "yes" : "**no**"));
        }
        double hotMpool = min(mpool, LuceneBench.Run::hotMinResident);
        double hotMmap = min(mmap, LuceneBench.Run::hotMinResident);
        lines.add(String.format(
                Locale.ROOT,
                "| lucene | hot set resident during forceMerge (lowest sample; hot set %,d MiB) | %.1f%% | MMapDirectory: %.1f%% (hot set %,d MiB) | %.2f |  | the hot set stays resident (≥ 99%%) | %s |",
                (long) median(mpool, r -> r.hotBytes()) >> 20,
                100 * hotMpool,
                100 * hotMmap,
                (long) median(mmap, r -> r.hotBytes()) >> 20,
                hotMpool / Math.max(1e-9, hotMmap),
                hotMpool >= 0.99 ? "yes" : "**no**"));
        double cacheMpool = median(mpool, r -> r.mergeCacheGrowthBytes()) / (1 << 20);
        double cacheMmap = median(mmap, r -> r.mergeCacheGrowthBytes()) / (1 << 20);
        lines.add(String.format(
                Locale.ROOT,
                "| lucene | page cache the index took during forceMerge (peak growth) | %,.0f MiB | MMapDirectory: %,.0f MiB | %.2f |  | report | yes |",
                cacheMpool,
                cacheMmap,
                cacheMpool / Math.max(1, cacheMmap)));
        double sizeMpool = median(mpool, r -> r.indexBytes()) / (1 << 20);
        double sizeMmap = median(mmap, r -> r.indexBytes()) / (1 << 20);
        lines.add(String.format(
                Locale.ROOT,
                "| lucene | merged index size | %,.0f MiB | MMapDirectory: %,.0f MiB | %.2f |  | report | yes |",
                sizeMpool,
                sizeMmap,
                sizeMpool / sizeMmap));
        return lines;
    }

    private static String row(
            String name,
            double value,
            String unit,
            String baseName,
            double base,
            String lat,
            String target,
            boolean met) {
        return String.format(
                Locale.ROOT,
                "| lucene | %s | %,.0f %s | %s: %,.0f | %.2f | %s | %s | %s |",
                name,
                value,
                unit,
                baseName,
                base,
                value / base,
                lat,
                target,
                met ? "yes" : "**no**");
    }

    static <T> double median(List<T> runs, ToDoubleFunction<T> f) {
        double[] v = runs.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length == 0
                ? Double.NaN
                : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<LuceneBench.Run> runs, ToDoubleFunction<LuceneBench.Run> f) {
        return runs.stream().mapToDouble(f).min().orElse(Double.NaN);
    }
}
