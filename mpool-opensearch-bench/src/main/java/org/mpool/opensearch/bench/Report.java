package org.mpool.opensearch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The suite's table: mpool beside the default store and the no-I/O ceiling, with the targets. */
final class Report {
    private static final String NO_IO = NoIoStorePlugin.STORE_TYPE;

    private Report() {}

    static List<String> table(
            Map<String, List<IndexRun>> runs,
            Map<String, Latencies> duringMerge,
            Map<String, Latencies[]> merged,
            int docs) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "| suite | measurement | mpool | fs (default store) | no I/O (heap) | mpool / fs | no I/O / fs | target | met |");
        lines.add("|---|---|---|---|---|---|---|---|---|");
        throughput(
                lines,
                runs,
                String.format(Locale.ROOT, "bulk indexing (%,d docs, 2 clients, refresh 1 s, then flush)", docs),
                r -> docs / r.indexSeconds());
        report(lines, runs, "segments left by the bulk (median)", "%.0f", IndexRun::segments);
        report(
                lines,
                runs,
                "background merge time during the bulk (OpenSearch's merge stats)",
                "%,.0f ms",
                IndexRun::backgroundMergeMillis);
        report(lines, runs, "force merge to 1 segment", "%.2f s", IndexRun::forceMergeSeconds);
        throughput(
                lines,
                runs,
                "to one merged segment (bulk + flush + force merge: the same work on every store)",
                r -> docs / r.toMergedSeconds());
        latency(
                lines,
                "query mix during the force merge",
                duringMerge.get("mpool"),
                duringMerge.get("fs"),
                duringMerge.get(NO_IO));
        for (int k = 0; k < Queries.KINDS.length; k++) {
            latency(
                    lines,
                    Queries.KINDS[k] + ", merged index, in turn",
                    merged.get("mpool")[k],
                    merged.get("fs")[k],
                    merged.get(NO_IO)[k]);
        }
        report(
                lines,
                runs,
                "merged index size (OpenSearch's store stats)",
                "%,.0f MiB",
                r -> r.sizeBytes() / 1048576.0);
        return lines;
    }

    private static double[] medians(Map<String, List<IndexRun>> runs, ToDoubleFunction<IndexRun> f) {
        return new double[] {
            OpenSearchBench.median(runs.get("mpool"), f),
            OpenSearchBench.median(runs.get("fs"), f),
            OpenSearchBench.median(runs.get(NO_IO), f)
        };
    }

    private static void throughput(
            List<String> lines,
            Map<String, List<IndexRun>> runs,
            String what,
            ToDoubleFunction<IndexRun> docsPerSecond) {
        double[] m = medians(runs, docsPerSecond);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | %s | %,.0f docs/s | %,.0f docs/s | %,.0f docs/s | %.2f | %.2f | ≥ 1.1× | %s |",
                what,
                m[0],
                m[1],
                m[2],
                m[0] / m[1],
                m[2] / m[1],
                m[0] >= 1.1 * m[1] ? "yes" : "**no**"));
    }

    private static void report(
            List<String> lines,
            Map<String, List<IndexRun>> runs,
            String what,
            String format,
            ToDoubleFunction<IndexRun> f) {
        double[] m = medians(runs, f);
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | %s | " + format + " | " + format + " | " + format + " | %.2f | %.2f | report | |",
                what,
                m[0],
                m[1],
                m[2],
                m[0] / Math.max(1e-9, m[1]),
                m[2] / Math.max(1e-9, m[1])));
    }

    private static void latency(List<String> lines, String what, Latencies mpool, Latencies fs, Latencies noIo) {
        double ratio = (double) mpool.quantile(0.99) / Math.max(1, fs.quantile(0.99));
        double ceiling = (double) noIo.quantile(0.99) / Math.max(1, fs.quantile(0.99));
        lines.add(String.format(
                Locale.ROOT,
                "| opensearch | %s, p50 / p99 (%,d / %,d / %,d queries) | %,d / %,d µs | %,d / %,d µs | %,d / %,d µs | p99 %.2f | p99 %.2f | p99 ≤ 1.1× | %s |",
                what,
                mpool.count(),
                fs.count(),
                noIo.count(),
                mpool.quantile(0.50),
                mpool.quantile(0.99),
                fs.quantile(0.50),
                fs.quantile(0.99),
                noIo.quantile(0.50),
                noIo.quantile(0.99),
                ratio,
                ceiling,
                ratio <= 1.1 ? "yes" : "**no**"));
    }
}
