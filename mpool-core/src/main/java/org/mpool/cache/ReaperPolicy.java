package org.mpool.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mpool.common.Reaper.Advice;

/**
 * Which mapped ranges the reaper evicts: a pure function of a snapshot, so it is tested without
 * mmap. A unit is one mblock of one map.
 *
 * <ol>
 *   <li>Units idle for the TTL or longer are evicted whatever the budget (PINNED never).</li>
 *   <li>If what stays resident, plus the demand about to be faulted in, exceeds the budget, units
 *       are evicted coldest first until it fits under the low-water mark (7/8 of the budget, so
 *       the faults of the next period find room): COLD before WARM before HOT, PINNED never;
 *       within an advice, least recently accessed first, then oldest map first.</li>
 * </ol>
 */
public final class ReaperPolicy {
    private ReaperPolicy() {}

    /**
     * One unit of a snapshot.
     *
     * @param key what the caller evicts (map and slot)
     * @param advice the unit's advice
     * @param lastAccessNanos {@link System#nanoTime()} of its last recorded access
     * @param createdNanos when its map was made
     * @param residentBytes page cache it holds now
     */
    public record Unit<K>(K key, Advice advice, long lastAccessNanos, long createdNanos, long residentBytes) {}

    /**
     * The decision.
     *
     * @param evict units to evict, in order
     * @param expired how many of {@code evict} (the first ones) are there for the TTL
     * @param residentAfterBytes what the snapshot holds once they are gone
     */
    public record Decision<K>(List<Unit<K>> evict, int expired, long residentAfterBytes) {}

    /** Coldest first. */
    static final Comparator<Unit<?>> COLDEST_FIRST = Comparator.<Unit<?>>comparingInt(
                    u -> u.advice().ordinal())
            .thenComparingLong(Unit::lastAccessNanos)
            .thenComparingLong(Unit::createdNanos);

    /**
     * Chooses units to evict.
     *
     * @param budgetBytes the page cache the units may hold
     * @param demandBytes bytes about to be read in (a willNeed), counted as resident already
     * @param ttlNanos idle time after which a unit is evicted regardless; 0 turns the TTL off
     */
    public static <K> Decision<K> choose(
            List<Unit<K>> units, long budgetBytes, long demandBytes, long ttlNanos, long nowNanos) {
        List<Unit<K>> evict = new ArrayList<>();
        List<Unit<K>> candidates = new ArrayList<>();
        long resident = 0;
        for (Unit<K> u : units) {
            if (u.residentBytes() <= 0) {
                continue;
            }
            boolean evictable = u.advice() != Advice.PINNED;
            if (evictable && ttlNanos > 0 && nowNanos - u.lastAccessNanos() >= ttlNanos) {
                evict.add(u);
                continue;
            }
            resident += u.residentBytes();
            if (evictable) {
                candidates.add(u);
            }
        }
        int expired = evict.size();
        if (resident + demandBytes > budgetBytes) {
            long lowWater = budgetBytes - budgetBytes / 8;
            candidates.sort(COLDEST_FIRST);
            for (Unit<K> u : candidates) {
                if (resident + demandBytes <= lowWater) {
                    break;
                }
                evict.add(u);
                resident -= u.residentBytes();
            }
        }
        return new Decision<>(List.copyOf(evict), expired, resident);
    }
}
