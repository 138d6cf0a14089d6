package org.mpool.opensearch;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.opensearch.OpenSearchParseException;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.core.common.unit.ByteSizeUnit;
import org.opensearch.core.common.unit.ByteSizeValue;

/** The plugin's settings: three per index, fixed when the index is created, and one per node. */
final class MpoolStoreSettings {
    /** The store type to put in {@code index.store.type}. */
    static final String STORE_TYPE = "mpool";

    /**
     * Size of each shard's pool file when it is made. It is sparse: only what the shard writes
     * takes disk space, so the default is generous. A shard that fills it grows it to twice its
     * size (mpool-lucene's directory does, crash-safely, up to its {@code maxPoolSizeBytes}).
     */
    static final Setting<ByteSizeValue> POOL_SIZE = Setting.byteSizeSetting(
            "index.store.mpool.size",
            new ByteSizeValue(64, ByteSizeUnit.GB),
            new ByteSizeValue(64, ByteSizeUnit.MB),
            new ByteSizeValue(16, ByteSizeUnit.TB),
            Property.IndexScope,
            Property.Final);

    /** Mblock size of each shard's pool: a power of two from 1 to 64 MiB (a file takes whole mblocks). */
    static final Setting<ByteSizeValue> MBLOCK_SIZE = Setting.byteSizeSetting(
            "index.store.mpool.mblock_size",
            new ByteSizeValue(4, ByteSizeUnit.MB),
            new ByteSizeValue(1, ByteSizeUnit.MB),
            new ByteSizeValue(64, ByteSizeUnit.MB),
            Property.IndexScope,
            Property.Final);

    /**
     * Whether a file that a search opens (Lucene's default context: NRT and commit readers, which
     * merges then also read through) is read into the page cache at open, with sequential readahead
     * in the background, and kept HOT for the reaper. The default store gets this for free: its
     * files were just written through the page cache. mpool writes with direct I/O, so without it
     * the first searches and the merges of freshly written segments fault single pages from the
     * device. The node's reaper budget bounds what stays cached.
     */
    static final Setting<Boolean> PRELOAD =
            Setting.boolSetting("index.store.mpool.preload", true, Property.IndexScope, Property.Final);

    /**
     * Page cache the pools of one node may hold through their maps, shared evenly among the open
     * pools ({@link NodePools}): a percentage of the machine's RAM ({@code 25%}) or a size
     * ({@code 8gb}). Each pool's reaper evicts cold pages beyond its share.
     */
    static final Setting<String> REAPER_BUDGET =
            new Setting<>("mpool.reaper.budget", "25%", MpoolStoreSettings::validBudget, Property.NodeScope);

    private MpoolStoreSettings() {}

    static List<Setting<?>> all() {
        return List.of(POOL_SIZE, MBLOCK_SIZE, PRELOAD, REAPER_BUDGET);
    }

    private static String validBudget(String value) {
        budgetBytes(value, 1L << 30); // throws if it does not parse
        return value;
    }

    /** The node's budget in bytes on a machine with {@code ramBytes} of RAM. */
    static long budgetBytes(String value, long ramBytes) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("%")) {
            double percent;
            try {
                percent = Double.parseDouble(v.substring(0, v.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "[" + REAPER_BUDGET_KEY + "] must be a percentage of RAM or a size, got [" + value + "]", e);
            }
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException(
                        "[" + REAPER_BUDGET_KEY + "] percentage must be in (0, 100], got [" + value + "]");
            }
            return (long) (ramBytes * (percent / 100));
        }
        long bytes;
        try {
            bytes = ByteSizeValue.parseBytesSizeValue(v, REAPER_BUDGET_KEY).getBytes();
        } catch (OpenSearchParseException e) {
            throw new IllegalArgumentException(
                    "[" + REAPER_BUDGET_KEY + "] must be a percentage of RAM or a size, got [" + value + "]", e);
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("[" + REAPER_BUDGET_KEY + "] must be positive, got [" + value + "]");
        }
        return bytes;
    }

    private static final String REAPER_BUDGET_KEY = "mpool.reaper.budget";

    /** RAM of this machine, as the JVM sees it. */
    static long ramBytes() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
