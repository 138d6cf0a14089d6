package org.mpool.bench;

/**
 * One measurement next to its baseline from the same run.
 *
 * @param suite the suite (device, log, pool, open)
 * @param name what was measured
 * @param unit unit of {@code value} and {@code baseline} (ops/s, MiB/s, ms, B/object)
 * @param value the median of the rounds
 * @param baselineName what it is compared with
 * @param baseline the baseline's median (NaN when there is none)
 * @param p50Micros median latency of one operation, or NaN
 * @param p99Micros 99th percentile latency, or NaN
 * @param baselineP99Micros the baseline's 99th percentile, or NaN
 * @param target the target as text
 * @param met whether the target holds
 */
record Result(
        String suite,
        String name,
        String unit,
        double value,
        String baselineName,
        double baseline,
        double p50Micros,
        double p99Micros,
        double baselineP99Micros,
        String target,
        boolean met) {
    double ratio() {
        return baseline > 0 ? value / baseline : Double.NaN;
    }
}
