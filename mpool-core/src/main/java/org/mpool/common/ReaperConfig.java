package org.mpool.common;

import java.time.Duration;

/**
 * The reaper's tunables for one pool: how much page cache the pool's maps may hold, how long an
 * idle map keeps its pages, and how often the reaper looks. Immutable; {@code with...} methods
 * return a changed copy. Set with {@link Mpool#setReaperConfig}.
 *
 * @param budgetBytes page-cache budget in bytes, or 0 when {@code budgetPercent} sets it
 * @param budgetPercent page-cache budget as a percentage of RAM (MemTotal), or 0 when
 *     {@code budgetBytes} sets it
 * @param ttl pages of a map range idle this long are evicted whatever the budget (except
 *     PINNED); {@link Duration#ZERO} turns the TTL off
 * @param period time between two scans of the reaper
 */
public record ReaperConfig(long budgetBytes, int budgetPercent, Duration ttl, Duration period) {
    public static final int DEFAULT_BUDGET_PERCENT = 25;
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    private static final Duration MIN_PERIOD = Duration.ofMillis(1);
    private static final Duration MAX_PERIOD = Duration.ofHours(1);

    public ReaperConfig {
        if ((budgetBytes > 0) == (budgetPercent > 0) || budgetBytes < 0 || budgetPercent < 0 || budgetPercent > 100) {
            throw MpoolException.invalid("reaper budget: give either bytes (> 0) or a percentage of RAM (1-100), got "
                    + budgetBytes + " bytes and " + budgetPercent + "%");
        }
        if (ttl == null || ttl.isNegative()) {
            throw MpoolException.invalid("reaper TTL must be zero (off) or positive, got " + ttl);
        }
        if (period == null || period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw MpoolException.invalid("reaper period must be from 1 ms to 1 h, got " + period);
        }
    }

    /** 25% of RAM, a 10-minute TTL, one scan a second. */
    public static ReaperConfig defaults() {
        return new ReaperConfig(0, DEFAULT_BUDGET_PERCENT, DEFAULT_TTL, DEFAULT_PERIOD);
    }

    public ReaperConfig withBudgetBytes(long bytes) {
        return new ReaperConfig(bytes, 0, ttl, period);
    }

    public ReaperConfig withBudgetPercent(int percent) {
        return new ReaperConfig(0, percent, ttl, period);
    }

    public ReaperConfig withTtl(Duration newTtl) {
        return new ReaperConfig(budgetBytes, budgetPercent, newTtl, period);
    }

    public ReaperConfig withPeriod(Duration newPeriod) {
        return new ReaperConfig(budgetBytes, budgetPercent, ttl, newPeriod);
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
