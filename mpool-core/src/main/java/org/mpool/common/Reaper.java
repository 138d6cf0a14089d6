package org.mpool.common;

import java.time.Duration;

/**
 * The reaper: the background task that keeps the page cache held by a pool's maps under a
 * budget, evicting cold object data before memory pressure hurts. What a map's ranges are worth
 * ({@link Advice}), the reaper's tunables ({@link Config}) and what it has done ({@link Stats}).
 */
public final class Reaper {
    private Reaper() {}

    /**
     * How much a mapped range is worth keeping in the page cache. The reaper evicts the pages of
     * {@code COLD} ranges first, then {@code WARM}, then {@code HOT}, and never those of
     * {@code PINNED} ones; within one advice it evicts the least recently accessed first.
     */
    public enum Advice {
        /** Read once or rarely (a compaction input): evicted first; the kernel is told too (MADV_COLD). */
        COLD,
        /** The default for data read now and then. */
        WARM,
        /** Read often (an index, a hot level): evicted only when COLD and WARM pages are gone. */
        HOT,
        /** Never evicted by the reaper (purge and close still drop the pages). */
        PINNED
    }

    /**
     * The reaper's tunables for one pool: how much page cache the pool's maps may hold, how long an
     * idle map keeps its pages, and how often the reaper looks. Immutable; {@code with...} methods
     * return a changed copy. Set with {@code Mpool.setReaperConfig}.
     *
     * @param budgetBytes page-cache budget in bytes, or 0 when {@code budgetPercent} sets it
     * @param budgetPercent page-cache budget as a percentage of RAM (MemTotal), or 0 when
     *     {@code budgetBytes} sets it
     * @param ttl pages of a map range idle this long are evicted whatever the budget (except
     *     PINNED); {@link Duration#ZERO} turns the TTL off
     * @param period time between two scans of the reaper
     */
    public record Config(long budgetBytes, int budgetPercent, Duration ttl, Duration period) {
        public static final int DEFAULT_BUDGET_PERCENT = 25;
        public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
        public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
        private static final Duration MIN_PERIOD = Duration.ofMillis(1);
        private static final Duration MAX_PERIOD = Duration.ofHours(1);

        public Config {
            if ((budgetBytes > 0) == (budgetPercent > 0)
                    || budgetBytes < 0
                    || budgetPercent < 0
                    || budgetPercent > 100) {
                throw MpoolException.invalid(
                        "reaper budget: give either bytes (> 0) or a percentage of RAM (1-100), got " + budgetBytes
                                + " bytes and " + budgetPercent + "%");
            }
            if (ttl == null || ttl.isNegative()) {
                throw MpoolException.invalid("reaper TTL must be zero (off) or positive, got " + ttl);
            }
            if (period == null || period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
                throw MpoolException.invalid("reaper period must be from 1 ms to 1 h, got " + period);
            }
        }

        /** 25% of RAM, a 10-minute TTL, one scan a second. */
        public static Config defaults() {
            return new Config(0, DEFAULT_BUDGET_PERCENT, DEFAULT_TTL, DEFAULT_PERIOD);
        }

        public Config withBudgetBytes(long bytes) {
            return new Config(bytes, 0, ttl, period);
        }

        public Config withBudgetPercent(int percent) {
            return new Config(0, percent, ttl, period);
        }

        public Config withTtl(Duration newTtl) {
            return new Config(budgetBytes, budgetPercent, newTtl, period);
        }

        public Config withPeriod(Duration newPeriod) {
            return new Config(budgetBytes, budgetPercent, ttl, newPeriod);
        }

        /** The budget in bytes on a machine with {@code memTotalBytes} of RAM. */
        public long resolveBudgetBytes(long memTotalBytes) {
            return budgetBytes > 0 ? budgetBytes : memTotalBytes / 100 * budgetPercent;
        }

        /** The budget as a person writes it: {@code 25%} or a byte count. */
        public String budgetText() {
            return budgetBytes > 0 ? String.valueOf(budgetBytes) : budgetPercent + "%";
        }
    }

    /**
     * What the reaper has done for one pool since it was opened.
     *
     * @param scans scans of the pool's maps (periodic, and those a willNeed asked for)
     * @param evictions mblock ranges whose pages were dropped (for the budget or the TTL)
     * @param ttlEvictions those of {@code evictions} dropped because they were idle past the TTL
     * @param evictedBytes resident bytes those ranges held when they were dropped
     * @param residentBytes page cache held by the pool's maps at the end of the last scan
     * @param budgetBytes the budget in force
     * @param liveMaps maps open now
     * @param errors scans that failed (the reaper keeps going; the failure is not lost silently)
     */
    public record Stats(
            long scans,
            long evictions,
            long ttlEvictions,
            long evictedBytes,
            long residentBytes,
            long budgetBytes,
            int liveMaps,
            long errors) {}
}
