package org.mpool.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.Reaper;
import org.mpool.format.CatalogRecord;

/**
 * The settable pool properties: their names, the validation that stores values normalised, and
 * how stored values are read. Every property is a CONFIG record of MDC-0 (key and text); a
 * property added here needs no format change, and code that does not know a key ignores it.
 *
 * <p><b>Spare.</b> {@code spare.capacity} and {@code spare.staging} are the reference's
 * {@code spare_pct_capacity} and {@code spare_pct_staging}: the percentage (0–100) of a media
 * class's zones kept free for metadata (shard logs growing, compactions), which data may not
 * take. {@code spare} is the older single setting, kept with its meaning and range (0–50): it
 * is the spare of every class that has no value of its own, so pools made before the per-class
 * properties read as they did; setting it gives both classes that value (it clears their own).
 *
 * <p><b>Discard.</b> {@code discard=on} discards (TRIM, hole punch) the zones of deleted
 * objects, after the DELETE record is durable and before the zones can be reused.
 *
 * <p><b>Reaper.</b> {@code reaper.budget} ({@code N%} of RAM or bytes), {@code reaper.ttl} (a
 * duration, {@code 0}: off) and {@code reaper.period} are the reaper's tunables, applied at
 * every open ({@code Mpool.setReaperConfig} changes them for one open only).
 */
public final class PoolProperties {
    public static final String LABEL = "label";
    public static final String UID = "uid";
    public static final String GID = "gid";
    public static final String MODE = "mode";
    public static final String SPARE = "spare";
    public static final String SPARE_CAPACITY = "spare.capacity";
    public static final String SPARE_STAGING = "spare.staging";
    public static final String DISCARD = "discard";
    public static final String REAPER_BUDGET = "reaper.budget";
    public static final String REAPER_TTL = "reaper.ttl";
    public static final String REAPER_PERIOD = "reaper.period";
    /** What set takes, in the order messages list them. */
    public static final List<String> SETTABLE = List.of(
            LABEL,
            UID,
            GID,
            MODE,
            SPARE,
            SPARE_CAPACITY,
            SPARE_STAGING,
            DISCARD,
            REAPER_BUDGET,
            REAPER_TTL,
            REAPER_PERIOD);

    static final int MAX_LABEL = 64;
    static final int DEFAULT_MODE = 0660;
    /** The range of {@code spare}, as it always was (older code refuses more at open). */
    static final int MAX_SPARE = 50;
    /** The range of the per-class spares: the reference's. */
    static final int MAX_CLASS_SPARE = 100;

    private PoolProperties() {}

    /** The per-class spare property of {@code mediaClass}. */
    public static String spareOf(MediaClass mediaClass) {
        return "spare." + mediaClass.label();
    }

    /** Returns the normalised value, or throws INVALID_ARGUMENT (NOT_FOUND for an unknown key) naming what is wrong. */
    static String validate(String key, String value) {
        String v = value.trim();
        switch (key) {
            case LABEL -> {
                if (v.length() > MAX_LABEL || v.chars().anyMatch(c -> c < 0x20)) {
                    throw MpoolException.invalid("label must be at most " + MAX_LABEL + " printable characters");
                }
                return v;
            }
            case UID, GID -> {
                try {
                    int id = Integer.parseInt(v);
                    if (id < 0) {
                        throw new NumberFormatException();
                    }
                    return String.valueOf(id);
                } catch (NumberFormatException e) {
                    throw MpoolException.invalid(key + " must be a non-negative number, got '" + value + "'");
                }
            }
            case MODE -> {
                try {
                    int mode = Integer.parseInt(v, 8);
                    DeviceOwnership.checkMode(mode);
                    return String.format("%04o", mode);
                } catch (NumberFormatException e) {
                    throw MpoolException.invalid("mode must be octal, such as 0660, got '" + value + "'");
                }
            }
            case SPARE -> {
                return String.valueOf(percent(key, v, 0, MAX_SPARE, " (spare.capacity and spare.staging go to 100)"));
            }
            case SPARE_CAPACITY, SPARE_STAGING -> {
                return String.valueOf(percent(key, v, 0, MAX_CLASS_SPARE, ""));
            }
            case DISCARD -> {
                return switch (v.toLowerCase(Locale.ROOT)) {
                    case "on", "true", "yes", "1" -> "on";
                    case "off", "false", "no", "0" -> "off";
                    default -> throw MpoolException.invalid("discard must be on or off, got '" + value + "'");
                };
            }
            case REAPER_BUDGET -> {
                return budget(v);
            }
            case REAPER_TTL -> {
                return formatDuration(duration(key, v));
            }
            case REAPER_PERIOD -> {
                Duration period = duration(key, v);
                if (period.toMillis() < 1 || period.compareTo(Duration.ofHours(1)) > 0) {
                    throw MpoolException.invalid("reaper.period must be from 1ms to 1h, got '" + value + "'");
                }
                return formatDuration(period);
            }
            case "name", "uuid" ->
                throw MpoolException.invalid(key + " cannot be set" + (key.equals("name") ? " (use rename)" : ""));
            default -> {
                if (key.startsWith("mblocksize.")) {
                    throw MpoolException.invalid(key + " is fixed when the media class is created");
                }
                throw new MpoolException(
                        ErrorCode.NOT_FOUND,
                        "unknown property '" + key + "' (settable: " + String.join(", ", SETTABLE) + ")");
            }
        }
    }

    /**
     * The MDC-0 records that set {@code key} to the normalised {@code value}, given the
     * properties stored now. Setting {@code spare} clears the per-class spares, so both classes
     * take it; the clearing records come first (a crash after a prefix leaves each class with
     * its old spare or the new one).
     */
    static List<CatalogRecord> records(String key, String value, Map<String, String> stored) {
        List<CatalogRecord> records = new ArrayList<>();
        if (key.equals(SPARE)) {
            for (String own : List.of(SPARE_CAPACITY, SPARE_STAGING)) {
                if (stored.containsKey(own)) {
                    records.add(new CatalogRecord.Config(own, "")); // "" removes it
                }
            }
        }
        records.add(new CatalogRecord.Config(key, value));
        return records;
    }

    /** The spare percentage of {@code mediaClass}: its own, else {@code spare}, else the default. */
    static int sparePercent(Map<String, String> stored, MediaClass mediaClass) {
        String own = stored.get(spareOf(mediaClass));
        if (own != null) {
            return Integer.parseInt(own);
        }
        return sparePercent(stored.get(SPARE));
    }

    /** The value of {@code spare} a pool's configuration holds (the default if it holds none). */
    static int sparePercent(String stored) {
        return stored == null ? CreateOptions.DEFAULT_SPARE_PERCENT : Integer.parseInt(stored);
    }

    /** Whether deleted objects' zones are discarded. */
    static boolean discard(Map<String, String> stored) {
        return "on".equals(stored.get(DISCARD));
    }

    /** The reaper's tunables the stored properties give (the defaults for those not set). */
    static Reaper.Config reaperConfig(Map<String, String> stored) {
        Reaper.Config c = Reaper.Config.defaults();
        String budget = stored.get(REAPER_BUDGET);
        if (budget != null) {
            c = budget.endsWith("%")
                    ? c.withBudgetPercent(Integer.parseInt(budget.substring(0, budget.length() - 1)))
                    : c.withBudgetBytes(Long.parseLong(budget));
        }
        String ttl = stored.get(REAPER_TTL);
        if (ttl != null) {
            c = c.withTtl(duration(REAPER_TTL, ttl));
        }
        String period = stored.get(REAPER_PERIOD);
        if (period != null) {
            c = c.withPeriod(duration(REAPER_PERIOD, period));
        }
        return c;
    }

    /** The reaper properties as {@code get} shows them. */
    static Map<String, String> reaperProperties(Map<String, String> stored) {
        Reaper.Config c = reaperConfig(stored);
        return Map.of(
                REAPER_BUDGET, c.budgetText(),
                REAPER_TTL, formatDuration(c.ttl()),
                REAPER_PERIOD, formatDuration(c.period()));
    }

    private static int percent(String key, String v, int min, int max, String hint) {
        try {
            int pct = Integer.parseInt(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
            if (pct < min || pct > max) {
                throw new NumberFormatException();
            }
            return pct;
        } catch (NumberFormatException e) {
            throw MpoolException.invalid(
                    key + " must be a percentage from " + min + " to " + max + hint + ", got '" + v + "'");
        }
    }

    /** {@code N%} of RAM (1–100), or bytes with an optional k, m, g or t suffix (powers of 1024). */
    private static String budget(String v) {
        String bad = "reaper.budget must be a percentage of RAM (1% to 100%) or a size in bytes (such as 4g),"
                + " got '" + v + "'";
        if (v.endsWith("%")) {
            try {
                int pct = Integer.parseInt(v.substring(0, v.length() - 1));
                if (pct < 1 || pct > 100) {
                    throw new NumberFormatException();
                }
                return pct + "%";
            } catch (NumberFormatException e) {
                throw MpoolException.invalid(bad);
            }
        }
        String digits = v.toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!digits.isEmpty()) {
            int unit = "kmgt".indexOf(digits.charAt(digits.length() - 1));
            if (unit >= 0) {
                shift = 10 * (unit + 1);
                digits = digits.substring(0, digits.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return String.valueOf(n << shift);
        } catch (NumberFormatException e) {
            throw MpoolException.invalid(bad);
        }
    }

    private static final String[] DURATION_UNITS = {"ms", "s", "m", "h", "d"};
    private static final long[] DURATION_MILLIS = {1, 1000, 60_000, 3_600_000, 86_400_000};

    /** A duration written as a number and a unit (ms, s, m, h, d), or {@code 0}. */
    static Duration duration(String key, String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        for (int u = 0; u < DURATION_UNITS.length; u++) {
            String unit = DURATION_UNITS[u];
            if (t.endsWith(unit) && (u != 1 || !t.endsWith("ms"))) {
                try {
                    long n = Long.parseLong(t.substring(0, t.length() - unit.length()));
                    if (n >= 0 && n <= Long.MAX_VALUE / DURATION_MILLIS[u]) {
                        return Duration.ofMillis(n * DURATION_MILLIS[u]);
                    }
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        throw MpoolException.invalid(
                key + " must be a duration such as 500ms, 30s, 10m, 2h or 1d (0: off for reaper.ttl), got '" + v + "'");
    }

    /** The shortest exact form: {@code 10m}, {@code 1500ms}, {@code 0}. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        for (int u = DURATION_UNITS.length - 1; u >= 0; u--) {
            if (ms % DURATION_MILLIS[u] == 0) {
                return ms / DURATION_MILLIS[u] + DURATION_UNITS[u];
            }
        }
        throw new AssertionError("every whole millisecond count has a unit");
    }
}
